""" "Changes since": the meeting a report is for, its baseline, the items that changed."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.errors import UsageError
from odreport.inputs.tables import read_inputs
from odreport.metrics import comparison, derive


@pytest.fixture
def inputs(example_project):
    return read_inputs(example_project.raw_dir("example"), example_project.expectations)


def test_changes_since_previous_report(inputs):
    items, _ = derive.plan_items(inputs)
    sep = derive.snapshot(items, inputs, "2025-09")
    dec = derive.snapshot(items, inputs, "2025-12")
    ch = comparison.changes(sep, dec)
    assert ch[["change", "action_ref"]].values.tolist() == [
        ["Newly complete", "LD1"],
        ["Newly off track", "EN1"],
        ["New slippage", "EN1"],
    ]
    assert ch.iloc[2][["before", "now"]].tolist() == ["31 January 2026", "31 March 2026"]
    assert comparison.changes(None, dec).empty


def test_next_meeting_is_the_first_whose_papers_deadline_follows_the_data(inputs):
    assert comparison.next_meeting(inputs, "2025-12")["date"] == "2026-01-15"  # template calendar
    del inputs.tables["meetings"]
    assert comparison.next_meeting(inputs, "2025-12") is None  # no calendar
    inputs.tables["meetings"] = pd.DataFrame(
        {
            # papers due Saturday 20 December: Friday 19th, before the data's 31 December
            "date": pd.to_datetime(["2025-12-31", "2026-01-15", "2026-03-12"]),
            "body": ["Governing Body"] * 3,
            "papers_due": pd.to_datetime(["2025-12-20", "2026-01-08", None]),
            "source": ["Illustrative (test)", "Minutes", "Minutes"],
        }
    )
    found = comparison.next_meeting(inputs, "2025-12")
    assert {k: found[k] for k in ("date", "body", "papers_due", "illustrative")} == {
        "date": "2026-01-15",
        "body": "Governing Body",
        "papers_due": "2026-01-08",
        "illustrative": False,
    }
    assert found["staleness"]["stale"] is False
    # 2026-01 has no data, so it would be the latest for March (papers due 5 March)
    assert comparison.next_meeting(inputs, "2026-01")["deadline"] == "2026-03-05"
    assert (
        comparison.next_meeting(inputs, "2026-03") is None
    )  # March's data are after every deadline
    # a meeting named explicitly: never one whose deadline is before the data's date
    assert comparison.next_meeting(inputs, "2025-12", "2026-03-12")["date"] == "2026-03-12"
    with pytest.raises(UsageError, match="cannot claim data after its deadline"):
        comparison.next_meeting(inputs, "2025-12", "2025-12-31")
    with pytest.raises(UsageError, match="no meeting on 2026-02-01"):
        comparison.next_meeting(inputs, "2025-12", "2026-02-01")


def _monthly(inputs) -> None:
    """Progress every month from September to December 2025 (October and November as
    September)."""
    p = inputs.tables["progress"]
    extra = [p[p["period"] == "2025-09"].assign(period=m) for m in ("2025-10", "2025-11")]
    inputs.tables["progress"] = pd.concat([p, *extra], ignore_index=True)


def test_changes_since_compare_with_the_previous_paper_to_the_same_body(inputs):
    _monthly(inputs)
    # The December report is for the meeting on 15 January 2026; the previous paper, for
    # 9 October 2025 (papers due 2 October), reported September's data, not November's.
    c = comparison.comparison(inputs, "2025-12")
    assert (c.period, c.basis, c.meeting.date.isoformat()) == (
        "2025-09",
        comparison.PREVIOUS_PAPER,
        "2025-10-09",
    )
    assert c.describe() == (
        "the previous paper to the Governing Body on 9 October 2025 (data as at 30 September 2025)"
    )
    # November's report is superseded by December's before the January papers: an interim
    # report, compared with the previous period
    c = comparison.comparison(inputs, "2025-11")
    assert (c.period, c.basis, c.meeting) == ("2025-10", comparison.PREVIOUS_PERIOD, None)
    assert c.describe() == "the previous report (October 2025)"
    # the first meeting has no previous paper: the previous period
    assert comparison.comparison(inputs, "2025-09").basis == comparison.NO_BASELINE
    del inputs.tables["meetings"]
    c = comparison.comparison(inputs, "2025-12")
    assert (c.period, c.basis) == ("2025-11", comparison.PREVIOUS_PERIOD)
