"""Statistical process control (XmR charts) following NHS England's Making Data Count.

The conventions are those of the reference implementation, NHSRplotthedots (R, NHS-R
community: ``ptd_spc``):

- Centre line: the mean. Moving range: |x_i − x_(i−1)|; AMR: the mean moving range.
- Process limits: mean ± 2.66 × AMR; near-limit band: mean ± (2/3 × 2.66) × AMR.
- Moving ranges of 3.267 × AMR or more are screened out before the limits are computed
  (``screen``; :attr:`XmR.screened` says how many were).
- Limits use all points, unless a baseline of at least 12 points is set (the reference's
  ``fix_after_n_points``); with fewer than 13 points in all they are "trial limits".
- Special cause, any of: a point outside the limits; 7 points in a row on one side of the
  mean (a point on the mean breaks the run); 7 points in a row each higher (or each lower)
  than the one before; 2 of 3 points in a row near a limit — inside the limits but beyond
  the near-limit band — with all three on the same side of the mean.
- A point flagged by several rules takes its direction from the first of: outside the limits
  (above or below), trend (increasing or decreasing), 2 of 3 (the side of the mean), run (the
  side of the mean). It is improvement or concern by the measure's improvement direction, or
  neutral (high or low) without one.
- Limits of zero width (every moving range zero) give no special-cause flags: the reason is
  in :attr:`XmR.no_flags_reason`.
- Limits may be clipped to the measure's natural range (``lower_bound``, ``upper_bound``, e.g.
  0 and 100 for a percentage); :attr:`XmR.clipped` says which were.
- Assurance against a target (from the limits): a target outside the limits means the process
  will consistently pass or fail it; inside (or on) them, it will hit and miss at random.

The Making Data Count icons summarise one measure: a variation icon from its latest point
(:func:`variation_icon`) and, with a target, an assurance icon (:func:`assurance_icon`).
XmR assumes values that vary independently from period to period: never use it on a running
total or a stock that carries over (:func:`xmr_fitness`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean

import pandas as pd

LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267
RUN_LENGTH = 7
MIN_BASELINE = 12  # a fixed baseline needs at least this many points
TRIAL_BELOW = 13  # fewer points than this: trial limits
# The report's wording ("trial limits under N points") reads this name.
BASELINE = TRIAL_BELOW
MIN_POINTS = 5  # fewer points: no process limits (a run chart, or the values listed)

OUTSIDE, RUN, TREND, TWO_OF_THREE = (
    "point outside the limits",
    "7 points in a row on one side of the mean",
    "7 points in a row rising or falling",
    "2 of 3 points near a limit",
)
RULE_ORDER = [OUTSIDE, TREND, TWO_OF_THREE, RUN]  # the order a point's direction is taken in
COMMON, IMPROVEMENT, CONCERN, NEUTRAL = ("common cause", "improvement", "concern", "neutral")
PASS, FAIL, HIT_AND_MISS = ("consistently passes", "consistently fails", "hits and misses")
ZERO_WIDTH = (
    "the process limits have zero width (every moving range is zero), so no point can be "
    "judged special cause"
)


@dataclass(frozen=True)
class XmR:
    """An XmR analysis of one series."""

    points: pd.DataFrame  # label, value, moving_range, near, rules, side, variation
    mean: float
    amr: float
    ucl: float
    lcl: float
    upper_near: float
    lower_near: float
    trial: bool
    assurance: str | None
    improvement: str | None = None
    target: float | None = None
    baseline: int | None = None  # points the limits come from (None: all)
    screened: int = 0  # moving ranges screened out (3.267 × AMR or more)
    zero_width: bool = False
    no_flags_reason: str = ""
    clipped: tuple[str, ...] = ()  # "lower", "upper": limits clipped to the natural range

    @property
    def special(self) -> pd.DataFrame:
        return self.points[self.points["variation"] != COMMON]

    @property
    def screening(self) -> str:
        """A sentence on the screening of moving ranges (empty when none was screened)."""
        if not self.screened:
            return ""
        n = self.screened
        return (
            f"{n} moving range{'s' if n != 1 else ''} of 3.267 × the mean moving range or more "
            f"{'were' if n != 1 else 'was'} left out of the limits (screened)."
        )


def moving_ranges(values: list[float]) -> list[float | None]:
    """|x_i − x_(i−1)|, with ``None`` for the first point."""
    return [None] + [abs(b - a) for a, b in pairwise(values)]


def screen_ranges(ranges: list[float]) -> tuple[float, int]:
    """Mean moving range after leaving out ranges of 3.267 × the unscreened mean or more, and
    how many were left out (the reference keeps a range only when it is below the cut-off)."""
    if not ranges:
        return 0.0, 0
    first = fmean(ranges)
    if first == 0:  # every range zero: nothing is above the cut-off
        return 0.0, 0
    kept = [r for r in ranges if r < SCREEN_FACTOR * first]
    return (fmean(kept) if kept else 0.0), len(ranges) - len(kept)


def screened_amr(ranges: list[float]) -> float:
    """Mean moving range after screening (see :func:`screen_ranges`)."""
    return screen_ranges(ranges)[0]


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _runs(relative: list[int]) -> list[int]:
    """For each point, the side (+1/−1) of a run of 7 or more on one side of the mean it is in,
    else 0."""
    n = len(relative)
    out = [0] * n
    start = 0
    while start < n:
        end = start
        while end < n and relative[end] == relative[start] and relative[start] != 0:
            end += 1
        if end - start >= RUN_LENGTH:
            out[start:end] = [relative[start]] * (end - start)
        start = max(end, start + 1)
    return out


def _trends(values: list[float]) -> list[int]:
    """For each point, the direction (+1 increasing, −1 decreasing) of a trend of 7 or more
    points it is in, else 0."""
    n = len(values)
    out = [0] * n
    steps = [_sign(b - a) for a, b in pairwise(values)]
    start = 0
    while start < len(steps):
        end = start
        while end < len(steps) and steps[end] == steps[start] and steps[start] != 0:
            end += 1
        if end - start + 1 >= RUN_LENGTH:  # a point ending one trend and starting the
            for i in range(start, end + 1):  # next takes the later one's direction
                out[i] = steps[start]
        start = max(end, start + 1)
    return out


def _two_of_three(near: list[bool], relative: list[int]) -> list[int]:
    """For each near-limit point, the side of a window of three consecutive points with at
    least two near a limit and all three on that side of the mean, else 0."""
    n = len(near)
    out = [0] * n
    for i in range(n - 2):
        window = range(i, i + 3)
        side = sum(relative[j] for j in window)
        if abs(side) == 3 and sum(near[j] for j in window) >= 2:
            for j in window:
                if near[j]:
                    out[j] = relative[j]
    return out


def xmr(
    values: list[float],
    labels: list[str] | None = None,
    improvement: str | None = None,
    target: float | None = None,
    baseline: int | None = None,
    *,
    screen: bool = True,
    lower_bound: float | None = None,
    upper_bound: float | None = None,
) -> XmR:
    """Analyse ``values`` (oldest first). ``improvement`` is ``"up"``, ``"down"`` or ``None``;
    ``baseline`` (at least 12) fixes the limits on the first points; ``lower_bound`` and
    ``upper_bound`` are the measure's natural range (limits are clipped to it)."""
    if improvement not in ("up", "down", None):
        raise ValueError("improvement must be 'up', 'down' or None")
    if baseline is not None and baseline < MIN_BASELINE:
        raise ValueError(f"a baseline needs at least {MIN_BASELINE} points")
    values = [float(v) for v in values]
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least 2 points")
    base = values[:baseline] if baseline is not None else values
    mean = fmean(base)
    ranges = [r for r in moving_ranges(base) if r is not None]
    if screen:
        amr, screened = screen_ranges(ranges)
    else:
        amr, screened = fmean(ranges), 0
    ucl, lcl = mean + LIMIT_FACTOR * amr, mean - LIMIT_FACTOR * amr
    near_width = 2 / 3 * LIMIT_FACTOR * amr
    upper_near, lower_near = mean + near_width, mean - near_width
    clipped = []
    if lower_bound is not None and lcl < lower_bound:
        lcl, lower_near, clipped = lower_bound, max(lower_near, lower_bound), ["lower"]
    if upper_bound is not None and ucl > upper_bound:
        ucl, upper_near = upper_bound, min(upper_near, upper_bound)
        clipped.append("upper")
    n = len(values)
    zero_width = amr == 0
    relative = [_sign(v - mean) for v in values]
    outside = [(v > ucl or v < lcl) and not zero_width for v in values]
    near = [
        not o and (v > upper_near or v < lower_near) for v, o in zip(values, outside, strict=True)
    ]
    if zero_width:
        trend = runs = pair = [0] * n
    else:
        trend, pair, runs = _trends(values), _two_of_three(near, relative), _runs(relative)
    rules: list[list[str]] = [[] for _ in range(n)]
    side: list[str | None] = [None] * n
    for i in range(n):
        direction = 0
        for rule, hit in (
            (OUTSIDE, relative[i] if outside[i] else 0),
            (TREND, trend[i]),
            (TWO_OF_THREE, pair[i]),
            (RUN, runs[i]),
        ):
            if hit:
                rules[i].append(rule)
                direction = direction or hit
        if direction:
            side[i] = "high" if direction > 0 else "low"
    variation = []
    for s in side:
        if s is None:
            variation.append(COMMON)
        elif improvement is None:
            variation.append(NEUTRAL)
        else:
            variation.append(IMPROVEMENT if (s == "high") == (improvement == "up") else CONCERN)
    points = pd.DataFrame(
        {
            "label": labels,
            "value": values,
            "moving_range": moving_ranges(values),
            "near": near,
            "rules": ["; ".join(r) for r in rules],
            "side": side,
            "variation": variation,
        }
    )
    return XmR(
        points,
        mean,
        amr,
        ucl,
        lcl,
        upper_near,
        lower_near,
        trial=n < TRIAL_BELOW,
        assurance=assurance(lcl, ucl, improvement, target),
        improvement=improvement,
        target=target,
        baseline=baseline,
        screened=screened,
        zero_width=zero_width,
        no_flags_reason=ZERO_WIDTH if zero_width else "",
        clipped=tuple(clipped),
    )


