"""Making Data Count XmR rules against hand-computed series.

Each convention of the reference implementation, NHSRplotthedots (``ptd_spc``), is stated in
a test of its own below; the worked figures are in the comments.
"""

from __future__ import annotations

import pytest

from odreport.metrics import spc

# Baseline used below: 12 points alternating 12, 10 -> mean 11, every moving range 2, AMR 2,
# limits 11 ± 5.32 = 5.68 to 16.32, near-limit band 11 ± 3.5467 = 7.4533 to 14.5467.
BASE = [12, 10] * 6


def flagged(result, rule):
    return [i for i, r in enumerate(result.points["rules"]) if rule in r]


def test_common_cause_only():
    # 13 points 5, 6, ... 5: mean 71/13 = 5.4615, twelve moving ranges of 1: AMR 1
    r = spc.xmr([5, 6] * 6 + [5])
    assert r.mean == pytest.approx(71 / 13)
    assert r.amr == pytest.approx(1.0)
    assert (r.lcl, r.ucl) == (pytest.approx(71 / 13 - 2.66), pytest.approx(71 / 13 + 2.66))
    assert r.special.empty and not r.trial and r.screened == 0
    assert set(r.points["variation"]) == {spc.COMMON}


def test_baseline_limits():
    r = spc.xmr(BASE)
    assert (r.mean, r.amr) == (11, 2)
    assert r.ucl == pytest.approx(16.32) and r.lcl == pytest.approx(5.68)
    assert r.upper_near == pytest.approx(11 + 2 / 3 * 5.32)


def test_convention_limits_use_all_points_unless_a_baseline_of_12_is_set():
    # All 14 points: mean (132 + 200) / 14 = 23.714; moving ranges eleven 2s, 90 and 0: AMR
    # 112 / 13 = 8.615; 90 >= 3.267 × 8.615 = 28.15 is screened: AMR 22 / 12 = 1.8333.
    r = spc.xmr([*BASE, 100, 100])
    assert r.mean == pytest.approx(332 / 14)
    assert r.amr == pytest.approx(22 / 12)
    assert (r.baseline, r.screened) == (None, 1)
    # A baseline of 12 fixes the limits on the first 12 points (the reference's
    # fix_after_n_points, which must be at least 12).
    fixed = spc.xmr([*BASE, 100, 100], baseline=12)
    assert (fixed.mean, fixed.amr, fixed.baseline) == (11, 2, 12)
    assert flagged(fixed, spc.OUTSIDE) == [12, 13]
    with pytest.raises(ValueError, match="at least 12"):
        spc.xmr([*BASE, 100, 100], baseline=11)


def test_convention_trial_limits_below_13_points():
    assert spc.xmr([3, 4, 5, 4, 3]).trial
    assert spc.xmr(BASE).trial  # 12 points: still trial limits
    assert not spc.xmr([*BASE, 11]).trial  # 13 points
    assert "trial limits" in spc.describe(spc.xmr(BASE), "Score")
    assert spc.TRIAL_BELOW == spc.BASELINE == 13


def test_point_beyond_the_limits_is_improvement_or_concern_by_direction():
    up = spc.xmr([*BASE, 30], improvement="up", baseline=12)
    assert flagged(up, spc.OUTSIDE) == [12]
    assert up.points.loc[12, "variation"] == spc.IMPROVEMENT
    down = spc.xmr([*BASE, 30], improvement="down", baseline=12)
    assert down.points.loc[12, "variation"] == spc.CONCERN
    neutral = spc.xmr([*BASE, 30], baseline=12).points.loc[12]
    assert (neutral["variation"], neutral["side"]) == (spc.NEUTRAL, "high")


def test_run_of_seven_on_one_side_of_the_mean():
    r = spc.xmr([*BASE, *[12.5] * 7], improvement="up", baseline=12)
    assert flagged(r, spc.RUN) == list(range(12, 19))
    assert set(r.points.loc[12:18, "variation"]) == {spc.IMPROVEMENT}
    assert flagged(spc.xmr([*BASE, *[12.5] * 6], baseline=12), spc.RUN) == []  # six: not enough
    # a point on the mean breaks a run
    assert flagged(spc.xmr([*BASE, *[12.5] * 3, 11, *[12.5] * 3], baseline=12), spc.RUN) == []


