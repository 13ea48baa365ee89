"""The plan's trajectory (odreport.metrics.trajectory), worked out by hand on the template."""

from __future__ import annotations

import pandas as pd
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


# The five demonstration organisations at their latest period, read off their inputs
# (actions.csv timescales; progress.csv rows of that period). "Due by now": the plan's due date
# on or before the reporting date; undated: ongoing or blank timescales; overdue: not complete
# and the current due date before the reporting date; exceptions: not complete and overdue,
# off track, at risk or with the due date moved later.
HEADLINES = {
    "rotherham": {
        "period": "2016-06",
        "items": 46,
        # "On-going" (L8, C1), "... onwards" (CF2, S8, W3, E1, E7, C2): never due
        "undated": ["L8", "CF2", "S8", "W3", "E1", "E7", "C1", "C2"],
        "not_yet_due": [],  # every dated objective falls due by June 2016 (the latest, June 2016)
        "complete": 24,
        "gap": [
            "L1",
            "L4",
            "CF1",
            "CF5",
            "S1",
            "W4",
            "W5",
            "W6",
            "W9",
            "E2",
            "E6",
            "E8",
            "E9",
            "C6",
        ],
        "overdue": ["L1", "L4", "CF5", "W4", "W6", "W9", "E2", "E8", "E9"],
        "exceptions": [
            "L1",
            "L4",
            "CF1",
            "CF5",
            "S1",
            "W4",
            "W5",
            "W6",
            "W9",
            "E2",
            "E6",
            "E8",
            "E9",
            "C6",
        ],
        "ended": False,
    },
    "dorset": {
        "period": "2016-03",
        "items": 20,
        "undated": [
            "1.1",
            "1.4",
            "1.5",
            "1.6",
            "2.1",
            "2.2",
            "2.3",
            "3.2",
            "3.3",
            "4.3",
            "6.2",
            "6.3",
            "6.4",
        ],
        "not_yet_due": [],
        "complete": 5,
        "gap": ["4.1", "6.5"],  # July 2014 and June 2014 – March 2015, not complete
        "overdue": ["4.1", "6.5"],
        "exceptions": ["1.1", "1.6", "3.3", "4.1", "6.5"],  # three ongoing objectives at risk
        "ended": True,  # the plan ran to 31 March 2016
    },
    "darlington": {
        "period": "2012-12",
        "items": 41,
        # "ongoing" (PA1.6, PA5.2); no deadline in the document (PA3.7, PA3.8)
        "undated": ["PA1.6", "PA3.7", "PA3.8", "PA5.2"],
        # deadlines after December 2012: Mar 2013 (PA3.3, PA4.5, PA5.1, PA6.2, PA7.1, PA7.2),
        # Dec 2013 (PA6.3)
        "not_yet_due": ["PA3.3", "PA4.5", "PA5.1", "PA6.2", "PA6.3", "PA7.1", "PA7.2"],
        "complete": 22,
        # PA6.1 is due "Dec 2012": due by 31 December but not yet past its date (not overdue)
        "gap": ["PA1.3", "PA1.5", "PA2.1", "PA2.7", "PA3.5", "PA3.6", "PA6.1", "PA7.3"],
        "overdue": ["PA1.5", "PA2.1", "PA3.5", "PA3.6"],
        "exceptions": ["PA1.3", "PA1.5", "PA2.1", "PA2.7", "PA3.5", "PA3.6", "PA5.1", "PA7.3"],
        "ended": True,  # the plan period was June – December 2012
    },
    "nottingham": {
        "period": "2020-10",
        "items": 41,
        # timeline tasks with no month (TL13–TL26 misaligned; TL12 has no entry)
        "undated": [f"TL{n}" for n in range(12, 27)],
        # "2019 to 2021" (due 31 March 2021)
        "not_yet_due": ["O1", "O3", "O4", "O5", "O6", "O7", "O10", "O12", "O13"],
        "complete": 15,
        "gap": ["TL1", "TL2", "O9", "TL10"],
        "overdue": ["TL1", "TL2", "O9", "TL10"],
        "exceptions": ["O3", "O6", "TL1", "TL2", "O9", "TL10"],
        "ended": False,
    },
    "south-staffordshire": {
        "period": "2011-03",
        "items": 58,
        "undated": ["PA9.3"],  # the shifted row: no timescale
        # counted from 30 March 2009: "3 months – 3 years" and "1 – 3 years" are due in
        # March 2012; "6 months to 2 years" (PA8.1) is due 29 March 2011
        "not_yet_due": [
            "PA2.7",
            "PA9.2",
            "PA10.3",
            "PA12.1",
            "PA13.3",
            "PA15.4",
            "PA15.5",
            "PA15.6",
        ],
        "complete": 37,
        "gap": [
            "PA2.3",
            "PA2.4",
            "PA4.2",
            "PA6.1",
            "PA7.1",
            "PA8.2",
            "PA8.3",
            "PA8.7",
            "PA10.2",
            "PA12.2",
            "PA12.3",
            "PA15.2",
        ],
        "overdue": [
            "PA2.3",
            "PA2.4",
            "PA4.2",
            "PA6.1",
            "PA7.1",
            "PA8.2",
            "PA8.3",
            "PA8.7",
            "PA10.2",
            "PA12.2",
            "PA12.3",
            "PA15.2",
        ],
        "exceptions": [
            "PA2.3",
            "PA2.4",
            "PA4.2",
            "PA6.1",
            "PA7.1",
            "PA8.2",
            "PA8.3",
            "PA8.7",
            "PA10.2",
            "PA12.2",
            "PA12.3",
            "PA15.2",
        ],
        "ended": True,
    },
}


