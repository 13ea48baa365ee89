"""Sections on progress, on the example of tests/report/conftest.py (figures worked by hand)."""

from __future__ import annotations

import re
from html import escape

import pandas as pd
import pytest

from odreport.report import progress
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_header_names_the_report_the_meeting_and_the_contents(example):
    html = progress.header(example, ["Cover sheet", "Risk"], ["Appendix A: Provenance"])
    assert '<p class="org">NHS Exampleshire Clinical Commissioning Group</p>' in html
    assert (
        "<h1>Exampleshire CCG: organisational development progress report, March 2016</h1>" in html
    )
    assert "<dt>Plan</dt><dd>OD Plan 2015-2017 (1 April 2015 to 31 March 2017)</dd>" in html
    assert "<dt>Data as at</dt><dd>31 March 2016</dd>" in html
    assert (
        "<dt>Prepared for</dt><dd>Governing Body meeting on 13 April 2016 "
        "(papers due 6 April 2016)</dd>" in html
    )
    assert (
        '<li><a href="#cover-sheet">Cover sheet</a></li><li><a href="#risk">Risk</a></li></ol>'
        '<p class="toc-appendices">Appendices</p>'
        '<ul><li><a href="#appendix-a-provenance">Appendix A: Provenance</a></li></ul>' in html
    )
    assert 'class="notice"' not in html  # reported figures: no illustrative note


def test_an_illustrative_meeting_date_is_labelled(facts, tables):
    facts["meeting"] |= {"illustrative": True}
    data = report_data(facts, **tables)
    assert progress.prepared_for(data) == (
        "Governing Body meeting on 13 April 2016 (illustrative date; papers due 6 April 2016)"
    )


def test_header_says_when_figures_are_illustrative_or_stale(facts, tables):
    facts.update(illustrative=True, illustrative_note="Made up for March 2016.")
    facts["surveys"]["illustrative_note"] = "Surveys made up."
    facts["meeting"]["staleness"] = {"stale": True, "message": "The data are old."}
    html = progress.header(report_data(facts, **tables), [])
    assert html.count('<div class="notice" role="note"><strong>Note:</strong> ') == 3
    assert "Made up for March 2016.</div>" in html and "Surveys made up.</div>" in html
    assert "<strong>Note:</strong> Stale data: The data are old.</div>" in html
    facts["meeting"] = None
    html = progress.header(report_data(facts, **tables), [])
    assert "<dt>Prepared for</dt><dd>Governing Body</dd>" in html


def test_hostile_organisation_names_are_text(facts, tables):
    facts["organisation"]["name"] = HOSTILE
    facts["organisation"]["short_name"] = '"><svg onload=alert(3)>'
    html = progress.header(report_data(facts, **tables), [])
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert ESCAPED in html
    assert "<h1>&quot;&gt;&lt;svg onload=alert(3)&gt;: organisational" in html


# --- progress against the plan -------------------------------------------------------------------


def test_headline_figures_are_due_done_gap_overdue_exceptions(example):
    # due by now A1, A4; done A4; gap A1; overdue A1 (31 Jan, not complete); exceptions A1,
    # A2 (moved), A3 (off track); A2 falls due later, A3 has no due date
    h = progress.headline_figures(example)
    assert (h.items, h.due, h.done, h.gap, h.overdue, h.exceptions) == (4, 2, 1, 1, 1, 3)
    assert (h.not_yet_due, h.undated, h.complete_early, h.no_status) == (1, 1, 0, 0)


def test_progress_says_due_by_now_done_and_gap(example):
    html = progress.plan_progress(example)
    assert html.startswith(
        '<div class="headline"><p>Due by now: 2 of the 4 actions, under the plan&#x27;s own '
        "timescales (due on or before 31 March 2016). Done: 1 of those 2 is complete. Gap: 1 "
        "action due but not complete.</p><p>Of the rest: 1 falls due later; 1 has no due date "
        "(ongoing, or no timescale in the plan) and so never counts as due.</p></div>"
    )
    assert re.findall(r'kf-value">([^<]*)</span><span class="kf-label">([^<]*)<', html) == [
        ("2", "due by now"),
        ("1", "done (of those due)"),
        ("1", "gap (due, not complete)"),
        ("1", "overdue"),
        ("3", "exceptions"),
    ]