def assurance(lcl: float, ucl: float, improvement: str | None, target: float | None) -> str | None:
    """Assurance against a target: a target above the upper limit is failed consistently when
    higher is better (passed when lower is), below the lower limit the reverse; within the
    limits (or on one) it hits and misses. ``None`` without a target or a direction."""
    if target is None or improvement is None:
        return None
    if target > ucl:
        return FAIL if improvement == "up" else PASS
    if target < lcl:
        return PASS if improvement == "up" else FAIL
    return HIT_AND_MISS


# --- Making Data Count icons -----------------------------------------------------------------


@dataclass(frozen=True)
class Icon:
    """A Making Data Count icon: its key (the SVG file under ``report/templates/icons/``) and
    its text label (what a screen reader reads and what is printed beside it)."""

    key: str
    label: str

    @property
    def file(self) -> str:
        """The icon's SVG file name (``report/templates/icons/<key>.svg``)."""
        return f"{self.key}.svg"


VARIATION_ICONS = {
    "common-cause": Icon("common-cause", "Common cause variation"),
    "improvement-high": Icon(
        "improvement-high", "Special cause variation: improving (higher values)"
    ),
    "improvement-low": Icon("improvement-low", "Special cause variation: improving (lower values)"),
    "concern-high": Icon("concern-high", "Special cause variation: concerning (higher values)"),
    "concern-low": Icon("concern-low", "Special cause variation: concerning (lower values)"),
    "neutral-high": Icon(
        "neutral-high", "Special cause variation: neither improving nor concerning (higher values)"
    ),
    "neutral-low": Icon(
        "neutral-low", "Special cause variation: neither improving nor concerning (lower values)"
    ),
}
ASSURANCE_ICONS = {
    PASS: Icon("assurance-pass", "Assurance: the process will consistently pass the target"),
    FAIL: Icon("assurance-fail", "Assurance: the process will consistently fail the target"),
    HIT_AND_MISS: Icon(
        "assurance-hit-and-miss",
        "Assurance: the process will hit and miss the target at random (the target is within "
        "the process limits)",
    ),
}


