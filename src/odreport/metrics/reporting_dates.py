"""Reporting periods (``YYYY-MM`` months) and dates: a period's last day (the reporting
date), how periods and dates are written, the periods with progress data, and target dates
written as a year or a month."""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from odreport.inputs.timescale import MONTH_ABBRS, MONTH_NAMES

if TYPE_CHECKING:  # annotations only
    from odreport.inputs.tables import Inputs


def period_end(period: str) -> date:
    """Last day of a ``YYYY-MM`` period."""
    year, month = (int(p) for p in period.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def period_label(period: str) -> str:
    """``2016-03`` → ``March 2016``."""
    year, month = (int(p) for p in period.split("-"))
    return f"{MONTH_NAMES[month - 1]} {year}"


def period_short(period: str) -> str:
    """``2016-03`` → ``Mar 2016`` (chart axes)."""
    year, month = (int(p) for p in period.split("-"))
    return f"{MONTH_ABBRS[month - 1]} {year}"


def fmt_date(value: date | pd.Timestamp | None) -> str:
    """A date as people write it in a board paper: ``31 March 2016``; blank when missing."""
    if value is None or pd.isna(value):
        return ""
    value = pd.Timestamp(value)
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def periods(inputs: Inputs) -> list[str]:
    """Reporting periods with progress data, oldest first."""
    progress = inputs.get("progress")
    if progress is None or progress.empty:
        return []
    return sorted(progress["period"].dropna().unique().tolist())


def year_or_month_end(text: object) -> date | None:
    """``2010`` → 31 December 2010; ``2010-06`` → 30 June 2010; anything else → ``None``."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    value = str(text).strip()
    if len(value) == 4 and value.isdigit():
        return date(int(value), 12, 31)
    month = value[5:]
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and month.isdigit():
        return period_end(value) if 1 <= int(month) <= 12 else None
    return None
