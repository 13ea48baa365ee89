"""What "changes since" compares with: the meeting a report is for, the data of the previous
paper to the same body (else the previous period with data), and the items that changed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from odreport.errors import UsageError
from odreport.inputs.tables import Inputs
from odreport.metrics import meetings
from odreport.metrics.plan import organisation
from odreport.metrics.reporting_dates import fmt_date, period_end, period_label, periods
from odreport.metrics.status import COMPLETE, OFF_TRACK


def meeting_for(inputs: Inputs, period: str, on: str | None = None) -> meetings.Meeting | None:
    """The meeting a period's report is for: the one on ``on`` (YYYY-MM-DD) when given,
    else :func:`odreport.metrics.meetings.for_period` (deterministic: the first meeting whose
    papers deadline is on or after the reporting date, if no newer data are due for it).

    Raises :class:`~odreport.errors.UsageError` when ``on`` names no meeting in the calendar
    or a meeting whose papers deadline is before the reporting date: a report never claims
    data after its deadline."""
    calendar = meetings.meetings(inputs)
    if not on:
        return meetings.for_period(calendar, period, periods(inputs))
    found = meetings.find(calendar, on)
    if found is None:
        raise UsageError(f"no meeting on {on} in {inputs.org}'s meeting calendar")
    if found.deadline < period_end(period):
        raise UsageError(
            f"the {period} data are as at {period_end(period).isoformat()}, after the papers "
            f"deadline of {found.describe()}: a report cannot claim data after its deadline"
        )
    return found


def next_meeting(inputs: Inputs, period: str, on: str | None = None) -> dict | None:
    """The meeting the report is for (see :func:`meeting_for`) as the summary records it,
    with ``staleness`` (data more than two reporting cycles older than the meeting)."""
    found = meeting_for(inputs, period, on)
    if found is None:
        return None
    org = organisation(inputs)
    stale = meetings.staleness(found, period_end(period), org.get("reporting_cadence"))
    return found.as_dict() | {"staleness": stale.as_dict()}


PREVIOUS_PAPER, PREVIOUS_PERIOD, NO_BASELINE = "previous paper", "previous period", "none"


@dataclass(frozen=True)
class Comparison:
    """What "changes since" compares with: the data of the previous paper to the same body
    (``basis`` "previous paper", with that meeting), else the previous period with data
    ("previous period"), else nothing ("none")."""

    period: str | None
    basis: str
    meeting: meetings.Meeting | None = None

    def describe(self) -> str:
        """The phrase after "Since": ``the previous paper to the Governing Body on 13 January
        2016 (data as at 31 December 2015)`` or ``the previous report (May 2016)``."""
        if self.period is None:
            return ""
        if self.basis == PREVIOUS_PAPER and self.meeting is not None:
            return (
                f"the previous paper to the {self.meeting.body} on {fmt_date(self.meeting.date)} "
                f"(data as at {fmt_date(period_end(self.period))})"
            )
        return f"the previous report ({period_label(self.period)})"

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "basis": self.basis,
            "meeting": self.meeting.as_dict() if self.meeting else None,
            "description": self.describe(),
        }


def comparison(inputs: Inputs, period: str, on: str | None = None) -> Comparison:
    """The baseline of "changes since" for the report of ``period`` (for the meeting on
    ``on``, else the meeting :func:`meeting_for` finds): the period the previous paper to
    the same body reported (the latest with data by that meeting's papers deadline), when
    there is one and it is earlier than ``period``; else the previous period with data."""
    available = periods(inputs)
    earlier = [p for p in available if p < period]
    meeting = meeting_for(inputs, period, on)
    if meeting is not None:
        before = meetings.previous_paper(meetings.meetings(inputs), meeting)
        if before is not None:
            reported = meetings.latest_period_for(before, available)
            if reported is not None and reported < period:
                return Comparison(reported, PREVIOUS_PAPER, before)
    if earlier:
        return Comparison(earlier[-1], PREVIOUS_PERIOD)
    return Comparison(None, NO_BASELINE)


def changes(previous: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous report: newly complete, newly off track, new slippage.

    An item counts as new slippage when its current due date is later than at the previous
    report (or it slipped for the first time). Empty when there is no previous report.
    """
    columns = ["change", "action_ref", "action", "lead", "before", "now"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    before = previous.set_index("action_ref")
    rows = []
    for _, item in current.iterrows():
        ref = item["action_ref"]
        if ref not in before.index:
            continue
        was = before.loc[ref]
        if item["brag"] == COMPLETE and was["brag"] != COMPLETE:
            rows.append(("Newly complete", item, was["brag"], item["brag"]))
        if item["brag"] == OFF_TRACK and was["brag"] != OFF_TRACK:
            rows.append(("Newly off track", item, was["brag"], item["brag"]))
        now_due, was_due = item["current_due"], was["current_due"]
        if pd.notna(now_due) and pd.notna(was_due) and now_due > was_due:
            rows.append(("New slippage", item, fmt_date(was_due), fmt_date(now_due)))
    order = {"Newly complete": 0, "Newly off track": 1, "New slippage": 2}
    out = pd.DataFrame(
        [(c, i["action_ref"], i["action"], i["lead"], b, n) for c, i, b, n in rows],
        columns=columns,
    )
    return out.sort_values("change", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
