"""Appendices: every item and its status, the milestones timeline (odreport.report.appendix_items)."""

from __future__ import annotations

import re

from odreport.report import appendix_items, progress
from odreport.report.data import report_data


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
    html = appendix_items.all_items(data)
    assert "<td>No status reported</td>" in html


def test_timeline_places_dated_items_and_counts_the_rest(example):
    html = appendix_items.timeline(example)
    # A1, A2, A4 have due dates; A1 and A4 have no start: the plan's start, 1 April 2015.
    assert (
        "3 dated actions from 1 April 2015 to 30 June 2016; the dashed line marks the reporting "
        "date, 31 March 2016. 1 ongoing or undated actions are not shown." in html
    )
    assert "<td>1 February 2016</td><td>30 June 2016</td>" in html


def test_every_item_in_the_appendix(example):
    html = appendix_items.all_items(example)
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
