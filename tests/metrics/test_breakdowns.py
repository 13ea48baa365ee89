"""Status by theme, lead and framework domain; exceptions and items without a lead."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.inputs.tables import read_inputs
from odreport.metrics import breakdowns, derive


@pytest.fixture
def inputs(example_project):
    return read_inputs(example_project.raw_dir("example"), example_project.expectations)


def test_accountability_counts_items_per_lead(inputs):
    items, _ = derive.plan_items(inputs)
    acc = breakdowns.accountability(derive.snapshot(items, inputs, "2025-12")).set_index("lead")
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
    cov = breakdowns.framework_coverage(inputs, snap).set_index("code")
    assert cov.loc["1", ["actions", "off_track", "gap"]].tolist() == [2, 0, ""]  # via theme LD
    assert cov.loc["2", ["actions", "off_track", "gap"]].tolist() == [1, 1, "All off track"]
    assert cov.loc["3", ["actions", "gap"]].tolist() == [0, "No action"]


def test_exceptions_are_open_items_overdue_off_track_at_risk_or_moved(inputs):
    items, _ = derive.plan_items(inputs)
    # September: EN1 is At risk (Amber) with its due date moved from 31 December 2025 to
    # 31 January 2026; LD1 is due 30 September, so not yet overdue at 30 September.
    sep = derive.snapshot(items, inputs, "2025-09").set_index("action_ref")
    assert sep.index[sep["exception"]].tolist() == ["EN1"]
    assert sep.loc["EN1", "exception_reasons"] == "at risk; due date moved"
    # December: EN1 Off track (Red), moved to 31 March 2026
    dec = derive.snapshot(items, inputs, "2025-12")
    ex = breakdowns.exceptions(dec)
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


def test_leads_and_no_lead_named(inputs):
    inputs.tables["themes"].loc[inputs.tables["themes"]["theme_ref"] == "LD", "lead"] = None
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2025-12")
    # LD2 names no lead and its theme no longer does; EN2 takes its theme's lead
    assert derive.metrics(snap, "2025-12").no_lead == 1
    assert breakdowns.accountability_gaps(snap)["action_ref"].tolist() == ["LD2"]
    acc = breakdowns.accountability(snap).set_index("lead")
    assert acc.loc["No lead named", "Total"] == 1
    assert acc.loc["Sam Example", "Total"] == 2