def test_trend_of_seven_rising_points():
    rising = [9.5, 10, 10.5, 11.5, 12, 12.5, 13]  # crosses the mean: a trend, not a run
    r = spc.xmr([*BASE, *rising], improvement="down", baseline=12)
    assert flagged(r, spc.TREND) == list(range(12, 19))
    assert flagged(r, spc.RUN) == []
    assert set(r.points.loc[12:18, "variation"]) == {spc.CONCERN}
    assert flagged(spc.xmr([*BASE, *rising[:6]], baseline=12), spc.TREND) == []
    # equal neighbours break a trend
    flat = [9.5, 10, 10.5, 10.5, 12, 12.5, 13]
    assert flagged(spc.xmr([*BASE, *flat], baseline=12), spc.TREND) == []


def test_two_of_three_beyond_the_near_limit_band():
    # 15 and 15 are near the upper limit (14.55 to 16.32); 12 is above the mean too
    r = spc.xmr([*BASE, 15, 12, 15], improvement="up", baseline=12)
    assert flagged(r, spc.TWO_OF_THREE) == [12, 14]
    assert flagged(r, spc.OUTSIDE) == []
    assert r.points.loc[13, "variation"] == spc.COMMON
    assert r.points["near"].tolist()[12:] == [True, False, True]


def test_convention_two_of_three_needs_all_three_on_the_same_side():
    # The reference (ptd_two_in_three) requires |sum(relative to mean)| == 3 over the window:
    # 15, 10.5, 15 has two points near the upper limit but 10.5 is below the mean: no signal.
    r = spc.xmr([*BASE, 15, 10.5, 15], improvement="up", baseline=12)
    assert flagged(r, spc.TWO_OF_THREE) == []
    assert r.special.empty
    # a point on the mean is on neither side: 15, 11, 15 gives no signal either
    assert spc.xmr([*BASE, 15, 11, 15], baseline=12).special.empty


def test_convention_points_beyond_a_limit_are_not_near_it():
    # 17 is beyond the upper limit (16.32): outside, but not "near"; with 15 (near) and 12
    # (above the mean) only one point of the window is near, so no 2-of-3 signal.
    r = spc.xmr([*BASE, 17, 15, 12], improvement="up", baseline=12)
    assert r.points["near"].tolist()[12:] == [False, True, False]
    assert flagged(r, spc.OUTSIDE) == [12]
    assert flagged(r, spc.TWO_OF_THREE) == []
    assert r.points.loc[13, "variation"] == spc.COMMON


def test_convention_direction_outside_then_trend_then_two_of_three_then_run():
    # 17, 16, 15, 14, 13, 12, 11.5 after the baseline: all above the mean (a run, high), each
    # lower than the one before (a trend, decreasing), 17 beyond the upper limit, 16 and 15
    # near it (2 of 3, high).
    falling = [17, 16, 15, 14, 13, 12, 11.5]
    r = spc.xmr([*BASE, *falling], improvement="up", baseline=12)
    p = r.points
    assert p.loc[12, "rules"] == "; ".join([spc.OUTSIDE, spc.TREND, spc.RUN])
    assert p.loc[13, "rules"] == "; ".join([spc.TREND, spc.TWO_OF_THREE, spc.RUN])
    # 17: outside above wins over the decreasing trend -> high, improvement
    assert (p.loc[12, "side"], p.loc[12, "variation"]) == ("high", spc.IMPROVEMENT)
    # 16 and 15: the decreasing trend wins over 2 of 3 and the run above -> low, concern
    assert p.loc[13:18, "side"].tolist() == ["low"] * 6
    assert set(p.loc[13:18, "variation"]) == {spc.CONCERN}


