"""Small-number suppression of survey groups: primary, secondary, whole surveys, blanking."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from odreport.metrics.suppression import blank_suppressed, suppress


def test_suppressed_groups_must_together_reach_the_threshold():
    frame = pd.DataFrame(
        {
            "survey_id": "s",
            "question_ref": "Q1",
            "group_by": ["all"] + ["team"] * 4,
            "group": ["All", "a", "b", "c", "d"],
            "responses": [55, 30, 6, 4, 15],
        }
    )
    out = suppress(frame, 11)
    assert out["suppressed"].tolist() == [False, False, True, True, True]


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_figure_can_be_worked_out_from_what_is_shown(seed):
    rnd = random.Random(seed)
    sizes = [rnd.choice([1, 3, 5, 8, 10, 11, 12, 20, 40]) for _ in range(rnd.randint(1, 7))]
    frame = pd.DataFrame(
        {
            "survey_id": "s",
            "question_ref": "Q1",
            "group_by": ["all"] + ["team"] * len(sizes),
            "group": ["All"] + [f"g{i}" for i in range(len(sizes))],
            "responses": [sum(sizes), *sizes],
        }
    )
    out = suppress(frame, 11)
    groups = out[out["group_by"] == "team"]
    hidden = groups[groups["suppressed"]]
    assert (groups.loc[~groups["suppressed"], "responses"] >= 11).all()
    if sum(sizes) < 11:
        assert out["suppressed"].all()
    elif len(hidden):
        # the total minus the groups shown reveals only the hidden groups' combined figures
        assert len(hidden) >= 2 or len(hidden) == len(groups)
        assert hidden["responses"].sum() >= 11 or len(hidden) == len(groups)


def test_a_whole_survey_below_the_threshold_hides_its_breakdowns_too():
    frame = pd.DataFrame(
        {
            "survey_id": "s",
            "question_ref": "Q1",
            "group_by": ["all", "team", "team"],
            "group": ["All", "a", "b"],
            "responses": [10, 5, 5],
        }
    )
    assert suppress(frame, 11)["suppressed"].tolist() == [True, True, True]
    assert suppress(frame, 10)["suppressed"].tolist() == [False, True, True]


def test_blanking_removes_every_number_of_a_suppressed_group_only():
    numbers = ["responses", "unfavourable", "neutral", "favourable", "excluded", "base"]
    numbers += ["pct_favourable", "respondents", "skipped"]
    frame = pd.DataFrame({c: [20, 4] for c in numbers})
    frame["suppressed"] = [False, True]
    out = blank_suppressed(frame)
    assert out.loc[0, numbers].tolist() == [20] * len(numbers)
    assert out.loc[1, numbers].isna().all()
    assert frame.loc[1, "responses"] == 4  # the frame given is not changed
