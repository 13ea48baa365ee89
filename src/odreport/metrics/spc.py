"""Statistical process control (XmR charts) following NHS England's Making Data Count.

- Centre line: the mean. Moving range: |x_i − x_(i−1)|; AMR: the mean moving range.
- Process limits: mean ± 2.66 × AMR; near-limit band: mean ± (2/3 × 2.66) × AMR.
- Moving ranges above 3.267 × AMR are screened out before the limits are computed.
- Limits come from the first 12 points (the baseline); with fewer, they are "trial limits".
- Special cause, any of: a point outside the limits; 7 points in a row on one side of the mean;
  7 points in a row all rising or all falling; 2 of 3 points beyond the near-limit band on the
  same side.
- Each special-cause point is improvement, concern or neutral by the measure's improvement
  direction; a target outside the limits means the process will consistently pass or fail it,
  inside means it will hit and miss at random.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean

import pandas as pd

LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267
RUN_LENGTH = 7
BASELINE = 12
MIN_POINTS = 5  # fewer points: no process limits (a run chart, or the values listed)

OUTSIDE, RUN, TREND, TWO_OF_THREE = (
    "point outside the limits",
    "7 points in a row on one side of the mean",
    "7 points in a row rising or falling",
    "2 of 3 points near a limit",
)
COMMON, IMPROVEMENT, CONCERN, NEUTRAL = ("common cause", "improvement", "concern", "neutral")
PASS, FAIL, HIT_AND_MISS = ("consistently passes", "consistently fails", "hits and misses")


@dataclass(frozen=True)
class XmR:
    """An XmR analysis of one series."""

    points: pd.DataFrame  # label, value, moving_range, rules, side, variation
    mean: float
    amr: float
    ucl: float
    lcl: float
    upper_near: float
    lower_near: float
    trial: bool
    assurance: str | None

    @property
    def special(self) -> pd.DataFrame:
        return self.points[self.points["variation"] != COMMON]


def moving_ranges(values: list[float]) -> list[float | None]:
    """|x_i − x_(i−1)|, with ``None`` for the first point."""
    return [None] + [abs(b - a) for a, b in pairwise(values)]


def screened_amr(ranges: list[float]) -> float:
    """Mean moving range after dropping ranges above 3.267 × the unscreened mean."""
    if not ranges:
        return 0.0
    first = fmean(ranges)
    kept = [r for r in ranges if r <= SCREEN_FACTOR * first]
    return fmean(kept) if kept else first


def xmr(
    values: list[float],
    labels: list[str] | None = None,
    improvement: str | None = None,
    target: float | None = None,
    baseline: int = BASELINE,
) -> XmR:
    """Analyse ``values`` (oldest first). ``improvement`` is ``"up"``, ``"down"`` or ``None``."""
    if improvement not in ("up", "down", None):
        raise ValueError("improvement must be 'up', 'down' or None")
    values = [float(v) for v in values]
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least 2 points")
    base = values[: min(len(values), baseline)]
    mean = fmean(base)
    amr = screened_amr([r for r in moving_ranges(base) if r is not None])
    ucl, lcl = mean + LIMIT_FACTOR * amr, mean - LIMIT_FACTOR * amr
    near = 2 / 3 * LIMIT_FACTOR * amr
    upper_near, lower_near = mean + near, mean - near
    n = len(values)
    rules: list[set[str]] = [set() for _ in range(n)]
    side: list[str | None] = [None] * n
    for i, v in enumerate(values):
        if v > ucl or v < lcl:
            rules[i].add(OUTSIDE)
            side[i] = "high" if v > ucl else "low"
    # runs on one side of the mean (a point on the mean breaks a run)
    for sign, name in ((1, "high"), (-1, "low")):
        start = 0
        while start < n:
            end = start
            while end < n and (values[end] - mean) * sign > 0:
                end += 1
            if end - start >= RUN_LENGTH:
                for i in range(start, end):
                    rules[i].add(RUN)
                    side[i] = side[i] or name
            start = max(end, start + 1)
    # trends: consecutive strict rises or falls spanning 7 points
    for sign, name in ((1, "high"), (-1, "low")):
        start = 0
        while start < n - 1:
            end = start
            while end + 1 < n and (values[end + 1] - values[end]) * sign > 0:
                end += 1
            if end - start + 1 >= RUN_LENGTH:
                for i in range(start, end + 1):
                    rules[i].add(TREND)
                    side[i] = side[i] or name
            start = max(end, start + 1)
    # 2 of 3 beyond the near-limit band, same side
    for i in range(n - 2):
        window = range(i, i + 3)
        for name, beyond in (("high", lambda v: v > upper_near), ("low", lambda v: v < lower_near)):
            hits = [j for j in window if beyond(values[j])]
            if len(hits) >= 2:
                for j in hits:
                    rules[j].add(TWO_OF_THREE)
                    side[j] = side[j] or name
    variation = []
    for r, s in zip(rules, side, strict=True):
        if not r:
            variation.append(COMMON)
        elif improvement is None:
            variation.append(NEUTRAL)
        else:
            good = (s == "high") == (improvement == "up")
            variation.append(IMPROVEMENT if good else CONCERN)
    assurance = None
    if target is not None and improvement is not None:
        if lcl <= target <= ucl:
            assurance = HIT_AND_MISS
        elif (target < lcl) == (improvement == "up"):
            assurance = PASS
        else:
            assurance = FAIL
    order = [OUTSIDE, RUN, TREND, TWO_OF_THREE]
    points = pd.DataFrame(
        {
            "label": labels,
            "value": values,
            "moving_range": moving_ranges(values),
            "rules": ["; ".join(x for x in order if x in r) for r in rules],
            "side": side,
            "variation": variation,
        }
    )
    return XmR(points, mean, amr, ucl, lcl, upper_near, lower_near, n < baseline, assurance)


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
    if special.empty:
        text += "common-cause variation only."
    else:
        kinds = special["variation"].value_counts()
        text += (
            ", ".join(f"{k} {v}" for v, k in zip(kinds.index, kinds.values, strict=True))
            + " special-cause point"
            + ("s" if len(special) != 1 else "")
            + "."
        )
    if result.assurance:
        text += f" Against the target the process {result.assurance}."
    return text