def variation_icon(result: XmR) -> Icon:
    """The variation icon of a measure, from its latest point (as the reference does): common
    cause, or special cause improving, concerning or neutral, high or low."""
    last = result.points.iloc[-1]
    if last["variation"] == COMMON:
        return VARIATION_ICONS["common-cause"]
    kind = {IMPROVEMENT: "improvement", CONCERN: "concern", NEUTRAL: "neutral"}[last["variation"]]
    return VARIATION_ICONS[f"{kind}-{last['side']}"]


def assurance_icon(result: XmR) -> Icon | None:
    """The assurance icon against the target: pass, fail or hit and miss (``None`` without a
    target or an improvement direction)."""
    return ASSURANCE_ICONS.get(result.assurance) if result.assurance else None


def summary_row(result: XmR, measure: str) -> dict:
    """One row of an integrated-performance-report style table of measures: latest value,
    mean, limits, target and both icons (keys and labels)."""
    variation = variation_icon(result)
    assured = assurance_icon(result)
    return {
        "measure": measure,
        "latest_label": result.points["label"].iloc[-1],
        "latest_value": float(result.points["value"].iloc[-1]),
        "mean": result.mean,
        "lcl": result.lcl,
        "ucl": result.ucl,
        "target": result.target,
        "points": len(result.points),
        "trial": result.trial,
        "variation_icon": variation.key,
        "variation": variation.label,
        "assurance_icon": assured.key if assured else None,
        "assurance": assured.label if assured else None,
        "screened": result.screened,
        "no_flags_reason": result.no_flags_reason,
    }