def test_the_trajectory_chart_runs_to_the_plan_end(example):
    frame = progress.trajectory_frame(example)
    # every month from the first period (January 2016) to the plan's end (March 2017)
    assert frame["period"].iloc[0] == "2016-01" and frame["period"].iloc[-1] == "2017-03"
    assert len(frame) == 15
    # due by then: January A1; February A1, A4; April A2 as well; then 3 (A3 is never due)
    assert frame["due"].tolist()[:5] == [1, 2, 2, 3, 3] and frame["due"].iloc[-1] == 3
    # complete at the reporting periods only (January to March), missing afterwards
    assert frame["complete"].iloc[:3].tolist() == [0, 0, 1]
    assert frame["complete"].iloc[3:].isna().all()
    html = progress.plan_progress(example)
    alt = (
        "Items due under the plan's timescales against items complete, Jan 2016 to Mar 2017: 2 "
        "due by 31 March 2016, 1 complete; 3 due by Mar 2017. The dotted line marks the "
        "reporting date."
    )
    assert f'<svg role="img" aria-label="{escape(alt)}"' in html
    assert '<td>March 2016</td><td class="num">2</td><td class="num">1</td>' in html
    assert '<td>April 2016</td><td class="num">3</td><td class="num"></td>' in html


def test_progress_by_theme(example):
    html = progress.plan_progress(example)
    assert "<caption>Progress against the plan by theme at March 2016</caption>" in html
    # T1: A1 due, not done; A2 later. T2: A4 due and done; A3 no due date.
    assert (
        '<th scope="row">Leadership</th><td>Ann Lead</td><td class="num">2</td><td class="num">1</td>'
        '<td class="num">0</td><td class="num">1</td><td class="num">0</td>'
        '<td class="num">0</td>' in html
    )
    assert (
        '<th scope="row">Engagement</th><td>No lead named</td><td class="num">2</td>'
        '<td class="num">1</td>'
        '<td class="num">1</td><td class="num">0</td><td class="num">0</td>'
        '<td class="num">1</td>' in html
    )


def test_an_ended_plan_says_so_and_a_known_gap_is_named(facts, tables, make_rows):
    facts["plan_status"] = {"ended": True, "plan_end": "2016-03-31", "message": ""}
    tables["source_notes"] = make_rows(
        "source_notes",
        {"note_ref": "N1", "table": "actions", "kind": "gap", "note": "Theme 3 lost."},
        {"note_ref": "N2", "table": "audiences", "kind": "gap", "note": "Audiences lost."},
    )
    sentences = progress.trajectory_sentences(report_data(facts, **tables))
    # only the gap in the plan's items counts: the audiences leave the figures whole
    assert sentences[-2] == (
        "These figures cover the 4 actions the inputs hold: the source document has 1 known "
        "gap in the plan's items, so the plan has more than these (Data quality)."
    )
    # 1 of 4 complete: 25%
    assert (
        sentences[-1]
        == "The plan period ended on 31 March 2016: 1 of its 4 actions (25%) is complete."
    )


def test_nothing_due_yet(facts, tables):
    facts["trajectory"] |= {"due": 0, "due_complete": 0, "gap": 0, "complete_early": 1}
    sentences = progress.trajectory_sentences(report_data(facts, **tables))
    assert sentences[0] == (
        "Due by now: none of the 4 actions is due on or before 31 March 2016 under the plan's "
        "own timescales."
    )
    assert sentences[1].startswith("Of the rest: 1 more is complete ahead of a due date")


# --- measures: Making Data Count ------------------------------------------------------------------


def _flow(make_rows, values):
    periods = [f"{2015 + (i + 6) // 12}-{(i + 6) % 12 + 1:02d}" for i in range(len(values) + 1)]
    return make_rows(
        "completions",
        {"period": periods[0], "completed_in_period": None},
        *[
            {"period": p, "completed_in_period": v}
            for p, v in zip(periods[1:], values, strict=True)
        ],
    )


