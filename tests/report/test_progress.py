"""Sections on progress, on the example of tests/report/conftest.py (figures worked by hand)."""

from __future__ import annotations

import re

import pandas as pd

from odreport.report import progress
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_header_names_the_report_the_meeting_and_the_contents(example):
    html = progress.header(example, ["Headline", "Risk"])
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
    assert '<li><a href="#headline">Headline</a></li><li><a href="#risk">Risk</a></li>' in html
    assert 'class="notice"' not in html  # reported figures: no illustrative note


def test_header_says_when_figures_are_illustrative(facts, tables):
    facts.update(illustrative=True, illustrative_note="Made up for March 2016.")
    facts["surveys"]["illustrative_note"] = "Surveys made up."
    facts["meeting"] = None
    html = progress.header(report_data(facts, **tables), [])
    assert html.count('<div class="notice" role="note"><strong>Note:</strong> ') == 2
    assert "Made up for March 2016.</div>" in html and "Surveys made up.</div>" in html
    assert "<dt>Prepared for</dt><dd>Governing Body</dd>" in html


def test_hostile_organisation_names_are_text(facts, tables):
    facts["organisation"]["name"] = HOSTILE
    facts["organisation"]["short_name"] = '"><svg onload=alert(3)>'
    html = progress.header(report_data(facts, **tables), [])
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert ESCAPED in html
    assert "<h1>&quot;&gt;&lt;svg onload=alert(3)&gt;: organisational" in html


def test_headline_sentences_and_key_figures(example):
    html = progress.headline(example)
    assert "<p>1 action is overdue: past the due date and not complete.</p>" in html
    assert re.findall(r'kf-value">([^<]*)</span><span class="kf-label">([^<]*)<', html) == [
        ("4", "actions in the plan"),
        ("25%", "complete"),
        ("1", "overdue"),
        ("1", "due date moved"),
    ]


def test_exceptions_are_overdue_off_track_or_slipped_oldest_due_first(example):
    # A1 overdue (due 31 Jan), A2 slipped (due 30 Jun), A3 off track (no due date): A4 is
    # complete and on time, so it is no exception.
    assert progress.exception_items(example)["action_ref"].tolist() == ["A1", "A2", "A3"]
    html = progress.exceptions(example)
    assert html.startswith(
        "<p>3 actions overdue, off track or with a due date later than the plan's timescale"
    )
    assert "<caption>Exceptions at March 2016</caption>" in html
    assert '<td class="num">60</td>' in html  # days overdue, a whole number
    assert "<td>Delayed by winter pressures.<br>Revised plan in April.</td>" in html
    assert (
        '<span class="brag"><span class="swatch" style="background:#ED8B00" aria-hidden="true">'
        "</span>At risk</span>" in html
    )


def test_no_exceptions(example, tables, facts):
    tables["items"] = tables["items"].iloc[[3]]
    html = progress.exceptions(report_data(facts, **tables))
    assert html == '<p class="empty">No action is overdue, off track or slipped.</p>'


def test_exception_commentary_is_escaped(facts, tables):
    tables["items"].loc[0, "commentary"] = HOSTILE
    html = progress.exceptions(report_data(facts, **tables))
    assert "<script" not in html and "<img" not in html
    assert ESCAPED in html


def test_changes_counts_each_kind(example):
    html = progress.changes(example)
    assert html.startswith(
        "<p>Since February 2016: 1 newly complete, 0 newly off track, 0 new slippage.</p>"
    )
    assert "<caption>Changes between February 2016 and March 2016</caption>" in html


def test_no_changes(facts, tables):
    del tables["changes"]
    html = progress.changes(report_data(facts, **tables))
    assert html == "<p>No action was completed, went off track or slipped since February 2016.</p>"


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
    assert '<th scope="row">T2</th><td>Engagement</td><td></td>' in html  # no lead: blank


def test_timeline_places_dated_items_and_counts_the_rest(example):
    html = progress.timeline(example)
    # A1, A2, A4 have due dates; A1 and A4 have no start: the plan's start, 1 April 2015.
    assert (
        "3 dated actions from 1 April 2015 to 30 June 2016; the dashed line marks the reporting "
        "date, 31 March 2016. 1 ongoing or undated actions are not shown." in html
    )
    assert "<td>1 February 2016</td><td>30 June 2016</td>" in html


def test_trend_under_five_periods_is_a_run_chart(example):
    html = progress.trend(example)
    assert html.startswith(
        "<p>3 reporting periods so far: too few for statistical process control (at least 5 "
        "are needed), so these are plain run charts.</p>"
    )
    assert "<figcaption>Complete (%): 0% in Jan 2016, 25% in Mar 2016.</figcaption>" in html
    assert "<figcaption>Items overdue: 0 in Jan 2016, 1 in Mar 2016.</figcaption>" in html


def test_trend_from_five_periods_is_an_xmr_chart(facts, tables, make_rows):
    shares = [0, 10, 20, 30, 40]
    tables["trend"] = make_rows(
        "trend",
        *[
            {"period": f"2015-{m:02d}", "share_complete": s, "items": 4}
            for m, s in zip(range(11, 13), shares, strict=False)
        ],
        *[
            {"period": f"2016-{m:02d}", "share_complete": s, "items": 4}
            for m, s in zip(range(1, 4), shares[2:], strict=True)
        ],
    )
    html = progress.trend(report_data(facts, **tables))
    assert "too few" not in html
    # mean 20, moving ranges all 10: limits 20 ± 2.66 × 10, trial limits (under 12 points)
    assert "Complete: mean 20.0%, trial limits -6.6% to 46.6% over 5 points" in html
    assert '<th scope="col">Special-cause rule</th>' in html


def test_accountability_shows_only_statuses_someone_has(example):
    html = progress.accountability(example)
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headings == ["Lead", "Complete", "On track", "At risk", "Off track", "Total", "Overdue"]
    assert "<caption>Actions by lead and status</caption>" in html
    assert '<th scope="row">Ann Lead</th><td class="num">0</td>' in html


def test_prepared_for_without_papers_date(facts, tables):
    facts["meeting"] = {"body": "Board", "date": "2016-04-13"}
    assert progress.prepared_for(report_data(facts, **tables)) == "Board meeting on 13 April 2016"


def test_frames_stay_unchanged(example):
    before = example.items.copy()
    for section in (progress.exceptions, progress.timeline, progress.trend):
        section(example)
    pd.testing.assert_frame_equal(example.items, before)