# --- when XmR applies ------------------------------------------------------------------------

FLOW, INDEPENDENT, CUMULATIVE, STOCK = ("flow", "independent", "cumulative", "stock")


@dataclass(frozen=True)
class Fitness:
    """Whether a measure may be read as an XmR chart, and why (not)."""

    fit: bool
    reason: str


def xmr_fitness(kind: str, points: int, min_points: int = 5) -> Fitness:
    """Whether a measure of ``kind`` with ``points`` values may be read as an XmR chart.

    ``kind``: ``"flow"`` (a count per period, e.g. items completed in each period),
    ``"independent"`` (values measured afresh each period, e.g. survey waves),
    ``"cumulative"`` (a running total, e.g. % complete) or ``"stock"`` (a count that carries
    over, e.g. items overdue, which stay overdue until done). XmR assumes values that vary
    independently from period to period: never a running total or a stock (use the per-period
    flow instead), and only with at least ``min_points`` values."""
    if kind in (CUMULATIVE, STOCK):
        what = "a running total" if kind == CUMULATIVE else "a stock that carries over"
        return Fitness(
            False,
            f"{what} does not vary independently from period to period, so an XmR chart "
            "would flag special causes that are not there; use the per-period flow instead",
        )
    if kind not in (FLOW, INDEPENDENT):
        raise ValueError(f"unknown kind of measure: {kind!r}")
    if points < min_points:
        return Fitness(False, f"{points} points: at least {min_points} are needed")
    return Fitness(True, "")


def is_monotone(values: list[float]) -> bool:
    """Whether a series never falls (or never rises): the signature of a running total."""
    steps = [b - a for a, b in pairwise(values)]
    return bool(steps) and (all(s >= 0 for s in steps) or all(s <= 0 for s in steps))


def describe(result: XmR, measure: str, unit: str = "") -> str:
    """A one-line summary of an XmR analysis for a text alternative."""
    special = result.special
    limits = "trial limits" if result.trial else "limits"

    def one(x: float) -> str:
        return f"{x:.1f}".replace("-0.0", "0.0")

    text = (
        f"{measure}: mean {one(result.mean)}{unit}, {limits} {one(result.lcl)}{unit} to "
        f"{one(result.ucl)}{unit} over {len(result.points)} points; "
    )
    if result.zero_width:
        text += f"no special-cause flags: {result.no_flags_reason}."
    elif special.empty:
        text += "common-cause variation only."
    else:
        kinds = special["variation"].value_counts()
        text += (
            ", ".join(f"{k} {v}" for v, k in zip(kinds.index, kinds.values, strict=True))
            + " special-cause point"
            + ("s" if len(special) != 1 else "")
            + "."
        )
    if result.screened:
        text += " " + result.screening
    if result.assurance:
        text += f" Against the target the process {result.assurance}."
    return text