def _row(html: str, name: str) -> str:
    return re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html).group(1)


def test_a_flow_with_too_few_points_has_no_limits(example):
    # completions: February 0, March 1 (January has no earlier period): 2 points
    html = progress.measures(example)
    row = _row(html, "Actions completed in the period")
    assert row.startswith("<td>1 in Mar 2016</td>")
    assert "Not charted as SPC: 2 points: at least 5 are needed." in row
    assert "0 in Feb 2016, 1 in Mar 2016." in row
    assert "<svg" not in row


def test_running_totals_and_stocks_are_never_xmr_charts(example):
    html = progress.measures(example)
    share = _row(html, "Share of actions complete")
    assert share.startswith("<td>25% (1 of 4)</td>")
    assert "<td>Not charted as SPC: a running total.</td>" in share
    overdue = _row(html, "Actions overdue")
    assert overdue.startswith("<td>1</td>")
    assert "<td>Not charted as SPC: a stock that carries over.</td>" in overdue
    assert "appendix Charts of the measures" not in html  # the only flow has too few points
    assert not progress.has_measure_charts(example)


@pytest.mark.parametrize(
    ("values", "icon", "label", "note"),
    [
        # mean 2.4; moving ranges 1, 1, 1, 1: limits 2.4 ± 2.66, lower clipped at 0; the
        # latest (2) is inside: common cause
        (
            [2, 3, 2, 3, 2],
            "common-cause",
            "Common cause variation",
            "5 points; mean 2.4, trial limits 0.0 to 5.1. The lower limit is clipped to the "
            "measure's natural range.",
        ),
        # mean 27/7 = 3.857; moving ranges 1 ×5 and 9: their mean 2.333, cut-off 7.62, so 9 is
        # screened: mean moving range 1, upper limit 6.517; 12 is above it: higher is better
        (
            [2, 3, 2, 3, 2, 3, 12],
            "improvement-high",
            "Special cause variation: improving (higher values)",
            "7 points; mean 3.9, trial limits 1.2 to 6.5. 1 moving range of 3.267 × the mean "
            "moving range or more was left out of the limits (screened).",
        ),
        # mean 33/7 = 4.714; moving ranges 1 ×5 and 6 (cut-off 5.99: screened); lower limit
        # 4.714 − 2.66 = 2.054; 0 is below it: fewer completions is a concern
        (
            [5, 6, 5, 6, 5, 6, 0],
            "concern-low",
            "Special cause variation: concerning (lower values)",
            "7 points; mean 4.7, trial limits 2.1 to 7.4. 1 moving range of 3.267 × the mean "
            "moving range or more was left out of the limits (screened).",
        ),
        # every moving range 0: limits of zero width, no flags, and the report says why
        (
            [3, 3, 3, 3, 3],
            "common-cause",
            "Common cause variation",
            "5 points; mean 3.0, trial limits 3.0 to 3.0. No special-cause flags: the process "
            "limits have zero width (every moving range is zero), so no point can be judged "
            "special cause.",
        ),
    ],
)
def test_completions_icons_worked_by_hand(facts, tables, make_rows, values, icon, label, note):
    tables["completions"] = _flow(make_rows, values)
    html = progress.measures(report_data(facts, **tables))
    row = _row(html, "Actions completed in the period")
    assert f'class="mdc-icon mdc-{icon}"' in row
    assert f'<span class="mdc-label">{label}</span>' in row
    assert f'aria-label="{label}"' in row  # the icon's own text alternative
    assert f"<td>{escape(note)}</td>" in row
    assert "The charts of these measures are in the appendix Charts of the measures." in html
    appendix = progress.measure_charts(report_data(facts, **tables))
    assert appendix.count("<figure") == 1
    assert "<caption>Actions completed in the period by reporting period</caption>" in appendix


def _pulse(make_rows, values, higher_is_better=True, target=None):
    return make_rows(
        "survey_trends",
        *[
            {"series": "pulse", "measure": "Q1", "measure_label": "Q1 I feel stressed"}
            | {"theme_ref": "T1", "wave": f"2016-{m:02d}", "survey_id": f"p{m}", "value": v}
            | {"base": 100, "higher_is_better": higher_is_better, "target": target}
            for m, v in zip(range(1, len(values) + 1), values, strict=True)
        ],
    )