@pytest.mark.parametrize("org", list(HEADLINES))
def test_headline_figures_of_the_demonstration_organisations(repo_project, org):
    want = HEADLINES[org]
    inputs = read_inputs(repo_project.raw_dir(org), repo_project.expectations)
    items, _ = derive.plan_items(inputs)
    period = want["period"]
    assert derive.periods(inputs)[-1] == period
    snap = derive.snapshot(items, inputs, period)
    h = trajectory.headline(trajectory.trajectory(items, inputs, period), period)
    due = want["items"] - len(want["undated"]) - len(want["not_yet_due"])
    assert (h.items, h.undated, h.due) == (want["items"], len(want["undated"]), due)
    assert (h.complete, h.gap) == (want["complete"], len(want["gap"]))
    assert h.due_complete == due - len(want["gap"])
    assert sorted(snap.loc[snap["original_due"].isna(), "action_ref"]) == sorted(want["undated"])
    open_due = snap["original_due"].notna() & (snap["brag"] != derive.COMPLETE)
    open_due &= snap["original_due"] <= pd.Timestamp(derive.period_end(period))
    assert sorted(snap.loc[open_due, "action_ref"]) == sorted(want["gap"])
    m = derive.metrics(snap, period)
    assert sorted(snap.loc[snap["overdue"], "action_ref"]) == sorted(want["overdue"])
    assert m.overdue == len(want["overdue"])
    assert sorted(derive.exceptions(snap)["action_ref"]) == sorted(want["exceptions"])
    assert m.exceptions == len(want["exceptions"])
    plan = derive.plan_status(derive.organisation(inputs), period)
    assert plan["ended"] is want["ended"]


def test_darlington_june_2012_no_status_is_not_in_progress(repo_project):
    # The real June 2012 snapshot: 28 In progress + 2 Under development without a RAG rating,
    # 3 Complete, 5 Not started + 1 Proposed, and PA3.7 and PA3.8 with no status at all.
    inputs = read_inputs(repo_project.raw_dir("darlington"), repo_project.expectations)
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, "2012-06")
    m = derive.metrics(snap, "2012-06")
    assert (m.complete, m.counts["Not started"], m.counts["Not rated"], m.no_status) == (
        3,
        6,
        32,
        2,
    )
    assert sorted(snap.loc[~snap["reported"], "action_ref"]) == ["PA3.7", "PA3.8"]
    assert derive.headline(derive.organisation(inputs), m, None)[0].endswith(
        "6 not started, 30 in progress without a RAG rating and 2 with no status reported."
    )


def test_planned_trajectory_to_the_plan_end(inputs):
    items, _ = derive.plan_items(inputs)
    months = trajectory.months_between("2025-08", "2026-06")
    assert len(months) == 11 and months[0] == "2025-08" and months[-1] == "2026-06"
    plan = trajectory.planned(items, months).set_index("period")["due"]
    # LD1 30 September 2025, EN1 31 December 2025, LD2 31 May 2026; EN2 never
    assert plan[["2025-08", "2025-09", "2025-12", "2026-04", "2026-05", "2026-06"]].tolist() == [
        0,
        1,
        2,
        2,
        3,
        3,
    ]
