"""Seeded illustrative progress data for demonstration.

The source plans publish plans, not monthly progress (Darlington's June 2012 snapshot is the
only real one), so the demonstration reports need generated progress. It is generated here,
deterministically from a seed, and every generated row says so: ``illustrative`` is ``yes``
and ``source`` names the script and seed. Real rows are kept as they are.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from odreport.inputs.tables import ROW, Inputs
from odreport.inputs.timescale import DATED, ONGOING, RANGE, RELATIVE, parse_timescale
from odreport.metrics.reporting_dates import period_end

PROGRESS_COLUMNS = [
    "period",
    "action_ref",
    "status",
    "rag",
    "percent_complete",
    "due_date",
    "commentary",
    "illustrative",
    "source",
]

_COMMENTARY = {
    "Not started": [
        "Not yet started; planned to begin on schedule.",
        "Scoping to start next period.",
    ],
    "In progress": [
        "Work under way; next milestone agreed with the lead.",
        "Progress discussed at the Operational Executive.",
        "Draft prepared and shared for comment.",
        "Workshops held; actions being followed up.",
    ],
    "behind": [
        "Behind plan: capacity pressures in the team.",
        "Delayed while dependencies are resolved.",
        "Slower than planned; recovery plan agreed.",
    ],
    "late": [
        "Past the due date: revised date to be agreed.",
        "Overdue; escalated to the theme lead.",
    ],
    "Complete": [
        "Completed and reported to the Governing Body.",
        "Complete; outputs shared with staff.",
    ],
    "Ongoing": ["Continuing as planned.", "Ongoing; reviewed at the last meeting."],
}


@dataclass
class _State:
    percent: int = 0
    slip_months: int = 0
    slip_at: str | None = None


def _months_between(a: date, b: date) -> float:
    return (b - a).days / 30.44


def generate_progress(inputs: Inputs, periods: list[str], seed: int, source: str) -> pd.DataFrame:
    """Illustrative progress rows for ``periods``, continuing any real rows before them."""
    org = inputs.tables["organisation"].iloc[0]
    plan_start = pd.Timestamp(org["plan_start"]).date()
    plan_date = org.get("plan_date")
    anchor = plan_start if plan_date is None or pd.isna(plan_date) else pd.Timestamp(plan_date).date()
    real = inputs.get("progress")
    real = real[real["illustrative"] == "no"] if real is not None else None
    rows = []
    for _, action in inputs.tables["actions"].sort_values(ROW).iterrows():
        ref = action["action_ref"]
        rng = random.Random(f"{seed}:{inputs.org}:{ref}")
        ts = parse_timescale(action.get("timescale"), anchor)
        start = ts.start or anchor
        due = ts.due
        if ts.kind in (DATED,) and ts.start is None and due is not None:
            start = max(anchor, due - relativedelta(months=rng.randint(2, 6)))
        pace = rng.uniform(0.75, 1.6)
        state = _State()
        if rng.random() < 0.22 and len(periods) > 2:
            state.slip_months = rng.randint(1, 4)
            state.slip_at = periods[rng.randint(1, len(periods) - 2)]
        last_real = None
        if real is not None:
            mine = real[real["action_ref"] == ref].sort_values("period")
            if not mine.empty:
                last_real = mine.iloc[-1]
                state.percent = {"Complete": 100, "In progress": 35, "Ongoing": 0}.get(
                    last_real["status"], 0
                )
        for period in periods:
            end = period_end(period)
            current_due = due
            moved = None
            if due is not None and state.slip_at is not None and period >= state.slip_at:
                current_due = due + relativedelta(months=state.slip_months, day=31)
                moved = current_due
            rows.append(
                _row(period, ref, ts.kind, start, current_due, moved, end, pace, state, rng, source)
            )
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def _row(period, ref, kind, start, due, moved, end, pace, state: _State, rng, source) -> dict:
    row = {
        "period": period,
        "action_ref": ref,
        "due_date": moved.isoformat() if moved else "",
        "illustrative": "yes",
        "source": source,
    }
    if kind in (ONGOING,) or due is None or kind not in (DATED, RANGE, RELATIVE):
        if end < start:
            return row | {
                "status": "Not started",
                "rag": "Grey",
                "percent_complete": "",
                "commentary": rng.choice(_COMMENTARY["Not started"]),
            }
        rag = "Amber" if rng.random() < 0.15 else "Green"
        return row | {
            "status": "Ongoing",
            "rag": rag,
            "percent_complete": "",
            "commentary": rng.choice(_COMMENTARY["Ongoing"]),
        }
    span = max(_months_between(start, due), 1.0)
    expected = min(max(_months_between(start, end) / span, 0.0), 1.0) * 100
    target = int(min(100, expected * pace) // 5 * 5)
    if state.percent < 100 and end >= start:
        state.percent = max(state.percent, target)
    if state.percent >= 100:
        return row | {
            "status": "Complete",
            "rag": "Blue",
            "percent_complete": "100",
            "commentary": rng.choice(_COMMENTARY["Complete"]),
        }
    if state.percent == 0:
        if end < start:
            return row | {
                "status": "Not started",
                "rag": "Grey",
                "percent_complete": "0",
                "commentary": rng.choice(_COMMENTARY["Not started"]),
            }
        state.percent = 5
    if end > due:
        rag, words = "Red", _COMMENTARY["late"]
    elif state.percent < expected - 25:
        rag, words = "Amber", _COMMENTARY["behind"]
    else:
        rag, words = "Green", _COMMENTARY["In progress"]
    return row | {
        "status": "In progress",
        "rag": rag,
        "percent_complete": str(state.percent),
        "commentary": rng.choice(words),
    }


MEETING_COLUMNS = ["date", "body", "papers_due", "lead_days", "source"]


def second_wednesday(year: int, month: int) -> date:
    """The second Wednesday of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(calendar.WEDNESDAY - first.weekday()) % 7 + 7)


def meeting_calendar(
    periods: list[str],
    body: str,
    source: str,
    *,
    papers_due_days: int | None = 7,
    lead_days: int | None = None,
) -> list[dict[str, str]]:
    """One meeting per period, on the second Wednesday of the month after it, as rows of
    ``meetings.csv``: papers due ``papers_due_days`` before it (written as a date), or, with
    ``lead_days``, the lead time written instead of a date."""
    rows = []
    for period in periods:
        year, month = int(period[:4]), int(period[5:])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        meeting = second_wednesday(year, month)
        papers = (
            (meeting - timedelta(days=papers_due_days)).isoformat()
            if papers_due_days is not None and lead_days is None
            else ""
        )
        rows.append(
            {
                "date": meeting.isoformat(),
                "body": body,
                "papers_due": papers,
                "lead_days": "" if lead_days is None else str(lead_days),
                "source": source,
            }
        )
    return rows
