"""Derived tables and metrics for one organisation and reporting period.

Everything the report shows is computed here from the validated inputs, so the numbers in
the text, the charts and the tables come from one place. Definitions:

- reporting date: the last day of the reporting period (a month, ``YYYY-MM``);
- BRAG: Complete (blue), On track (green), At risk (amber), Off track (red),
  Not started (grey), and Not rated where a status has no RAG rating;
- overdue: not complete and the current due date is before the reporting date;
- slipped: the current due date is later than the due date the plan's timescale gives;
- no status reported: no progress row for the item in the period (BRAG "Not rated", column
  ``reported`` false); never counted as in progress;
- exception: not complete and overdue, off track, at risk or with its due date moved later
  (column ``exception``, reasons in ``exception_reasons``);
- timescales are read with :mod:`odreport.inputs.timescale`, relative ones counted from the
  plan's date (``plan_date``, the approval or refresh date, else ``plan_start``);
- the baseline of "changes since": the data of the previous paper to the same body (from the
  meeting calendar), else the previous period with data (:func:`comparison`);
- a target is met (score at or above it), missed (below it and its date has passed by the
  reporting date) or not yet due (:func:`target_status`); a plan has ended when the reporting
  date is on or after its last day (:func:`plan_status`).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from odreport.inputs.problems import WARNING, Problem
from odreport.inputs.tables import ROW, Inputs
from odreport.inputs.timescale import parse_timescale
from odreport.metrics.breakdowns import (
    accountability,
    accountability_gaps,
    exceptions,
    framework_coverage,
    status_by_theme,
    themes_overview,
)
from odreport.metrics.comparison import (
    NO_BASELINE,
    PREVIOUS_PAPER,
    PREVIOUS_PERIOD,
    Comparison,
    changes,
    comparison,
    meeting_for,
    next_meeting,
)
from odreport.metrics.plan import organisation, plan_anchor, plan_status
from odreport.metrics.reporting_dates import (
    fmt_date,
    period_end,
    period_label,
    period_short,
    periods,
    year_or_month_end,
)
from odreport.metrics.status import (
    AT_RISK,
    BRAG_ORDER,
    COMPLETE,
    NO_LEAD,
    NO_STATUS,
    NOT_RATED,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
    brag,
)
from odreport.metrics.targets import MET, MISSED, NOT_YET_DUE, target_counts, target_status

__all__ = [  # what the notebook, the report and the pipeline use from here
    "AT_RISK",
    "BRAG_ORDER",
    "COMPLETE",
    "MET",
    "MISSED",
    "NOT_RATED",
    "NOT_STARTED",
    "NOT_YET_DUE",
    "NO_BASELINE",
    "NO_LEAD",
    "NO_STATUS",
    "OFF_TRACK",
    "ON_TRACK",
    "PREVIOUS_PAPER",
    "PREVIOUS_PERIOD",
    "Comparison",
    "PeriodMetrics",
    "accountability",
    "accountability_gaps",
    "brag",
    "changes",
    "comparison",
    "counts_by_brag",
    "exceptions",
    "fmt_date",
    "framework_coverage",
    "headline",
    "meeting_for",
    "metrics",
    "next_meeting",
    "organisation",
    "pct",
    "pct_round",
    "period_end",
    "period_label",
    "period_short",
    "periods",
    "plan_anchor",
    "plan_items",
    "plan_status",
    "snapshot",
    "source_notes",
    "status_by_theme",
    "target_counts",
    "target_status",
    "themes_overview",
    "trend",
    "year_or_month_end",
]


def pct_round(percent: float) -> int:
    """A percentage as a whole number, halves rounded up: the report's one rounding rule."""
    return math.floor(percent + 0.5)


def pct(numerator: float, denominator: float) -> int | None:
    """``numerator`` as a whole-number percentage of ``denominator`` (:func:`pct_round`)."""
    if not denominator:
        return None
    return pct_round(numerator * 100 / denominator)


def plan_items(inputs: Inputs) -> tuple[pd.DataFrame, list[Problem]]:
    """Actions with their theme, lead and parsed timescale; and the timescales not understood
    (warnings)."""
    org = organisation(inputs)
    anchor = plan_anchor(org)
    actions = inputs.tables["actions"].copy()
    themes = inputs.tables["themes"].set_index("theme_ref")
    actions["theme"] = actions["theme_ref"].map(themes["theme"])
    actions["theme_order"] = actions["theme_ref"].map(
        {ref: i for i, ref in enumerate(themes.index)}
    )
    theme_lead = themes["lead"].map(_lead_name) if "lead" in themes else None
    lead = actions["lead"] if "lead" in actions else pd.Series(None, index=actions.index)
    if theme_lead is not None:
        lead = lead.fillna(actions["theme_ref"].map(theme_lead))
    actions["lead"] = lead
    parsed = [parse_timescale(t, anchor) for t in actions.get("timescale", [None] * len(actions))]
    actions["timescale_kind"] = [p.kind for p in parsed]
    actions["start"] = pd.to_datetime(pd.Series([p.start for p in parsed], index=actions.index))
    actions["original_due"] = pd.to_datetime(
        pd.Series([p.due for p in parsed], index=actions.index)
    )
    unparsed = [
        Problem(inputs.display_name("actions"), int(rn), "timescale", p.error, WARNING)
        for p, rn in zip(parsed, actions[ROW], strict=True)
        if not p.parsed
    ]
    return actions, unparsed


