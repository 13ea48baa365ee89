"""Metrics against hand-computed examples: BRAG, overdue, slippage, change since last report."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.inputs.problems import WARNING, Problem
from odreport.inputs.tables import read_inputs
from odreport.metrics import derive


@pytest.fixture
def inputs(example_project):
    return read_inputs(example_project.raw_dir("example"), example_project.expectations)


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


def test_source_notes_default_to_none(inputs):
    assert derive.source_notes(inputs).empty


def test_period_before_the_plan_starts(inputs):
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-01")  # plan starts April 2025; no progress rows
    m = derive.metrics(snap, "2025-01")
    assert (m.complete, m.overdue, m.slipped) == (0, 0, 0)
    assert set(snap["brag"]) == {"Not rated"}


def test_snapshots_reused_gives_each_caller_the_same_snapshot_as_without(inputs):
    items, _ = derive.plan_items(inputs)
    alone = derive.snapshot(items, inputs, "2025-12")
    with derive.snapshots_reused():
        first = derive.snapshot(items, inputs, "2025-12")
        first.loc[0, "brag"] = "changed by its caller"  # a copy: the next caller is unaffected
        second = derive.snapshot(items, inputs, "2025-12")
        other = derive.snapshot(items, inputs, "2025-09")
    pd.testing.assert_frame_equal(second, alone)
    pd.testing.assert_frame_equal(other, derive.snapshot(items, inputs, "2025-09"))
    assert first is not second


def test_snapshots_are_reused_only_inside_the_block(inputs):
    items, _ = derive.plan_items(inputs)
    with derive.snapshots_reused():
        derive.snapshot(items, inputs, "2025-12")
        # the same items object changed after the block: its snapshot is worked out again
    items.loc[items.index[0], "original_due"] = pd.Timestamp("2000-01-01")
    snap = derive.snapshot(items, inputs, "2025-12").set_index("action_ref")
    assert snap.loc[items.iloc[0]["action_ref"], "original_due"] == pd.Timestamp("2000-01-01")
