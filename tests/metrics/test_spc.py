"""Making Data Count XmR rules against hand-computed series."""

from __future__ import annotations

import pytest

from odreport.metrics import spc

# Baseline used below: 12 points alternating 12, 10 -> mean 11, every moving range 2, AMR 2,
# limits 11 ± 5.32 = 5.68 to 16.32, near-limit band 11 ± 3.5467 = 7.4533 to 14.5467.
BASE = [12, 10] * 6


def flagged(result, rule):
    return [i for i, r in enumerate(result.points["rules"]) if rule in r]


def test_common_cause_only():
    r = spc.xmr([5, 6] * 6)
    assert r.mean == pytest.approx(5.5)
    assert r.amr == pytest.approx(1.0)
    assert (r.lcl, r.ucl) == (pytest.approx(2.84), pytest.approx(8.16))
    assert r.special.empty and not r.trial
    assert set(r.points["variation"]) == {spc.COMMON}


def test_baseline_limits():
    r = spc.xmr(BASE)
    assert (r.mean, r.amr) == (11, 2)
    assert r.ucl == pytest.approx(16.32) and r.lcl == pytest.approx(5.68)
    assert r.upper_near == pytest.approx(11 + 2 / 3 * 5.32)


def test_point_beyond_the_limits_is_improvement_or_concern_by_direction():
    up = spc.xmr([*BASE, 30], improvement="up")
    assert flagged(up, spc.OUTSIDE) == [12]
    assert up.points.loc[12, "variation"] == spc.IMPROVEMENT
    down = spc.xmr([*BASE, 30], improvement="down")
    assert down.points.loc[12, "variation"] == spc.CONCERN
    assert spc.xmr([*BASE, 30]).points.loc[12, "variation"] == spc.NEUTRAL


def test_run_of_seven_on_one_side_of_the_mean():
    r = spc.xmr([*BASE, *[12.5] * 7], improvement="up")
    assert flagged(r, spc.RUN) == list(range(12, 19))
    assert set(r.points.loc[12:18, "variation"]) == {spc.IMPROVEMENT}
    assert flagged(spc.xmr([*BASE, *[12.5] * 6]), spc.RUN) == []  # six is not enough


def test_trend_of_seven_rising_points():
    rising = [9.5, 10, 10.5, 11.5, 12, 12.5, 13]  # crosses the mean: a trend, not a run
    r = spc.xmr([*BASE, *rising], improvement="down")
    assert flagged(r, spc.TREND) == list(range(12, 19))
    assert flagged(r, spc.RUN) == []
    assert set(r.points.loc[12:18, "variation"]) == {spc.CONCERN}
    assert flagged(spc.xmr([*BASE, *rising[:6]]), spc.TREND) == []


def test_two_of_three_beyond_the_near_limit_band():
    r = spc.xmr([*BASE, 15, 11, 15], improvement="up")
    assert flagged(r, spc.TWO_OF_THREE) == [12, 14]
    assert flagged(r, spc.OUTSIDE) == []
    assert r.points.loc[13, "variation"] == spc.COMMON


def test_moving_range_screening():
    values = [10, 11, 10, 11, 10, 40, 10, 11, 10, 11, 10, 11]
    r = spc.xmr(values)
    # moving ranges: nine of 1 and two of 30; mean 69/11 = 6.27; 30 > 3.267 × 6.27 is screened
    assert r.amr == pytest.approx(1.0)
    assert r.mean == pytest.approx(155 / 12)
    # limits 12.92 ± 2.66 = 10.26 to 15.58: the 40 is above, and every 10 is below
    assert flagged(r, spc.OUTSIDE) == [0, 2, 4, 5, 6, 8, 10]


def test_fewer_than_12_points_gives_trial_limits():
    r = spc.xmr([3, 4, 5, 4, 3])
    assert r.trial
    assert "trial limits" in spc.describe(r, "Score")
    assert not spc.xmr(BASE).trial


def test_limits_come_from_the_first_12_points():
    r = spc.xmr([*BASE, 100, 100])
    assert (r.mean, r.amr) == (11, 2)


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("up", 5, spc.PASS),
        ("up", 11, spc.HIT_AND_MISS),
        ("up", 20, spc.FAIL),
        ("down", 20, spc.PASS),
        ("down", 5, spc.FAIL),
        (None, 5, None),
    ],
)
def test_assurance_against_a_target(improvement, target, assurance):
    assert spc.xmr(BASE, improvement=improvement, target=target).assurance == assurance


def test_describe_summarises_special_causes():
    text = spc.describe(spc.xmr([*BASE, 30], improvement="up", target=5), "Share complete", "%")
    assert text == (
        "Share complete: mean 11.0%, limits 5.7% to 16.3% over 13 points; "
        "1 improvement special-cause point. Against the target the process "
        "consistently passes."
    )


def test_describe_never_prints_negative_zero():
    # mean 0.25, AMR 0.1 -> lower limit 0.25 - 0.266 = -0.016, printed as 0.0
    r = spc.xmr([0.2, 0.3, 0.2, 0.3])
    assert "trial limits 0.0 to" in spc.describe(r, "Overdue")


def test_bad_input():
    with pytest.raises(ValueError):
        spc.xmr([1])
    with pytest.raises(ValueError):
        spc.xmr([1, 2], improvement="sideways")