def _lead_name(lead: object) -> object:
    """``Chris Edwards – Chief Officer`` → ``Chris Edwards``."""
    if lead is None or pd.isna(lead):
        return None
    text = str(lead)
    for sep in (" – ", " - ", " —"):
        if sep in text:
            return text.split(sep)[0].strip()
    return text


# the snapshots of the innermost snapshots_reused() block of this thread, by the identity of
# items and inputs (kept with them, so that an identity cannot be reused) and the period
_SNAPSHOTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "odreport_snapshots", default=None
)


@contextlib.contextmanager
def snapshots_reused() -> Iterator[None]:
    """Within the block (and its thread), :func:`snapshot` of the same ``items`` and
    ``inputs`` objects and period is worked out once and a copy given to each caller: a
    report's tables ask for the snapshot of every period two or three times (the trend, the
    trajectory, the current and previous periods). The items and inputs must not be changed
    inside the block."""
    token = _SNAPSHOTS.set({})
    try:
        yield
    finally:
        _SNAPSHOTS.reset(token)


def snapshot(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    """Each item's status at ``period``: BRAG, current due date, overdue and slippage."""
    memo = _SNAPSHOTS.get()
    if memo is None:
        return _snapshot(items, inputs, period)
    key = (id(items), id(inputs), period)
    if key not in memo:
        memo[key] = (items, inputs, _snapshot(items, inputs, period))
    return memo[key][2].copy()


def _snapshot(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    progress = inputs.tables["progress"]
    cols = [
        "action_ref",
        "status",
        "rag",
        "percent_complete",
        "commentary",
        "illustrative",
        "due_date",
    ]
    at = progress.loc[progress["period"] == period, [c for c in cols if c in progress]]
    snap = items.merge(
        at.rename(columns={"due_date": "moved_due"}),
        on="action_ref",
        how="left",
        validate="one_to_one",
    )
    for col in cols[1:-1]:
        if col not in snap:
            snap[col] = None
    moved = snap["moved_due"] if "moved_due" in snap else pd.Series(pd.NaT, index=snap.index)
    snap["current_due"] = moved.where(moved.notna(), snap["original_due"])
    snap = snap.drop(columns=["moved_due"], errors="ignore")
    snap["reported"] = snap["status"].notna()
    snap["status"] = snap["status"].fillna(NO_STATUS)
    snap["brag"] = [
        brag(s, r if isinstance(r, str) else None)
        for s, r in zip(snap["status"], snap["rag"], strict=True)
    ]
    end = pd.Timestamp(period_end(period))
    snap["overdue"] = (
        (snap["brag"] != COMPLETE) & snap["current_due"].notna() & (snap["current_due"] < end)
    )
    snap["days_overdue"] = [
        (end - due).days if od else None
        for od, due in zip(snap["overdue"], snap["current_due"], strict=True)
    ]
    snap["slipped"] = (
        snap["original_due"].notna()
        & snap["current_due"].notna()
        & (snap["current_due"] > snap["original_due"])
    )
    reasons = [
        "; ".join(
            r
            for r, hit in (
                ("overdue", od),
                ("off track", b == OFF_TRACK),
                ("at risk", b == AT_RISK),
                ("due date moved", sl),
            )
            if hit
        )
        if b != COMPLETE
        else ""
        for b, od, sl in zip(snap["brag"], snap["overdue"], snap["slipped"], strict=True)
    ]
    snap["exception_reasons"] = reasons
    snap["exception"] = [bool(r) for r in reasons]
    snap["period"] = period
    return snap.sort_values(["theme_order", ROW]).reset_index(drop=True)


def counts_by_brag(snap: pd.DataFrame) -> dict[str, int]:
    """Number of items per BRAG category, in BRAG order, zeros included."""
    counts = snap["brag"].value_counts()
    return {b: int(counts.get(b, 0)) for b in BRAG_ORDER}


@dataclass(frozen=True)
class PeriodMetrics:
    """Headline figures of one period."""

    period: str
    items: int
    counts: dict[str, int]
    complete: int
    share_complete: int | None
    overdue: int
    slipped: int
    no_status: int = 0  # items with no status reported (counted in "Not rated")
    exceptions: int = 0
    no_lead: int = 0

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "items": self.items,
            "counts": self.counts,
            "complete": self.complete,
            "share_complete": self.share_complete,
            "overdue": self.overdue,
            "slipped": self.slipped,
            "no_status": self.no_status,
            "exceptions": self.exceptions,
            "no_lead": self.no_lead,
        }


def metrics(snap: pd.DataFrame, period: str) -> PeriodMetrics:
    """Headline figures for a snapshot."""
    counts = counts_by_brag(snap)
    n = len(snap)
    reported = snap["reported"] if "reported" in snap else pd.Series(True, index=snap.index)
    exceptions = snap["exception"] if "exception" in snap else pd.Series(False, index=snap.index)
    return PeriodMetrics(
        period=period,
        items=n,
        counts=counts,
        complete=counts[COMPLETE],
        share_complete=pct(counts[COMPLETE], n),
        overdue=int(snap["overdue"].sum()),
        slipped=int(snap["slipped"].sum()),
        no_status=int((~reported.astype(bool)).sum()),
        exceptions=int(exceptions.astype(bool).sum()),
        no_lead=int(snap["lead"].isna().sum()),
    )


def trend(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    """Share complete and number overdue at every period up to ``period``."""
    rows = []
    for p in periods(inputs):
        if p > period:
            break
        m = metrics(snapshot(items, inputs, p), p)
        rows.append(
            {
                "period": p,
                "share_complete": m.share_complete,
                "overdue": m.overdue,
                "complete": m.complete,
                "items": m.items,
            }
        )
    return pd.DataFrame(rows, columns=["period", "share_complete", "overdue", "complete", "items"])


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def headline(
    org: dict,
    current: PeriodMetrics,
    previous: PeriodMetrics | None,
    basis: str | None = None,
) -> list[str]:
    """Three to five sentences for the headline, generated from the numbers. ``basis`` names
    what ``previous`` is (see :class:`Comparison`); by default "the previous report"."""
    noun = org["item_name"]
    c = current.counts
    in_progress = c[NOT_RATED] - current.no_status
    parts = [
        f"{c[ON_TRACK]} on track",
        f"{c[AT_RISK]} at risk",
        f"{c[OFF_TRACK]} off track",
        f"{c[NOT_STARTED]} not started",
    ]
    if in_progress:
        parts.append(f"{in_progress} in progress without a RAG rating")
    if current.no_status:
        parts.append(f"{current.no_status} with no status reported")
    sentences = [
        f"At the end of {period_label(current.period)}, {c[COMPLETE]} of "
        f"{_plural(current.items, noun)} ({current.share_complete}%) "
        f"{'is' if c[COMPLETE] == 1 else 'are'} complete; "
        + ", ".join(parts[:-1])
        + f" and {parts[-1]}.",
    ]
    if current.overdue:
        sentences.append(
            f"{_plural(current.overdue, noun).capitalize()} "
            f"{'is' if current.overdue == 1 else 'are'} overdue: past the due date and not complete."
        )
    else:
        sentences.append(f"No {noun} is overdue.")
    if current.slipped:
        sentences.append(
            f"{_plural(current.slipped, noun).capitalize()} "
            f"{'has' if current.slipped == 1 else 'have'} a due date later than the plan's timescale."
        )
    else:
        sentences.append(f"No {noun} has moved its due date beyond the plan's timescale.")
    if previous is None:
        sentences.append(
            "This is the first progress report, so there is no earlier one to compare."
        )
    else:
        done = current.complete - previous.complete
        change = (
            f"{done} more {'was' if done == 1 else 'were'} completed"
            if done > 0
            else (f"no more {noun}s were completed" if done == 0 else f"{-done} fewer are complete")
        )
        overdue = (
            f"the number overdue stayed at {current.overdue}"
            if previous.overdue == current.overdue
            else f"the number overdue went from {previous.overdue} to {current.overdue}"
        )
        since = basis or f"the previous report ({period_label(previous.period)})"
        sentences.append(f"Since {since}, {change}, and {overdue}.")
    return sentences


def source_notes(inputs: Inputs) -> pd.DataFrame:
    """Known gaps and readings of the source document (``source_notes.csv``, written from
    SOURCES.md): what the inputs cannot show, so that no report says every check passed."""
    notes = inputs.get("source_notes")
    columns = ["note_ref", "table", "ref", "kind", "note", "source"]
    if notes is None or notes.empty:
        return pd.DataFrame(columns=columns)
    return notes.drop(columns=[ROW], errors="ignore").reset_index(drop=True)