@pytest.mark.parametrize(
    ("values", "higher", "target", "variation", "assurance"),
    [
        # lower is better. Mean 346/7 = 49.43; moving ranges 2 ×5 and 12 (cut-off 11.98:
        # screened), so limits 49.43 ± 5.32; 40 is below 44.11: improving, low
        ([50, 52, 50, 52, 50, 52, 40], False, None, "improvement-low", None),
        # mean 368/7 = 52.57; moving ranges 2 ×5 and 10 (mean 3.333, cut-off 10.89: kept);
        # upper limit 52.57 + 8.87 = 61.44; 62 is above it: concerning, high
        ([50, 52, 50, 52, 50, 52, 62], False, None, "concern-high", None),
        # higher is better. Mean 60.8, moving ranges 2: limits 55.48 to 66.12. A target of 50
        # is below the lower limit: the process consistently passes it; 80 is above the upper
        # limit: it consistently fails; 61 is inside: it hits and misses
        ([60, 62, 60, 62, 60], True, 50.0, "common-cause", "assurance-pass"),
        ([60, 62, 60, 62, 60], True, 80.0, "common-cause", "assurance-fail"),
        ([60, 62, 60, 62, 60], True, 61.0, "common-cause", "assurance-hit-and-miss"),
    ],
)
def test_survey_icons_worked_by_hand(
    facts, tables, make_rows, values, higher, target, variation, assurance
):
    tables["survey_trends"] = _pulse(make_rows, values, higher, target)
    html = progress.measures(report_data(facts, **tables))
    row = _row(html, "Q1 I feel stressed")
    month = ["May", "Jun", "Jul"][len(values) - 5]  # waves from January 2016, one a month
    assert row.startswith(f"<td>{values[-1]}% in {month} 2016 (base 100)</td>")
    assert f'class="mdc-icon mdc-{variation}"' in row
    if assurance is None:
        assert "<td>no target</td><td>none</td>" in row
    else:
        assert f'class="mdc-icon mdc-{assurance}"' in row
        assert f"<td>{target:g}%</td>" in row


def test_a_survey_measure_with_few_waves_has_no_icons(facts, tables, make_rows):
    tables["survey_trends"] = _pulse(make_rows, [50, 55, 60], True, 70.0)
    row = _row(progress.measures(report_data(facts, **tables)), "Q1 I feel stressed")
    assert "<svg" not in row
    assert "Not charted as SPC: 3 points: at least 5 are needed." in row
    assert "<td>none: no process limits</td><td>70%</td>" in row


# --- exceptions, changes ----------------------------------------------------------------------


def test_exceptions_are_the_exception_column_oldest_due_first(example):
    # A1 overdue and at risk (due 31 Jan), A2 moved (due 30 Jun), A3 off track (no due date);
    # A4 is complete and never listed
    assert progress.exception_items(example)["action_ref"].tolist() == ["A1", "A2", "A3"]
    html = progress.exceptions(example)
    assert html.startswith(
        "<p>3 actions not complete and overdue, off track, at risk or with a due date moved "
        "later than the plan's timescale (1 overdue, 1 off track, 1 at risk, 1 due date moved; "
        "an item may be listed for more than one reason)"
    )
    assert len(re.findall(r'<tr><th scope="row">', html)) == 3  # the count is the rows
    assert "<caption>Exceptions at March 2016</caption>" in html
    assert '<td class="num">60</td>' in html  # days overdue, a whole number
    assert "<td>overdue; at risk</td>" in html
    assert "<td>Delayed by winter pressures.<br>Revised plan in April.</td>" in html
    assert (
        '<span class="brag"><span class="swatch" style="background:#ED8B00" aria-hidden="true">'
        "</span>At risk</span>" in html
    )
    assert ">A4<" not in html


