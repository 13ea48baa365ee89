"""Progress against the plan's own trajectory: items due by each period against items done.

The plan's timescales say when each item is due (:mod:`odreport.inputs.timescale`; the due
date the plan gives, not a date moved later). At each reporting period:

- ``due``: items whose plan due date is on or before the period's last day (cumulative, the
  planned trajectory);
- ``complete``: items complete at that period (cumulative, the actual);
- ``due_complete``: items due by then that are complete;
- ``gap``: items due by then that are not complete (``due - due_complete``): the shortfall
  against the plan;
- ``complete_early``: items complete although not yet due, or with no due date;
- ``undated``: items the plan gives no due date (ongoing, blank or not understood), never due;
- ``due_current``: items due by then with moved due dates taken into account.

Counts are per period, overall (``theme_ref`` "all") and per theme, as one tidy table. These
are stocks (running totals): they are compared with the plan, never read as an XmR chart; the
per-period flow (:func:`completions_per_period`) is the measure that can be.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from odreport.inputs.tables import Inputs
from odreport.metrics.derive import COMPLETE, period_end, periods, snapshot

ALL = "all"
COLUMNS = [
    "period",
    "reporting_date",
    "theme_ref",
    "theme",
    "theme_order",
    "items",
    "due",
    "complete",
    "due_complete",
    "gap",
    "complete_early",
    "undated",
    "due_current",
]


class _Flags:
    """Each item of a snapshot as flags (complete, due by ``as_at`` as planned and as moved,
    undated), worked out once and counted for any subset of the items."""

    def __init__(self, snap: pd.DataFrame, as_at: pd.Timestamp) -> None:
        self.done = (snap["brag"] == COMPLETE).to_numpy(dtype=bool)
        planned = snap["original_due"]
        self.due = (planned.notna() & (planned <= as_at)).to_numpy(dtype=bool)
        current = snap["current_due"]
        self.due_current = (current.notna() & (current <= as_at)).to_numpy(dtype=bool)
        self.undated = planned.isna().to_numpy(dtype=bool)
        self.theme = snap["theme_ref"]

    def counts(self, *theme_ref: object) -> dict[str, int]:
        """The counts over every item, or over those of the theme ``theme_ref`` if given."""
        if not theme_ref:
            done, due = self.done, self.due
            due_current, undated = self.due_current, self.undated
        else:
            mine = (self.theme == theme_ref[0]).to_numpy(dtype=bool)
            done, due = self.done[mine], self.due[mine]
            due_current, undated = self.due_current[mine], self.undated[mine]
        return {
            "items": len(done),
            "due": int(due.sum()),
            "complete": int(done.sum()),
            "due_complete": int((due & done).sum()),
            "gap": int((due & ~done).sum()),
            "complete_early": int((~due & done).sum()),
            "undated": int(undated.sum()),
            "due_current": int(due_current.sum()),
        }


def trajectory(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    """The planned and actual trajectory at every period with data up to ``period``: one row
    per period overall (``theme_ref`` "all", ``theme_order`` -1) and one per period and theme
    (every theme of ``items``, zero rows included)."""
    rows = []
    themes = (
        items[["theme_ref", "theme", "theme_order"]]
        .drop_duplicates("theme_ref")
        .sort_values("theme_order")
    )
    for p in [p for p in periods(inputs) if p <= period]:
        snap = snapshot(items, inputs, p)
        flags = _Flags(snap, pd.Timestamp(period_end(p)))
        base = {"period": p, "reporting_date": period_end(p).isoformat()}
        rows.append(base | {"theme_ref": ALL, "theme": "All", "theme_order": -1} | flags.counts())
        for _, t in themes.iterrows():
            rows.append(
                base
                | {
                    "theme_ref": t["theme_ref"],
                    "theme": t["theme"],
                    "theme_order": t["theme_order"],
                }
                | flags.counts(t["theme_ref"])
            )
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in COLUMNS[4:]:
        out[col] = out[col].astype("int64")
    return out


def planned(items: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The plan's own trajectory alone: items due by the end of each month in ``months``
    (``YYYY-MM``; future months included, e.g. every month to the plan's end), overall, from
    the due dates the plan gives."""
    due = items["original_due"]
    rows = [
        {
            "period": m,
            "reporting_date": period_end(m).isoformat(),
            "due": int((due.notna() & (due <= pd.Timestamp(period_end(m)))).sum()),
        }
        for m in months
    ]
    return pd.DataFrame(rows, columns=["period", "reporting_date", "due"])


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


@dataclass(frozen=True)
class Headline:
    """Due by now against done, at the reporting period."""

    period: str
    items: int
    due: int
    complete: int
    due_complete: int
    gap: int
    complete_early: int
    undated: int

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def headline(table: pd.DataFrame, period: str) -> Headline | None:
    """The overall figures at ``period`` from a :func:`trajectory` table (``None`` when the
    table has no row for it)."""
    row = table[(table["period"] == period) & (table["theme_ref"] == ALL)]
    if row.empty:
        return None
    r = row.iloc[0]
    counts = [f.name for f in dataclasses.fields(Headline) if f.name != "period"]
    return Headline(period, **{c: int(r[c]) for c in counts})


def completions_per_period(table: pd.DataFrame) -> pd.DataFrame:
    """The per-period flow behind the running total: items newly complete in each period since
    the one before (overall rows only). The first period has no earlier one, so no flow
    (its completions span everything before it); a fall in the total (an item reopened) shows
    as a negative flow rather than being hidden."""
    overall = table[table["theme_ref"] == ALL].sort_values("period")
    flow = overall["complete"].diff()
    return pd.DataFrame(
        {
            "period": overall["period"].to_numpy(),
            "completed_in_period": flow.astype("Int64").to_numpy(),
        }
    )
