"""Governing body meeting calendars: when papers are due, and which meeting a report is for.

An organisation's ``meetings.csv`` lists its meetings (date, body) and when their papers are
due: a ``papers_due`` date, else ``lead_days`` before the meeting, else
:data:`DEFAULT_PAPERS_LEAD_DAYS` before it. A deadline that falls on a weekend or an England
bank holiday (the ``holidays`` library's calendar for the UK, subdivision England) moves to
the previous working day.

The rules that tie reports to meetings:

- a report for a meeting uses the latest reporting period whose data is as at (the period's
  last day) or before the papers deadline (:func:`latest_period_for`); a report never claims
  data after its deadline;
- a period's report is labelled for one meeting, deterministically: the first meeting whose
  papers deadline is on or after the period's last day, if the period is the latest with data
  by that deadline (:func:`for_period`; otherwise it is an interim report for no meeting),
  unless a scheduled run names the meeting it renders for;
- data more than two reporting cycles older than the meeting (the plan's cadence: monthly 1
  month, bi-monthly 2, quarterly 3, 6-monthly 6, annual 12) carries a staleness warning
  (:func:`staleness`);
- "changes since" compares with the data of the previous paper to the same body
  (:func:`previous_paper`).

The scheduler renders a report when a meeting's papers are due within its window (and the
meeting has not yet been held).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd
from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:  # for type hints only: no import at run time
    from odreport.inputs.tables import Inputs


DEFAULT_PAPERS_LEAD_DAYS = 7  # papers due a week before the meeting unless the calendar says
DEFAULT_WINDOW_DAYS = 14  # the scheduler renders from two weeks before the papers are due
STALE_CYCLES = 2  # data older than this many reporting cycles before the meeting is stale
CADENCE_MONTHS = {"monthly": 1, "bi-monthly": 2, "quarterly": 3, "6-monthly": 6, "annual": 12}


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    from holidays.countries.united_kingdom import UnitedKingdom

    return frozenset(UnitedKingdom(subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def month_end(period: str) -> dt.date:
    """Last day of a ``YYYY-MM`` period: the date its data is as at."""
    year, month = (int(p) for p in period.split("-"))
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Meeting:
    """One meeting of a governing body, with the papers deadline stated or derived."""

    date: dt.date
    body: str
    papers_due: dt.date | None  # as stated in the calendar (directly or as a lead time)
    illustrative: bool = False  # the calendar row says its date is illustrative

    @property
    def nominal_deadline(self) -> dt.date:
        """The deadline as stated, else the default lead time before the meeting."""
        return self.papers_due or self.date - dt.timedelta(days=DEFAULT_PAPERS_LEAD_DAYS)

    @property
    def deadline(self) -> dt.date:
        """When papers are due: the nominal deadline, or the working day before it when it
        falls on a weekend or an England bank holiday."""
        return working_day_on_or_before(self.nominal_deadline)

    def as_dict(self) -> dict:
        """The meeting as the report's summary records it. ``papers_due`` is the deadline when
        the calendar states one (moved off weekends and bank holidays), else ``None``;
        ``deadline`` is always the working-day deadline."""
        return {
            "date": self.date.isoformat(),
            "body": self.body,
            "papers_due": self.deadline.isoformat() if self.papers_due else None,
            "papers_due_as_written": self.papers_due.isoformat() if self.papers_due else None,
            "deadline": self.deadline.isoformat(),
            "deadline_moved": self.deadline != self.nominal_deadline,
            "illustrative": self.illustrative,
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
        source = row.get("source")
        illustrative = isinstance(source, str) and source.lower().startswith("illustrative")
        out.append(Meeting(date, str(row["body"]), papers, illustrative))
    return sorted(out, key=lambda m: (m.date, m.body))


def next_after(calendar: list[Meeting], day: dt.date) -> Meeting | None:
    """The first meeting after ``day``."""
    return next((m for m in calendar if m.date > day), None)


def for_data(calendar: list[Meeting], as_at: dt.date) -> Meeting | None:
    """The first meeting whose papers deadline is on or after ``as_at``: the only one a report
    with data as at ``as_at`` may be labelled for without claiming data after its deadline."""
    return next((m for m in calendar if m.deadline >= as_at), None)


def for_period(calendar: list[Meeting], period: str, periods: list[str]) -> Meeting | None:
    """The meeting a period's report is labelled for: the first meeting whose papers deadline
    is on or after the period's last day, provided the period is the latest one with data by
    that deadline (``periods``: the periods with data); otherwise ``None`` (an interim report,
    superseded by newer data before that meeting's papers are due)."""
    meeting = for_data(calendar, month_end(period))
    if meeting is None or latest_period_for(meeting, [*periods, period]) != period:
        return None
    return meeting


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


def latest_period_for(meeting: Meeting, periods: list[str]) -> str | None:
    """The latest reporting period (YYYY-MM) whose data is as at the papers deadline or
    before it (the period's last day on or before the deadline)."""
    eligible = [p for p in periods if month_end(p) <= meeting.deadline]
    return max(eligible) if eligible else None


def latest_period_by(periods: list[str], today: dt.date) -> str | None:
    """The latest reporting period (YYYY-MM) on or before ``today``'s month."""
    month = today.strftime("%Y-%m")
    earlier = [p for p in periods if p <= month]
    return max(earlier) if earlier else None


def previous_paper(calendar: list[Meeting], meeting: Meeting) -> Meeting | None:
    """The last meeting of the same body before ``meeting``."""
    earlier = [m for m in calendar if m.body == meeting.body and m.date < meeting.date]
    return earlier[-1] if earlier else None


def cycle_months(cadence: str | None) -> int | None:
    """Months in one reporting cycle of a cadence (``None`` when not known)."""
    return CADENCE_MONTHS.get(str(cadence)) if cadence else None


@dataclass(frozen=True)
class Staleness:
    """How old a report's data is at its meeting."""

    stale: bool
    months: int  # whole months from the data's date to the meeting
    limit_months: int | None  # two reporting cycles (None: cadence unknown, never stale)
    message: str

    def as_dict(self) -> dict:
        return {
            "stale": self.stale,
            "months": self.months,
            "limit_months": self.limit_months,
            "message": self.message,
        }


def staleness(meeting: Meeting, as_at: dt.date, cadence: str | None) -> Staleness:
    """Whether data as at ``as_at`` is stale for ``meeting``: the meeting is more than two
    reporting cycles after the data's date."""
    delta = relativedelta(meeting.date, as_at)
    months = delta.years * 12 + delta.months
    cycle = cycle_months(cadence)
    if cycle is None:
        return Staleness(False, months, None, "")
    limit = STALE_CYCLES * cycle
    stale = meeting.date > as_at + relativedelta(months=limit)
    message = (
        f"The data are as at {as_at.day} {_calendar.month_name[as_at.month]} {as_at.year}, "
        f"{months} months before the meeting: more than two {cadence} reporting cycles "
        f"({limit} months)."
        if stale
        else ""
    )
    return Staleness(stale, months, limit, message)
