"""Survey sections on small typed tables: suppression shown as such, comments only when
allowed, hostile answers and question texts inert, figures worked by hand."""

from __future__ import annotations

import pytest

from odreport.report import surveys
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"
HIDDEN = "suppressed (fewer than 11 responses)"
SID = "staff-2016"


def _counts(responses, unfav, neutral, fav, excluded, respondents, skipped):
    base = unfav + neutral + fav
    return {
        "responses": responses,
        "unfavourable": unfav,
        "neutral": neutral,
        "favourable": fav,
        "excluded": excluded,
        "base": base,
        "pct_favourable": 100 * fav / base,
        "respondents": respondents,
        "skipped": skipped,
    }


@pytest.fixture
def staff(make_rows):
    """One staff survey of 40 respondents: Q1 rated, Q2 free text; three directorates, two of
    them suppressed."""
    q1 = {"survey_id": SID, "question_ref": "Q1", "question": "I feel valued", "theme_ref": "T1"}
    return {
        "survey_overview": make_rows(
            "survey_overview",
            {
                "survey_id": SID,
                "title": "Staff survey",
                "audience": "All staff",
                "fielded": "2016-01",
                "respondents": 40,
                "population": 100,
                "illustrative": "no",
                "source": "Exampleshire staff survey 2016",
                "response_rate": 40.0,
            },
        ),
        "question_results": make_rows(
            "survey_summary",
            # 20 favourable of a base of 36 (4 "Don't know" apart): 55.6% → 56%
            q1 | {"group_by": "all", "group": "All respondents"} | _counts(40, 10, 6, 20, 4, 40, 0),
            # 14 of 23: 60.9% → 61%
            q1
            | {"group_by": "directorate", "group": "Operations"}
            | _counts(25, 5, 4, 14, 2, 25, 0),
            q1 | {"group_by": "directorate", "group": "Corporate", "suppressed": True},
            q1 | {"group_by": "directorate", "group": "Finance", "suppressed": True},
        ),
        "survey_options": make_rows(
            "survey_options",
            *[
                {"survey_id": SID, "question_ref": "Q1", "group_by": "all"}
                | {"group": "All respondents", "option": o, "option_order": i, "valence": v}
                | {"count": n, "percent": 100 * n / 40}
                for i, (o, v, n) in enumerate(
                    [
                        ("Disagree", "unfavourable", 10),
                        ("Neither", "neutral", 6),
                        ("Agree", "favourable", 20),
                        ("Don't know", "excluded", 4),
                    ],
                    start=1,
                )
            ],
        ),
        "survey_comments": make_rows(
            "survey_comments",
            *[
                {"survey_id": SID, "question_ref": "Q2", "question": "Any other comments?"}
                | {"comment": c}
                for c in (HOSTILE, "Call me on [telephone number removed]")
            ],
        ),
        "survey_evidence": make_rows(
            "survey_evidence",
            {"theme_ref": "T1", "survey_id": SID, "survey": "Staff survey", "fielded": "2016-01"}
            | {"question_ref": "Q1", "question": "I feel valued"}
            | {"pct_favourable": 100 * 20 / 36, "base": 36},
        ),
    }


def _data(facts, tables, **changes):
    return report_data(facts, **{**tables, **changes})


def test_the_items_of_a_grid_question_name_its_stem_once():
    refs = ["Q1a", "Q1b", "Q1c", "Q2"]
    grid = "How far do you agree? — "
    questions = [grid + "I am valued", grid + "I am heard", grid + "I am paid", "Any comments?"]
    shown, said = surveys.grid_items(refs, questions)
    assert shown == ["I am valued", "I am heard", "I am paid", "Any comments?"]
    assert said == ["Q1a to Q1c are items of one question: “How far do you agree?”"]
    # rows apart in the table (under different themes): named one by one
    shown, said = surveys.grid_items(refs[:2], questions[:2], [0, 5])
    assert said == ["Q1a and Q1b are items of one question: “How far do you agree?”"]
    # a grid question alone keeps its stem: nothing said
    assert surveys.grid_items(["Q1a"], questions[:1]) == (questions[:1], [])


