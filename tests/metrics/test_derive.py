"""Metrics against hand-computed examples: BRAG, overdue, slippage, change since last report."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from odreport.errors import UsageError
from odreport.inputs.problems import WARNING, Problem
from odreport.inputs.tables import read_inputs
from odreport.metrics import derive


@pytest.fixture
def inputs(example_project):
    return read_inputs(example_project.raw_dir("example"), example_project.expectations)


def test_brag_mapping():
    assert derive.brag("Complete", "Green") == "Complete"
    assert derive.brag("In progress", "Blue") == "Complete"
    assert derive.brag("Proposed", None) == "Not started"
    assert derive.brag("In progress", "Red") == "Off track"
    assert derive.brag("In progress", "Amber") == "At risk"
    assert derive.brag("Ongoing", "Green") == "On track"
    assert derive.brag("In progress", None) == "Not rated"


def test_pct_rounds_half_up_and_handles_zero():
    assert derive.pct(1, 8) == 13  # 12.5 → 13
    assert derive.pct(1, 3) == 33
    assert derive.pct(2, 3) == 67
    assert derive.pct(0, 0) is None


def test_pct_round_is_the_one_rounding_rule_halves_up():
    assert [derive.pct_round(v) for v in (12.5, 12.49, 0.5, 99.5, 55.555)] == [13, 12, 1, 100, 56]


def test_plan_items_parse_timescales_and_fall_back_to_theme_lead(inputs):
    items, unparsed = derive.plan_items(inputs)
    assert unparsed == []
    row = items.set_index("action_ref").loc["LD2"]
    assert row["lead"] == "Alex Example"  # from the theme "Alex Example – Chief Officer"
    assert row["original_due"] == pd.Timestamp("2026-05-31")
    assert items.set_index("action_ref").loc["EN2", "timescale_kind"] == "ongoing"


def test_a_timescale_not_understood_is_a_warning_with_its_place(inputs):
    actions = inputs.tables["actions"]
    inputs.tables["actions"] = actions.assign(
        timescale=["When: we can", *actions["timescale"].tolist()[1:]]
    )
    _, unparsed = derive.plan_items(inputs)
    assert unparsed == [
        Problem(
            "data/raw/example/actions.csv",
            2,
            "timescale",
            "timescale not understood (found 'When: we can')",
            WARNING,
        )
    ]


def test_snapshot_overdue_and_slippage(inputs):
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-12").set_index("action_ref")
    # LD1 due September 2025, complete by December: not overdue.
    assert snap.loc["LD1", "brag"] == "Complete" and not snap.loc["LD1", "overdue"]
    # EN1 due December 2025 in the plan, moved to 31 March 2026: slipped, not overdue at 31 Dec.
    assert snap.loc["EN1", "slipped"] and not snap.loc["EN1", "overdue"]
    assert snap.loc["EN1", "current_due"] == pd.Timestamp("2026-03-31")
    # EN2 is ongoing: never overdue.
    assert not snap.loc["EN2", "overdue"]
    m = derive.metrics(snap.reset_index(), "2025-12")
    assert (m.items, m.complete, m.share_complete, m.overdue, m.slipped) == (4, 1, 25, 0, 1)
    assert m.counts == {
        "Complete": 1,
        "On track": 2,
        "At risk": 0,
        "Off track": 1,
        "Not started": 0,
        "Not rated": 0,
    }


def test_overdue_counts_days_from_the_reporting_date(inputs):
    items, _ = derive.plan_items(inputs)
    progress = inputs.tables["progress"]
    # Drop the moved due date: EN1 is due 31 December 2025; at March 2026 it is 90 days overdue.
    march = progress[progress["period"] == "2025-12"].copy()
    march["period"] = "2026-03"
    march.loc[march["action_ref"] == "EN1", "due_date"] = pd.NaT
    inputs.tables["progress"] = pd.concat([progress, march], ignore_index=True)
    snap = derive.snapshot(items, inputs, "2026-03").set_index("action_ref")
    assert snap.loc["EN1", "overdue"]
    assert snap.loc["EN1", "days_overdue"] == 90
    assert not snap.loc["EN1", "slipped"]


def test_items_without_progress_rows_are_not_reported_not_guessed(inputs):
    items, _ = derive.plan_items(inputs)
    inputs.tables["progress"] = inputs.tables["progress"].iloc[0:0]
    snap = derive.snapshot(items, inputs, "2025-04")
    assert set(snap["status"]) == {"No status reported"}
    assert set(snap["brag"]) == {"Not rated"}
    assert not snap["reported"].any()
    assert not snap["overdue"].any()  # a period before anything is due


def test_headline_first_report_and_change_since_previous(inputs):
    items, _ = derive.plan_items(inputs)
    org = derive.organisation(inputs)
    sep = derive.metrics(derive.snapshot(items, inputs, "2025-09"), "2025-09")
    dec = derive.metrics(derive.snapshot(items, inputs, "2025-12"), "2025-12")
    first = derive.headline(org, sep, None)
    assert first[0] == (
        "At the end of September 2025, 0 of 4 actions (0%) are complete; "
        "2 on track, 1 at risk, 0 off track and 1 not started."
    )
    assert first[-1].startswith("This is the first progress report")
    later = derive.headline(org, dec, sep)
    assert later[0].startswith("At the end of December 2025, 1 of 4 actions (25%) is complete;")
    assert later[-1] == (
        "Since the previous report (September 2025), 1 more was completed, "
        "and the number overdue stayed at 0."
    )
    assert 3 <= len(later) <= 5


def test_all_complete(inputs):
    items, _ = derive.plan_items(inputs)
    p = inputs.tables["progress"]
    p.loc[p["period"] == "2025-12", "status"] = "Complete"
    snap = derive.snapshot(items, inputs, "2025-12")
    m = derive.metrics(snap, "2025-12")
    assert (m.share_complete, m.overdue) == (100, 0)


def test_trend_lists_every_period_up_to_the_current(inputs):
    items, _ = derive.plan_items(inputs)
    t = derive.trend(items, inputs, "2025-12")
    assert t["period"].tolist() == ["2025-09", "2025-12"]
    assert t["share_complete"].tolist() == [0, 25]


def test_changes_since_previous_report(inputs):
    items, _ = derive.plan_items(inputs)
    sep = derive.snapshot(items, inputs, "2025-09")
    dec = derive.snapshot(items, inputs, "2025-12")
    ch = derive.changes(sep, dec)
    assert ch[["change", "action_ref"]].values.tolist() == [
        ["Newly complete", "LD1"],
        ["Newly off track", "EN1"],
        ["New slippage", "EN1"],
    ]
    assert ch.iloc[2][["before", "now"]].tolist() == ["31 January 2026", "31 March 2026"]
    assert derive.changes(None, dec).empty


def test_accountability_counts_items_per_lead(inputs):
    items, _ = derive.plan_items(inputs)
    acc = derive.accountability(derive.snapshot(items, inputs, "2025-12")).set_index("lead")
    assert acc.loc["Alex Example", ["Complete", "On track", "Total"]].tolist() == [1, 1, 2]
    assert acc.loc["Sam Example", ["On track", "Off track", "Total", "Overdue"]].tolist() == [
        1,
        1,
        2,
        0,
    ]


def test_framework_coverage_finds_gaps(inputs):
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-12")
    inputs.tables["frameworks"] = pd.DataFrame(
        {"framework": ["AUTH"] * 3, "code": ["1", "2", "3"], "name": ["A", "B", "C"]}
    )
    inputs.tables["mappings"] = pd.DataFrame(
        {"ref": ["LD", "EN1"], "framework": ["AUTH", "AUTH"], "code": ["1", "2"]}
    )
    cov = derive.framework_coverage(inputs, snap).set_index("code")
    assert cov.loc["1", ["actions", "off_track", "gap"]].tolist() == [2, 0, ""]  # via theme LD
    assert cov.loc["2", ["actions", "off_track", "gap"]].tolist() == [1, 1, "All off track"]
    assert cov.loc["3", ["actions", "gap"]].tolist() == [0, "No action"]


def test_next_meeting_is_the_first_whose_papers_deadline_follows_the_data(inputs):
    assert derive.next_meeting(inputs, "2025-12")["date"] == "2026-01-15"  # template calendar
    del inputs.tables["meetings"]
    assert derive.next_meeting(inputs, "2025-12") is None  # no calendar
    inputs.tables["meetings"] = pd.DataFrame(
        {
            # papers due Saturday 20 December: Friday 19th, before the data's 31 December
            "date": pd.to_datetime(["2025-12-31", "2026-01-15", "2026-03-12"]),
            "body": ["Governing Body"] * 3,
            "papers_due": pd.to_datetime(["2025-12-20", "2026-01-08", None]),
            "source": ["Illustrative (test)", "Minutes", "Minutes"],
        }
    )
    found = derive.next_meeting(inputs, "2025-12")
    assert {k: found[k] for k in ("date", "body", "papers_due", "illustrative")} == {
        "date": "2026-01-15",
        "body": "Governing Body",
        "papers_due": "2026-01-08",
        "illustrative": False,
    }
    assert found["staleness"]["stale"] is False
    # 2026-01 has no data, so it would be the latest for March (papers due 5 March)
    assert derive.next_meeting(inputs, "2026-01")["deadline"] == "2026-03-05"
    assert derive.next_meeting(inputs, "2026-03") is None  # March's data are after every deadline
    # a meeting named explicitly: never one whose deadline is before the data's date
    assert derive.next_meeting(inputs, "2025-12", "2026-03-12")["date"] == "2026-03-12"
    with pytest.raises(UsageError, match="cannot claim data after its deadline"):
        derive.next_meeting(inputs, "2025-12", "2025-12-31")
    with pytest.raises(UsageError, match="no meeting on 2026-02-01"):
        derive.next_meeting(inputs, "2025-12", "2026-02-01")


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
    c = derive.comparison(inputs, "2025-12")
    assert (c.period, c.basis, c.meeting.date.isoformat()) == (
        "2025-09",
        derive.PREVIOUS_PAPER,
        "2025-10-09",
    )
    assert c.describe() == (
        "the previous paper to the Governing Body on 9 October 2025 (data as at 30 September 2025)"
    )
    # November's report is superseded by December's before the January papers: an interim
    # report, compared with the previous period
    c = derive.comparison(inputs, "2025-11")
    assert (c.period, c.basis, c.meeting) == ("2025-10", derive.PREVIOUS_PERIOD, None)
    assert c.describe() == "the previous report (October 2025)"
    # the first meeting has no previous paper: the previous period
    assert derive.comparison(inputs, "2025-09").basis == derive.NO_BASELINE
    del inputs.tables["meetings"]
    c = derive.comparison(inputs, "2025-12")
    assert (c.period, c.basis) == ("2025-11", derive.PREVIOUS_PERIOD)


def test_headline_names_the_baseline(inputs):
    items, _ = derive.plan_items(inputs)
    org = derive.organisation(inputs)
    sep = derive.metrics(derive.snapshot(items, inputs, "2025-09"), "2025-09")
    dec = derive.metrics(derive.snapshot(items, inputs, "2025-12"), "2025-12")
    c = derive.comparison(inputs, "2025-12")
    assert derive.headline(org, dec, sep, c.describe())[-1] == (
        "Since the previous paper to the Governing Body on 9 October 2025 (data as at "
        "30 September 2025), 1 more was completed, and the number overdue stayed at 0."
    )
    same = derive.headline(org, sep, sep)[-1]
    assert same.endswith("no more actions were completed, and the number overdue stayed at 0.")


def test_exceptions_are_open_items_overdue_off_track_at_risk_or_moved(inputs):
    items, _ = derive.plan_items(inputs)
    # September: EN1 is At risk (Amber) with its due date moved from 31 December 2025 to
    # 31 January 2026; LD1 is due 30 September, so not yet overdue at 30 September.
    sep = derive.snapshot(items, inputs, "2025-09").set_index("action_ref")
    assert sep.index[sep["exception"]].tolist() == ["EN1"]
    assert sep.loc["EN1", "exception_reasons"] == "at risk; due date moved"
    # December: EN1 Off track (Red), moved to 31 March 2026
    dec = derive.snapshot(items, inputs, "2025-12")
    ex = derive.exceptions(dec)
    assert ex["action_ref"].tolist() == ["EN1"]
    assert ex.iloc[0]["exception_reasons"] == "off track; due date moved"
    assert derive.metrics(dec, "2025-12").exceptions == 1
    # A complete item is never an exception, even with its due date moved
    p = inputs.tables["progress"]
    p.loc[(p["period"] == "2025-12") & (p["action_ref"] == "EN1"), ["status", "rag"]] = [
        "Complete",
        "Blue",
    ]
    dec = derive.snapshot(items, inputs, "2025-12")
    assert dec.set_index("action_ref").loc["EN1", "slipped"]
    assert not dec["exception"].any()
    # An open item past its due date is overdue, whatever its RAG: LD2 (On track) at June 2026
    june = p[p["period"] == "2025-12"].assign(period="2026-06")
    inputs.tables["progress"] = pd.concat([p, june], ignore_index=True)
    jun = derive.snapshot(items, inputs, "2026-06").set_index("action_ref")
    assert jun.loc["LD2", "exception_reasons"] == "overdue"


def test_no_status_reported_is_never_in_progress(inputs):
    items, _ = derive.plan_items(inputs)
    p = inputs.tables["progress"]
    inputs.tables["progress"] = p[~((p["period"] == "2025-12") & (p["action_ref"] == "LD2"))]
    snap = derive.snapshot(items, inputs, "2025-12")
    m = derive.metrics(snap, "2025-12")
    assert (m.counts["Not rated"], m.no_status) == (1, 1)
    first = derive.headline(derive.organisation(inputs), m, None)[0]
    assert first == (
        "At the end of December 2025, 1 of 4 actions (25%) is complete; 1 on track, "
        "0 at risk, 1 off track, 0 not started and 1 with no status reported."
    )
    assert "in progress" not in first


def test_leads_and_no_lead_named(inputs):
    inputs.tables["themes"].loc[inputs.tables["themes"]["theme_ref"] == "LD", "lead"] = None
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-12")
    # LD2 names no lead and its theme no longer does; EN2 takes its theme's lead
    assert derive.metrics(snap, "2025-12").no_lead == 1
    assert derive.accountability_gaps(snap)["action_ref"].tolist() == ["LD2"]
    acc = derive.accountability(snap).set_index("lead")
    assert acc.loc["No lead named", "Total"] == 1
    assert acc.loc["Sam Example", "Total"] == 2


def test_relative_timescales_count_from_the_plan_date(inputs):
    org = inputs.tables["organisation"]
    inputs.tables["actions"].loc[inputs.tables["actions"]["action_ref"] == "LD2", "timescale"] = (
        "6 months"
    )
    items, _ = derive.plan_items(inputs)
    # no plan date: from the plan start, 1 April 2025 -> due 30 September 2025
    assert items.set_index("action_ref").loc["LD2", "original_due"] == pd.Timestamp("2025-09-30")
    org["plan_date"] = pd.Timestamp("2025-06-15")  # approved 15 June 2025
    items, _ = derive.plan_items(inputs)
    assert items.set_index("action_ref").loc["LD2", "original_due"] == pd.Timestamp("2025-12-14")
    assert derive.organisation(inputs)["timescale_anchor"] == "2025-06-15"


def test_plan_status():
    org = {"plan_end": "2016-03-31"}
    assert derive.plan_status(org, "2016-03") == {
        "ended": True,
        "plan_end": "2016-03-31",
        "message": "The plan period ended on 31 March 2016.",
    }
    assert derive.plan_status(org, "2016-02")["ended"] is False


def test_targets_are_met_missed_or_not_yet_due():
    # South Staffordshire's WCC targets (section 2.3): level 2 in all ten by 2010 and level 3
    # in competencies 5 and 6 by 2009; scores from the March 2009 panel (section 7.3.1).
    scores = [2, 2, 1, 2, 1, 1, 1, 1, 2, 2]
    rows = [("WCC", str(i + 1), "2009-03", s, 2, "2010") for i, s in enumerate(scores)]
    rows += [("WCC", "5", "2009-03", 1, 3, "2009"), ("WCC", "6", "2009-03", 1, 3, "2009")]
    rows += [("AUTH", "1", "2011", 32, None, None)]  # no target: no judgement
    a = pd.DataFrame(
        rows, columns=["framework", "code", "assessed", "score", "target", "target_date"]
    )
    # At June 2010: 2009 has passed, 2010 has not (due 31 December 2010)
    judged = derive.target_status(a, "2010-06")
    assert derive.target_counts(judged) == {"met": 5, "missed": 2, "not yet due": 5}
    assert judged.iloc[10][["target_status", "target_due"]].tolist() == ["missed", "2009-12-31"]
    assert judged.iloc[2]["target_status"] == "not yet due"  # competency 3: 1 against 2
    assert judged.iloc[0]["target_status"] == "met"
    assert pd.isna(judged.iloc[12]["target_status"])
    # At March 2011 every target date has passed: 5 met, 7 missed
    assert derive.target_counts(derive.target_status(a, "2011-03")) == {
        "met": 5,
        "missed": 7,
        "not yet due": 0,
    }
    assert derive.target_status(None, "2011-03").empty
    # the March 2009 panel is 15 months old at June 2010; Darlington's 2011 diagnostic (end
    # of 2011 at the latest) is -18 months, i.e. after June 2010
    assert judged["assessment_age_months"].tolist()[:1] == [15]
    assert judged["assessment_age_months"].tolist()[-1] == -18
    # a target date given as a month
    month = derive.target_status(a.assign(target_date="2010-05"), "2010-06")
    assert month.iloc[2][["target_due", "target_status"]].tolist() == ["2010-05-31", "missed"]


def test_year_or_month_end():
    assert derive.year_or_month_end("2010") == date(2010, 12, 31)
    assert derive.year_or_month_end("2010-02") == date(2010, 2, 28)
    assert derive.year_or_month_end("2010-13") is None
    assert derive.year_or_month_end("Q3 2010") is None
    assert derive.year_or_month_end(None) is None


def test_source_notes_default_to_none(inputs):
    assert derive.source_notes(inputs).empty


def test_period_before_the_plan_starts(inputs):
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-01")  # plan starts April 2025; no progress rows
    m = derive.metrics(snap, "2025-01")
    assert (m.complete, m.overdue, m.slipped) == (0, 0, 0)
    assert set(snap["brag"]) == {"Not rated"}
