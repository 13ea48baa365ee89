"""Exceptions and the changes since the previous paper (odreport.report.exceptions_changes)."""

from __future__ import annotations

import re

from odreport.report import exceptions_changes
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_exceptions_are_the_exception_column_oldest_due_first(example):
    # A1 overdue and at risk (due 31 Jan), A2 moved (due 30 Jun), A3 off track (no due date);
    # A4 is complete and never listed
    assert exceptions_changes.exception_items(example)["action_ref"].tolist() == ["A1", "A2", "A3"]
    html = exceptions_changes.exceptions(example)
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
    html = exceptions_changes.exceptions(report_data(facts, **tables))
    assert ">A4<" not in html and html.startswith("<p>3 actions")


def test_no_exceptions(example, tables, facts):
    tables["items"] = tables["items"].iloc[[3]]
    html = exceptions_changes.exceptions(report_data(facts, **tables))
    assert html == (
        '<p class="empty">No action is an exception: none that is not complete is overdue, '
        "off track, at risk or has a due date moved later.</p>"
    )


def test_exception_commentary_is_escaped(facts, tables):
    tables["items"].loc[0, "commentary"] = HOSTILE
    html = exceptions_changes.exceptions(report_data(facts, **tables))
    assert "<script" not in html and "<img" not in html
    assert ESCAPED in html


def test_changes_name_the_previous_paper_and_count_each_kind(example):
    html = exceptions_changes.changes(example)
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
    html = exceptions_changes.changes(report_data(facts, **tables))
    assert html.startswith(
        "<p>Compared with the previous reporting period, February 2016: the meeting calendar "
        "has no earlier paper to the same body. Since then, 1 fewer action is complete and the "
        "number overdue is unchanged at 1.</p>"
    )


def test_no_sentence_says_from_x_to_x(facts, tables):
    for before in range(3):
        facts["previous"]["overdue"] = before
        facts["current"]["overdue"] = 1
        sentence = exceptions_changes.change_sentence(report_data(facts, **tables))
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
    html = exceptions_changes.changes(report_data(facts, **tables))
    assert html.endswith(
        '<ul class="changes"><li>Newly off track (1): A3</li><li>New slippage (2): A2 (due 30 '
        "April 2016, now 30 June 2016), A1 (due 31 January 2016, now 29 February 2016)</li></ul>"
    )


def test_no_changes(facts, tables):
    del tables["changes"]
    html = exceptions_changes.changes(report_data(facts, **tables))
    assert html.endswith(
        "<p>No action was completed, went off track or slipped since February 2016.</p>"
    )


# --- status by theme, accountability, appendices -------------------------------------------------
