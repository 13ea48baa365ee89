"""Governing body meeting calendars: when papers are due, and which meeting a report is for.

An organisation's ``meetings.csv`` lists its meetings (date, body) and when their papers are
due: a ``papers_due`` date, else ``lead_days`` before the meeting, else
:data:`DEFAULT_PAPERS_LEAD_DAYS` before it. The scheduler renders a report when a meeting's
papers are due within its window (and the meeting has not yet been held).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from odreport.inputs.tables import Inputs

DEFAULT_PAPERS_LEAD_DAYS = 7  # papers due a week before the meeting unless the calendar says
DEFAULT_WINDOW_DAYS = 14  # the scheduler renders from two weeks before the papers are due


@dataclass(frozen=True)
class Meeting:
    """One meeting of a governing body, with the papers deadline stated or derived."""

    date: dt.date
    body: str
    papers_due: dt.date | None  # as stated in the calendar (directly or as a lead time)

    @property
    def deadline(self) -> dt.date:
        """When papers are due: as stated, else the default lead time before the meeting."""
        return self.papers_due or self.date - dt.timedelta(days=DEFAULT_PAPERS_LEAD_DAYS)

    def as_dict(self) -> dict:
        """The meeting as the report's summary records it."""
        return {
            "date": self.date.isoformat(),
            "body": self.body,
            "papers_due": self.papers_due.isoformat() if self.papers_due else None,
        }

    def describe(self) -> str:
        """``Governing Body on 2016-07-06 (papers due 2016-06-29)``."""
        return f"{self.body} on {self.date.isoformat()} (papers due {self.deadline.isoformat()})"


def _date(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def meetings(inputs: Inputs) -> list[Meeting]:
    """The organisation's meetings in date order (empty when it has no calendar)."""
    table = inputs.get("meetings")
    if table is None or table.empty:
        return []
    out = []
    for _, row in table.iterrows():
        date = _date(row["date"])
        if date is None:
            continue
        papers = _date(row.get("papers_due"))
        lead = row.get("lead_days")
        if papers is None and lead is not None and not pd.isna(lead):
            papers = date - dt.timedelta(days=int(lead))
        out.append(Meeting(date, str(row["body"]), papers))
    return sorted(out, key=lambda m: (m.date, m.body))


def next_after(calendar: list[Meeting], day: dt.date) -> Meeting | None:
    """The first meeting after ``day``: the one a report dated ``day`` is prepared for."""
    return next((m for m in calendar if m.date > day), None)


def due(calendar: list[Meeting], today: dt.date, window_days: int) -> Meeting | None:
    """The first meeting not yet held whose papers are due within ``window_days`` of ``today``
    (papers already late count: the meeting still needs them)."""
    return next(
        (m for m in calendar if m.date >= today and (m.deadline - today).days <= window_days),
        None,
    )


def find(calendar: list[Meeting], date: str) -> Meeting | None:
    """The meeting on ``date`` (YYYY-MM-DD), if the calendar has one."""
    return next((m for m in calendar if m.date.isoformat() == date), None)


def latest_period_by(periods: list[str], today: dt.date) -> str | None:
    """The latest reporting period (YYYY-MM) on or before ``today``'s month."""
    month = today.strftime("%Y-%m")
    earlier = [p for p in periods if p <= month]
    return max(earlier) if earlier else None
