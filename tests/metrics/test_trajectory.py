"""The plan's trajectory (odreport.metrics.trajectory), worked out by hand on the template."""

from __future__ import annotations

import pytest

from odreport.inputs.tables import read_inputs
from odreport.metrics import derive, trajectory


@pytest.fixture
def inputs(example_project):
    return read_inputs(example_project.raw_dir("example"), example_project.expectations)


# The template's plan: LD1 due 30 September 2025, LD2 "April/May 2026" (31 May 2026), EN1
# December 2025 (moved to 31 January, then 31 March 2026), EN2 on-going (no due date).
# LD1 is complete in December.


def test_overall_trajectory_by_period(inputs):
    items, _ = derive.plan_items(inputs)
    t = trajectory.trajectory(items, inputs, "2025-12")
    overall = t[t["theme_ref"] == trajectory.ALL].set_index("period")
    cols = ["items", "due", "complete", "due_complete", "gap", "complete_early", "undated"]
    # 30 September: LD1 due (not complete): gap 1; EN2 undated
    assert overall.loc["2025-09", cols].tolist() == [4, 1, 0, 0, 1, 0, 1]
    # 31 December: LD1 and EN1 due; LD1 complete; EN1 not: gap 1
    assert overall.loc["2025-12", cols].tolist() == [4, 2, 1, 1, 1, 0, 1]
    # with moved dates, EN1 is not yet due (31 March 2026): only LD1
    assert overall["due_current"].tolist() == [1, 1]
    assert overall.loc["2025-12", "reporting_date"] == "2025-12-31"


def test_trajectory_per_theme_includes_every_theme(inputs):
    items, _ = derive.plan_items(inputs)
    t = trajectory.trajectory(items, inputs, "2025-12")
    dec = t[t["period"] == "2025-12"].set_index("theme_ref")
    assert dec.index.tolist() == ["all", "LD", "EN"]
    cols = ["items", "due", "complete", "gap", "undated"]
    assert dec.loc["LD", cols].tolist() == [2, 1, 1, 0, 0]
    assert dec.loc["EN", cols].tolist() == [2, 1, 0, 1, 1]
    # the themes add up to the whole
    assert (dec.loc[["LD", "EN"], cols].sum() == dec.loc["all", cols]).all()
    assert str(t["gap"].dtype) == "int64"


def test_headline_due_by_now_against_done(inputs):
    items, _ = derive.plan_items(inputs)
    t = trajectory.trajectory(items, inputs, "2025-12")
    h = trajectory.headline(t, "2025-12")
    assert (h.due, h.complete, h.due_complete, h.gap, h.complete_early) == (2, 1, 1, 1, 0)
    assert h.as_dict()["gap"] == 1
    assert trajectory.headline(t, "2026-03") is None


def test_early_completion_is_not_a_gap(inputs):
    p = inputs.tables["progress"]
    p.loc[(p["period"] == "2025-12") & (p["action_ref"] == "LD2"), ["status", "rag"]] = [
        "Complete",
        "Blue",
    ]
    items, _ = derive.plan_items(inputs)
    h = trajectory.headline(trajectory.trajectory(items, inputs, "2025-12"), "2025-12")
    # LD2 (due May 2026) done early: 2 complete, 1 of the 2 due, gap 1 (EN1), 1 early
    assert (h.due, h.complete, h.due_complete, h.gap, h.complete_early) == (2, 2, 1, 1, 1)


def test_completions_per_period_is_the_flow(inputs):
    items, _ = derive.plan_items(inputs)
    flow = trajectory.completions_per_period(trajectory.trajectory(items, inputs, "2025-12"))
    assert flow["period"].tolist() == ["2025-09", "2025-12"]
    assert flow["completed_in_period"].isna().tolist() == [True, False]
    assert int(flow["completed_in_period"].iloc[1]) == 1