def test_a_complete_item_with_a_moved_date_is_no_exception(facts, tables):
    # A4 complete, and its due date moved: the pipeline marks it no exception
    tables["items"].loc[3, ["slipped"]] = True
    html = progress.exceptions(report_data(facts, **tables))
    assert ">A4<" not in html and html.startswith("<p>3 actions")


def test_no_exceptions(example, tables, facts):
    tables["items"] = tables["items"].iloc[[3]]
    html = progress.exceptions(report_data(facts, **tables))
    assert html == (
        '<p class="empty">No action is an exception: none that is not complete is overdue, '
        "off track, at risk or has a due date moved later.</p>"
    )


def test_exception_commentary_is_escaped(facts, tables):
    tables["items"].loc[0, "commentary"] = HOSTILE
    html = progress.exceptions(report_data(facts, **tables))
    assert "<script" not in html and "<img" not in html
    assert ESCAPED in html


def test_changes_name_the_previous_paper_and_count_each_kind(example):
    html = progress.changes(example)
    # February: 0 complete, 0 overdue; March: 1 complete, 1 overdue
    assert html.startswith(
        "<p>Compared with the previous paper to the Governing Body on 9 March 2016 (data as at "
        "29 February 2016). Since then, 1 more action is complete and the number overdue rose "
        'from 0 to 1.</p><ul class="changes"><li>Newly complete (1): A4</li></ul>'
    )
    assert "<table" not in html  # items are listed by reference (in full in Appendix A)


def test_changes_against_the_previous_period_say_so(facts, tables):
    facts["comparison"] = {"period": "2016-02", "basis": "previous period", "meeting": None}
    facts["previous"]["overdue"] = 1
    facts["previous"]["complete"] = 2
    html = progress.changes(report_data(facts, **tables))
    assert html.startswith(
        "<p>Compared with the previous reporting period, February 2016: the meeting calendar "
        "has no earlier paper to the same body. Since then, 1 fewer action is complete and the "
        "number overdue is unchanged at 1.</p>"
    )


def test_no_sentence_says_from_x_to_x(facts, tables):
    for before in range(3):
        facts["previous"]["overdue"] = before
        facts["current"]["overdue"] = 1
        sentence = progress.change_sentence(report_data(facts, **tables))
        assert not re.search(r"from (\d+) to \1\b", sentence)


def test_each_kind_of_change_is_listed_by_reference(facts, tables, make_rows):
    tables["changes"] = make_rows(
        "changes",
        {"change": "Newly off track", "action_ref": "A3", "action": "Staff forum"},
        {"change": "New slippage", "action_ref": "A2", "action": "Values workshop"}
        | {"before": "30 April 2016", "now": "30 June 2016"},
        {"change": "New slippage", "action_ref": "A1", "action": HOSTILE}
        | {"before": "31 January 2016", "now": "29 February 2016"},
    )
    html = progress.changes(report_data(facts, **tables))
    assert html.endswith(
        '<ul class="changes"><li>Newly off track (1): A3</li><li>New slippage (2): A2 (due 30 '
        "April 2016, now 30 June 2016), A1 (due 31 January 2016, now 29 February 2016)</li></ul>"
    )


def test_no_changes(facts, tables):
    del tables["changes"]
    html = progress.changes(report_data(facts, **tables))
    assert html.endswith(
        "<p>No action was completed, went off track or slipped since February 2016.</p>"
    )


# --- status by theme, accountability, appendices -------------------------------------------------


def test_status_by_theme_text_alternative_and_tables(example):
    html = progress.status_by_theme(example)
    alt = "4 actions across 2 themes: 1 complete, 1 on track, 1 at risk, 1 off track."
    assert f'<svg role="img" aria-label="{alt}" ' in html
    assert f"<figcaption>{alt}</figcaption>" in html
    assert "<details><summary>Data for this chart</summary>" in html
    # the chart's data: one row per theme, a column per status present
    assert (
        '<tr><td>Leadership</td><td class="num">0</td><td class="num">1</td>'
        '<td class="num">1</td><td class="num">0</td></tr>' in html
    )


