"""The organisation's profile and its plan: the date relative timescales count from, and
whether the plan has ended at the reporting date."""

from __future__ import annotations

from datetime import date

import pandas as pd

from odreport.inputs.tables import ROW, Inputs
from odreport.metrics.reporting_dates import fmt_date, period_end


def organisation(inputs: Inputs) -> dict:
    """The organisation profile as a plain dict (dates as ISO strings)."""
    row = inputs.tables["organisation"].iloc[0]
    out = {}
    for key, value in row.items():
        if key == ROW:
            continue
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
        elif pd.isna(value):
            out[key] = None
        else:
            out[key] = value.item() if hasattr(value, "item") else value
    out["item_name"] = out.get("item_name") or "action"
    out["timescale_anchor"] = out.get("plan_date") or out["plan_start"]
    return out


def plan_anchor(org: dict) -> date:
    """The date relative timescales count from: the plan's approval or refresh date
    (``plan_date``) when it gives one, else the first day of the plan period."""
    return date.fromisoformat(org.get("plan_date") or org["plan_start"])


def plan_status(org: dict, period: str) -> dict:
    """Whether the plan has ended at the reporting date (the date is on or after its last
    day), with a sentence saying so."""
    end = date.fromisoformat(org["plan_end"])
    as_at = period_end(period)
    ended = as_at >= end
    return {
        "ended": ended,
        "plan_end": end.isoformat(),
        "message": f"The plan period ended on {fmt_date(end)}." if ended else "",
    }