def test_favourable_text():
    assert surveys.favourable_text({"suppressed": True}, HIDDEN) == HIDDEN
    assert surveys.favourable_text({"pct_favourable": float("nan")}, HIDDEN) == "no rated answers"
    row = {"suppressed": False, "pct_favourable": 62.5, "base": 8}
    assert surveys.favourable_text(row, HIDDEN) == "63% (8)"  # half up, then the base


def test_evidence_lists_questions_under_their_theme_without_repeating_figures(facts, tables, staff):
    html = surveys.survey_evidence(_data(facts, tables, **staff))
    assert "<caption>Survey questions evidencing each theme</caption>" in html
    # the result (56%, base 36) is shown once, under Survey results: not here; no pulse trend,
    # so no Trend column
    assert (
        "<tr><td>T1 Leadership</td><td>Staff survey</td><td>January 2016</td>"
        '<th scope="row">Q1</th><td>I feel valued</td></tr>' in html
    )
    assert "56%" not in html and "Trend" not in html
    assert html.endswith("<p>No survey question is linked to: T2 Engagement.</p>")


def test_results_show_response_bars_and_first_comments(facts, tables, staff):
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert html.startswith(
        "<p>Percent favourable is recomputed from the answers: the share of rated answers in "
        "the favourable options, with its base (the number of rated answers) named; “Don't "
        "know” and skipped answers are counted apart. Figures as the source published them are "
        "in the Survey detail appendix, labelled as published. To protect respondents, any "
        f"group with fewer than 11 responses shows “{HIDDEN}”"
    )
    assert '<h3 id="staff-survey-january-2016">Staff survey, January 2016</h3>' in html
    assert (
        "<dt>Respondents</dt><dd>40</dd><dt>People asked</dt><dd>100</dd>"
        "<dt>Response rate</dt><dd>40%</dd></dl>" in html
    )
    # the source under the survey's chart and table, across the page in print
    assert (
        '<p class="survey-source"><strong>Source:</strong> Exampleshire staff survey 2016</p>'
        in html
    )
    # how comments are shown, said once for every survey
    assert html.count("Comments are shown as written by respondents") == 1
    alt = (
        "1 rated question: percent favourable of the rated answers from 56% (Q1, base 36) to "
        "56% (Q1, base 36)."
    )
    assert f'<svg role="img" aria-label="{alt}" ' in html
    # shares of the base of 36: 10 → 28%, 6 → 17%, 20 → 56%; "Don't know" 4 apart
    assert (
        '<td class="num">28%</td><td class="num">17%</td><td class="num">56%</td>'
        '<td class="num">56%</td><td class="num">36</td><td class="num">4</td>'
        '<td class="num">0</td>' in html
    )
    assert "recomputed as a share of the base" in html
    # results by group are in the appendix
    assert "directorate" not in html
    assert (
        '<p class="question"><strong>Q2</strong> Any other comments? (2 comments)</p>'
        f'<ul class="comments"><li>{ESCAPED}</li><li>Call me on [telephone number removed]</li>'
        "</ul>" in html
    )
    assert "<script" not in html and "<img" not in html


def test_detail_shows_groups_suppressed(facts, tables, staff):
    data = _data(facts, tables, **staff)
    assert surveys.has_detail(data)
    html = surveys.survey_detail(data)
    assert (
        "<p>Results by group: a result is shown as “suppressed” when it has fewer than 11 "
        "responses, or is hidden so that a suppressed figure cannot be worked out from the "
        "others.</p>" in html
    )
    assert "<p>3 directorate groups; 2 with at least one result suppressed, shown as " in html
    assert '<th scope="row">Operations</th><td>61% (23)</td>' in html
    assert '<th scope="row">Corporate</th><td>suppressed</td>' in html  # the reason said once


def test_a_few_comment_groups_in_the_body_and_the_rest_in_the_appendix(
    facts, tables, staff, make_rows
):
    # five different comments, "A" three times: groups A (3), B, C, D, E
    texts = ["A is good", "B is bad", "A is good", "C is odd", "A is good.", "D is new", "E"]
    staff["survey_comments"] = make_rows(
        "survey_comments",
        *[
            {"survey_id": SID, "question_ref": "Q2", "question": "Any other comments?"}
            | {"comment": t}
            for t in texts
        ],
    )
    data = _data(facts, tables, **staff)
    body = surveys.survey_results(data)
    assert (
        '<ul class="comments"><li>3 respondents said: “A is good”</li><li>B is bad</li>'
        "<li>C is odd</li></ul>" in body
    )
    assert "The 3 most frequent per question are here; 2 more in the Survey detail" in body
    detail = surveys.survey_detail(data)
    assert '<ul class="comments"><li>D is new</li><li>E</li></ul>' in detail
    assert "A is good" not in detail


