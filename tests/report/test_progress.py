"""Sections on progress, on the example of tests/report/conftest.py (figures worked by hand)."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from odreport.report import appendix_items, exceptions_changes, making_data_count, progress
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


def test_prepared_for_without_papers_date(facts, tables):
    facts["meeting"] = {"body": "Board", "date": "2016-04-13"}
    assert progress.prepared_for(report_data(facts, **tables)) == "Board meeting on 13 April 2016"


def test_frames_stay_unchanged(example):
    before = example.items.copy()
    for section in (
        exceptions_changes.exceptions,
        appendix_items.timeline,
        progress.plan_progress,
        making_data_count.measures,
        appendix_items.all_items,
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