def test_convention_trend_wins_over_run():
    # 14, 13.8 ... 12.8: above the mean (run high) but falling (trend decreasing): concern
    falling = [14, 13.8, 13.6, 13.4, 13.2, 13.0, 12.8]
    r = spc.xmr([*BASE, *falling], improvement="up", baseline=12)
    assert flagged(r, spc.RUN) == flagged(r, spc.TREND) == list(range(12, 19))
    assert set(r.points.loc[12:18, "variation"]) == {spc.CONCERN}


def test_moving_range_screening_is_reported():
    values = [10, 11, 10, 11, 10, 40, 10, 11, 10, 11, 10, 11]
    r = spc.xmr(values)
    # moving ranges: nine of 1 and two of 30; mean 69/11 = 6.27; 30 >= 3.267 × 6.27 = 20.5
    # is screened twice
    assert r.amr == pytest.approx(1.0)
    assert r.screened == 2
    assert r.mean == pytest.approx(155 / 12)
    # limits 12.92 ± 2.66 = 10.26 to 15.58: the 40 is above, and every 10 is below
    assert flagged(r, spc.OUTSIDE) == [0, 2, 4, 5, 6, 8, 10]
    assert r.screening == (
        "2 moving ranges of 3.267 × the mean moving range or more were left out of the "
        "limits (screened)."
    )
    assert r.screening in spc.describe(r, "Items")
    unscreened = spc.xmr(values, screen=False)
    assert (unscreened.amr, unscreened.screened) == (pytest.approx(69 / 11), 0)


def test_limits_of_zero_width_give_no_flags():
    # Dorset's overdue count pattern: 1.4, 1.4 ... a stock that barely moves. Here 5s and one
    # 10: moving ranges 0, 0, 0, 5, 5, 0, 0; mean 10/7 = 1.43, both 5s screened (>= 4.67):
    # AMR 0, limits of zero width.
    r = spc.xmr([5, 5, 5, 5, 10, 5, 5, 5], improvement="down")
    assert (r.amr, r.screened, r.zero_width) == (0, 2, True)
    assert r.lcl == r.ucl == pytest.approx(45 / 8)
    assert r.special.empty
    assert r.no_flags_reason == spc.ZERO_WIDTH
    assert spc.describe(r, "Items overdue").endswith(
        "no special-cause flags: the process limits have zero width (every moving range is "
        "zero), so no point can be judged special cause. 2 moving ranges of 3.267 × the mean "
        "moving range or more were left out of the limits (screened)."
    )
    flat = spc.xmr([3] * 8)
    assert flat.zero_width and flat.special.empty and flat.screened == 0
    assert not spc.xmr(BASE).zero_width and spc.xmr(BASE).no_flags_reason == ""


def test_limits_clipped_to_the_natural_range():
    # 0, 10 repeated: mean 5, AMR 10, limits 5 ± 26.6 = -21.6 to 31.6: a percentage cannot be
    # below 0
    r = spc.xmr([0, 10] * 3, lower_bound=0, upper_bound=100)
    assert (r.lcl, r.ucl, r.clipped) == (0, pytest.approx(31.6), ("lower",))
    assert r.lower_near == 0
    # 95, 100 repeated: mean 97.5, AMR 5, upper limit 110.8 -> 100
    high = spc.xmr([95, 100] * 3, lower_bound=0, upper_bound=100)
    assert (high.ucl, high.clipped) == (100, ("upper",))
    assert high.lcl == pytest.approx(97.5 - 13.3)
    assert spc.xmr([0, 10] * 3).lcl == pytest.approx(-21.6)  # no range given: not clipped


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("up", 5, spc.PASS),
        ("up", 11, spc.HIT_AND_MISS),
        ("up", 16.32, spc.HIT_AND_MISS),  # on a limit: inside
        ("up", 20, spc.FAIL),
        ("down", 20, spc.PASS),
        ("down", 5, spc.FAIL),
        (None, 5, None),
        ("up", None, None),
    ],
)
def test_assurance_against_a_target(improvement, target, assurance):
    assert spc.xmr(BASE, improvement=improvement, target=target).assurance == assurance