def test_public_version_shows_no_comments(facts, tables, staff):
    facts["surveys"]["comments"] = False
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert "<p>Free-text comments are not shown in this version of the report.</p>" in html
    assert "Call me" not in html


def test_no_comments_to_show(facts, tables, staff):
    del staff["survey_comments"]
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert (
        "<p>No comments to show (none were given, or the survey had fewer than 11 "
        "respondents).</p>" in html
    )


def test_a_suppressed_survey_shows_no_figure(facts, tables, staff, make_rows):
    overview = staff["survey_overview"].assign(
        suppressed=True, respondents=None, response_rate=float("nan")
    )
    results = staff["question_results"].iloc[[0]].assign(suppressed=True)
    for column in ("responses", "base", "respondents", "skipped", "excluded", "favourable"):
        results[column] = None
    results["pct_favourable"] = float("nan")
    html = surveys.survey_results(
        _data(
            facts,
            tables,
            survey_overview=overview,
            question_results=results,
            survey_options=make_rows("survey_options"),
        )
    )
    assert f"<dt>Respondents</dt><dd>{HIDDEN}</dd>" in html
    assert f"<dt>Response rate</dt><dd>{HIDDEN}</dd>" in html
    assert f"<p>All results: {HIDDEN}.</p>" in html
    assert "<svg" not in html


def test_without_suppression(facts, tables, staff):
    facts["surveys"]["min_group_size"] = 1
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert "No group is suppressed in this version (minimum group size 1).</p>" in html


def test_published_figures_and_their_mismatches(facts, tables, staff, make_rows):
    published = make_rows(
        "survey_published",
        *[
            {"survey_id": SID, "question_ref": "Q1", "question": "I feel valued", "option": o}
            | {"option_order": i, "percent": p, "count": n, "answered": 40, "skipped": 2}
            for i, (o, p, n) in enumerate([("Agree", 50.0, 20), ("Disagree", 12.5, None)], 1)
        ],
    )
    checks = make_rows(
        "survey_checks",
        {"survey_id": SID, "question_ref": "Q1", "question": HOSTILE}
        | {"answered": 40, "skipped": 2, "respondents": 40},
    )
    html = surveys.survey_detail(
        _data(facts, tables, **staff, survey_published=published, survey_checks=checks)
    )
    assert (
        '<h4 id="results-as-published-staff-survey-january-2016">Results as published: Staff '
        "survey, January 2016</h4>" in html
    )
    assert "<caption>As published: percent of all who answered, “Don&#x27;t know” included" in html
    assert (
        '<th scope="row">Q1</th><td>I feel valued</td><td>50% (20)</td><td>12.5%</td>'
        '<td class="num">40</td><td class="num">2</td>' in html
    )
    assert (
        f"<li>Q1 ({ESCAPED}): answered 40 + skipped 2 = 42, not the survey's 40 respondents.</li>"
        in html
    )