def test_no_status_reported_is_never_in_progress(facts, tables):
    # A3 has no progress row: "Not rated", not reported
    tables["items"].loc[2, ["status", "rag", "brag", "reported"]] = [
        "No status reported",
        "",
        "Not rated",
        False,
    ]
    facts["current"]["counts"] |= {"Off track": 0, "Not rated": 1}
    data = report_data(facts, **tables)
    assert progress.brag_words(data) == "1 complete, 1 on track, 1 at risk, 1 no status reported"
    assert progress.headline_figures(data).no_status == 1
    html = progress.all_items(data)
    assert "<td>No status reported</td>" in html


def test_timeline_places_dated_items_and_counts_the_rest(example):
    html = progress.timeline(example)
    # A1, A2, A4 have due dates; A1 and A4 have no start: the plan's start, 1 April 2015.
    assert (
        "3 dated actions from 1 April 2015 to 30 June 2016; the dashed line marks the reporting "
        "date, 31 March 2016. 1 ongoing or undated actions are not shown." in html
    )
    assert "<td>1 February 2016</td><td>30 June 2016</td>" in html


def test_accountability_shows_only_statuses_someone_has(example):
    html = progress.accountability(example)
    assert html.startswith("<p>Every action has a lead named, in the action, its theme or the")
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headings == ["Lead", "Complete", "On track", "At risk", "Off track", "Total", "Overdue"]
    assert "<caption>Actions by lead and status</caption>" in html
    assert '<th scope="row">Ann Lead</th><td class="num">0</td>' in html


def test_items_with_no_lead_are_counted_and_listed(facts, tables, make_rows):
    tables["accountability_gaps"] = make_rows(
        "accountability_gaps",
        {"action_ref": "A3", "action": "Staff forum", "theme": "Engagement", "brag": "Off track"},
    )
    html = progress.accountability(report_data(facts, **tables))
    assert html.startswith(
        "<p>1 of 4 actions has no lead named, in the action, its theme or the source: counted "
        "as “No lead named” in the table and listed after it.</p>"
    )
    assert "<caption>Actions with no lead named</caption>" in html
    assert '<th scope="row">A3</th><td>Staff forum</td><td>Engagement</td>' in html


def test_every_item_in_the_appendix(example):
    html = progress.all_items(example)
    assert "<caption>Every action at March 2016, by theme</caption>" in html
    assert len(re.findall(r'<tr><th scope="row">A\d</th>', html)) == 4
    assert "<td>Ben Lead</td><td>April 2016</td><td>30 June 2016</td><td>In progress</td>" in html
    # a heading row per theme over its items, in the plan's order; the theme not on each row
    groups = re.findall(
        r'<tbody><tr class="theme-row"><th scope="rowgroup" colspan="8">([^<]*)</th></tr>'
        r"(.*?)</tbody>",
        html,
    )
    refs = [(theme, re.findall(r'<th scope="row">(A\d)</th>', rows)) for theme, rows in groups]
    assert refs == [("Leadership", ["A1", "A2"]), ("Engagement", ["A3", "A4"])]
    assert '<th scope="col">Theme</th>' not in html


def test_prepared_for_without_papers_date(facts, tables):
    facts["meeting"] = {"body": "Board", "date": "2016-04-13"}
    assert progress.prepared_for(report_data(facts, **tables)) == "Board meeting on 13 April 2016"


def test_frames_stay_unchanged(example):
    before = example.items.copy()
    for section in (
        progress.exceptions,
        progress.timeline,
        progress.plan_progress,
        progress.measures,
        progress.all_items,
    ):
        section(example)
    pd.testing.assert_frame_equal(example.items, before)


def test_a_theme_with_no_items_is_named(facts, tables, make_rows):
    # Dorset's theme 5 was lost from the source text: a theme of the plan with no items
    tables["themes"] = make_rows(
        "themes",
        {"theme_ref": "T1", "theme": "Leadership", "lead": "Ann Lead", "items": 2},
        {"theme_ref": "T2", "theme": "Engagement", "items": 2, "complete": 1},
        {"theme_ref": "T3", "theme": "Values", "items": 0},
    )
    html = progress.plan_progress(report_data(facts, **tables))
    assert html.endswith("<p>No actions in the inputs for: T3 Values.</p>")