@pytest.mark.parametrize(
    ("last", "improvement", "icon"),
    [
        # limits from the baseline: 5.68 to 16.32; 30 is above, 1 below
        (11, "up", "common-cause"),
        (30, "up", "improvement-high"),
        (1, "down", "improvement-low"),
        (30, "down", "concern-high"),
        (1, "up", "concern-low"),
        (30, None, "neutral-high"),
        (1, None, "neutral-low"),
    ],
)
def test_variation_icon_from_the_latest_point(last, improvement, icon):
    r = spc.xmr([*BASE, last], improvement=improvement, baseline=12)
    found = spc.variation_icon(r)
    assert found.key == icon
    assert found.file == f"{icon}.svg"
    assert found.label == spc.VARIATION_ICONS[icon].label


def test_variation_icon_reads_only_the_latest_point():
    # a special-cause point earlier in the series, the latest common cause: common cause
    r = spc.xmr([*BASE, 30, 11], improvement="up", baseline=12)
    assert r.points.loc[12, "variation"] == spc.IMPROVEMENT
    assert spc.variation_icon(r).key == "common-cause"


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        ("up", 5, "assurance-pass"),  # target below the lower limit, higher is better
        ("down", 5, "assurance-fail"),
        ("up", 20, "assurance-fail"),  # target above the upper limit, higher is better
        ("down", 20, "assurance-pass"),
        ("up", 11, "assurance-hit-and-miss"),
        ("up", None, None),
        (None, 11, None),
    ],
)
def test_assurance_icon(improvement, target, icon):
    found = spc.assurance_icon(spc.xmr(BASE, improvement=improvement, target=target))
    assert (found.key if found else None) == icon


def test_every_icon_has_a_label_and_an_svg_with_that_label():
    from support import REPO

    folder = REPO / "src" / "odreport" / "report" / "templates" / "icons"
    icons = [*spc.VARIATION_ICONS.values(), *spc.ASSURANCE_ICONS.values()]
    assert len(icons) == 10
    for icon in icons:
        svg = (folder / icon.file).read_text(encoding="utf-8")
        assert svg.startswith("<svg ") and 'role="img"' in svg
        assert f"<title>{icon.label}</title>" in svg
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # self-contained


def test_summary_row():
    row = spc.summary_row(spc.xmr([*BASE, 30], "abcdefghijklm", "up", 5, 12), "Completions")
    assert row["latest_label"] == "m" and row["latest_value"] == 30
    assert (row["variation_icon"], row["assurance_icon"]) == ("improvement-high", "assurance-pass")
    assert (row["mean"], row["lcl"]) == (11, pytest.approx(5.68))


@pytest.mark.parametrize(
    ("kind", "points", "fit"),
    [
        (spc.CUMULATIVE, 20, False),  # % complete: a running total, never
        (spc.STOCK, 20, False),  # items overdue: carries over, never
        (spc.FLOW, 20, True),  # completions per period
        (spc.FLOW, 4, False),  # too few points
        (spc.INDEPENDENT, 5, True),  # survey waves
    ],
)
def test_xmr_fitness(kind, points, fit):
    result = spc.xmr_fitness(kind, points)
    assert result.fit is fit
    assert bool(result.reason) is not fit
    if kind in (spc.CUMULATIVE, spc.STOCK):
        assert "use the per-period flow instead" in result.reason


def test_xmr_fitness_rejects_unknown_kinds_and_spots_monotone_series():
    with pytest.raises(ValueError):
        spc.xmr_fitness("rate", 10)
    assert spc.is_monotone([0, 0, 10, 25, 25, 40])  # % complete
    assert spc.is_monotone([8, 8, 5, 2])
    assert not spc.is_monotone([1, 3, 2])
    assert not spc.is_monotone([5])


def test_describe_summarises_special_causes():
    r = spc.xmr([*BASE, 30], improvement="up", target=5, baseline=12)
    text = spc.describe(r, "Share complete", "%")
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