@pytest.fixture
def pulse(make_rows):
    """A pulse series of five waves: Q1 (a question text with quotes and markup) answered in
    every wave, Q2 suppressed in two; theme T1's score has one question, so is not shown."""
    waves = ["2015-11", "2015-12", "2016-01", "2016-02", "2016-03"]
    label = 'Q1 I say "yes" to <b>change</b>'
    overview = make_rows(
        "survey_overview",
        *[
            {"survey_id": f"pulse-{w}", "title": "Pulse", "fielded": w, "series": "pulse"}
            | {"respondents": 30, "illustrative": "no", "source": "pulse"}
            for w in waves
        ],
    )
    trend = make_rows(
        "survey_trends",
        *[
            {"series": "pulse", "measure": "Q1", "measure_label": label, "theme_ref": "T1"}
            | {"wave": w, "survey_id": f"pulse-{w}", "value": v, "base": 30}
            | {"higher_is_better": True}
            for w, v in zip(waves, [50, 55, 60, 65, 70], strict=True)
        ],
        *[
            {"series": "pulse", "measure": "Q2", "measure_label": "Q2 I am heard"}
            | {"theme_ref": "T2", "wave": w, "survey_id": f"pulse-{w}", "value": v, "base": b}
            | {"higher_is_better": True}
            for w, v, b in zip(
                waves, [40.0, None, 45.0, None, 50.0], [20, None, 22, None, 24], strict=True
            )
        ],
        *[
            {"series": "pulse", "measure": "theme:T1", "measure_label": "Theme score: Leadership"}
            | {"theme_ref": "T1", "wave": w, "survey_id": f"pulse-{w}", "value": 50, "base": 30}
            | {"higher_is_better": True}
            for w in waves
        ],
    )
    return {"survey_overview": overview, "survey_trends": trend}


def test_pulse_trends(facts, tables, pulse):
    from odreport.report import making_data_count

    html = making_data_count.measure_charts(_data(facts, tables, **pulse))
    assert (
        '<h3 id="trends-across-pulse-waves">Trends across pulse waves</h3><p>5 waves so far.'
        in html
    )
    # Q1: mean 60, moving ranges 5: limits 60 ± 13.3 (trial: under 12 points)
    alt = (
        "Q1 I say &quot;yes&quot; to &lt;b&gt;change&lt;/b&gt;: mean 60.0%, trial limits 46.7% "
        "to 73.3% over 5 points; common-cause variation only."
    )
    assert f'<svg role="img" aria-label="{alt}" ' in html
    assert "<b>" not in html
    # the chart's data: in the series' one table, after the charts, which its caption names
    assert f'<figcaption>{alt} Data: <a href="#data-pulse-trends">' in html
    assert (
        '<div class="series-data" id="data-pulse-trends">' in html
        and '<th scope="row">Q1 I say &quot;yes&quot; to &lt;b&gt;change&lt;/b&gt;</th>'
        '<td class="num">50% (30)</td><td class="num">55% (30)</td><td class="num">60% (30)</td>'
        '<td class="num">65% (30)</td><td class="num">70% (30)</td></tr></tbody>' in html
    )
    assert "<details>" not in html  # no table of its own
    # Q2: three waves shown, under the 5 needed: listed
    assert '<h4 id="q2-i-am-heard">Q2 I am heard</h4>' in html
    assert (
        "<p>Q2 I am heard: 40% in Nov 2015, 45% in Jan 2016, 50% in Mar 2016. "
        "2 wave(s) suppressed.</p>" in html
    )
    assert "Theme score: Leadership" not in html  # one question: its score is the question's


def test_a_pulse_waves_percent_favourable_is_shown_once(facts, tables, staff, make_rows):
    # the staff survey as the latest wave of a pulse series with a trend: its percent
    # favourable (56%, base 36) is in the table of measures, not again beside the bars
    staff["survey_overview"] = staff["survey_overview"].assign(series="pulse")
    staff["survey_trends"] = make_rows(
        "survey_trends",
        {"series": "pulse", "measure": "Q1", "measure_label": "Q1 I feel valued", "wave": "2016-01"}
        | {"survey_id": SID, "value": 100 * 20 / 36, "base": 36, "higher_is_better": True},
    )
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert (
        "1 rated question: the share of each answer; percent favourable, with its base and "
        "trend, is in the table of measures." in html
    )
    assert '<th scope="col">Favourable</th>' not in html
    assert '<td class="num">56%</td><td class="num">36</td>' in html  # Agree 20 of 36, base


def test_the_comments_say_what_was_removed_from_them(facts, tables, staff):
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert (
        "<p>Comments are shown as written by respondents, with e-mail addresses, telephone "
        "numbers and NHS numbers removed; identical" in html
    )
    facts["surveys"]["names_listed"] = 2
    html = surveys.survey_results(_data(facts, tables, **staff))
    assert (
        "<p>Comments are shown as written by respondents, with e-mail addresses, telephone "
        "numbers and NHS numbers removed and the names the organisation listed replaced by “[name removed]”; identical"
        in html
    )
