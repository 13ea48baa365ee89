"""Parse plan timescales as written ("April/May 2016", "On-going", "6 months – 3 years").

The original text is always kept; :func:`parse_timescale` derives a start date, a due date and
a kind. A timescale that matches no known form is reported as ``unparsed``, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

DATED = "dated"  # a due date (possibly with a start): "February 2016", "April/May 2016"
RANGE = "range"  # a start and a due date: "September – December 2014"
ONGOING = "ongoing"  # no due date, perhaps a start: "On-going", "March 2016 onwards"
RELATIVE = "relative"  # relative to the plan start: "6 months – 3 years"
UNSPECIFIED = "unspecified"  # blank
UNPARSED = "unparsed"  # text that matches no known form

# English month names, fixed here: ``calendar.month_name`` follows the process's LC_TIME locale
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
MONTH_ABBRS = tuple(name[:3] for name in MONTH_NAMES)
MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
MONTHS.update({name.lower(): i for i, name in enumerate(MONTH_ABBRS, 1)})
MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"


@dataclass(frozen=True)
class Timescale:
    """A timescale: the text as written and what it means."""

    text: str
    kind: str
    start: date | None = None
    due: date | None = None
    error: str = ""

    @property
    def parsed(self) -> bool:
        return self.kind != UNPARSED


def month_start(year: int, month: int) -> date:
    """First day of a month."""
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _norm(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2012", "-")
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"\s*\([^()]*\)$", "", text)  # a trailing note: "... (aligned to outputs)"
    return text.rstrip(".")


def _m(name: str) -> int:
    return MONTHS[name.rstrip(".")]


_RULES: list[tuple[re.Pattern[str], str]] = []


def _rule(pattern: str):
    def deco(fn):
        _RULES.append((re.compile(r"^" + pattern + r"$"), fn))
        return fn

    return deco


@_rule(r"(?:on-?going|on going|continuous|continual|throughout)")
def _ongoing(m, plan_start):
    return ONGOING, None, None


@_rule(rf"(?:on-?going|on going) from ({_MONTH}) ({_YEAR})")
def _ongoing_from(m, plan_start):
    return ONGOING, month_start(int(m[2]), _m(m[1])), None


@_rule(rf"(?:from )?({_MONTH}) ({_YEAR}) (?:onwards|and ongoing|on-?going)")
def _onwards(m, plan_start):
    return ONGOING, month_start(int(m[2]), _m(m[1])), None


@_rule(rf"(?:by |end of |end |by end of |by the end of )?({_MONTH}) ({_YEAR})")
def _month_year(m, plan_start):
    y, mo = int(m[2]), _m(m[1])
    return DATED, None, month_end(y, mo)


@_rule(rf"({_MONTH}) ?(?:/|or|and|-) ?({_MONTH}) ({_YEAR})")
def _two_months(m, plan_start):
    y, m1, m2 = int(m[3]), _m(m[1]), _m(m[2])
    y1 = y - 1 if m1 > m2 else y
    if m2 == m1 + 1 or (m1 == 12 and m2 == 1):
        return DATED, month_start(y1, m1), month_end(y, m2)
    return RANGE, month_start(y1, m1), month_end(y, m2)


@_rule(rf"({_MONTH}) ({_YEAR}) ?(?:-|to|until) ?({_MONTH}) ({_YEAR})")
def _range(m, plan_start):
    return RANGE, month_start(int(m[2]), _m(m[1])), month_end(int(m[4]), _m(m[3]))


@_rule(
    rf"(?:first draft )?(?:end )?({_MONTH}) ({_YEAR}),? (?:final draft )(?:end )?({_MONTH}) ({_YEAR})"
)
def _drafts(m, plan_start):
    return DATED, None, month_end(int(m[4]), _m(m[3]))


@_rule(rf"(?:by |end of )?({_YEAR})")
def _year(m, plan_start):
    return DATED, None, date(int(m[1]), 12, 31)


@_rule(rf"({_YEAR}) ?(?:to|-|/) ?({_YEAR}|\d\d)")
def _financial_years(m, plan_start):
    first = int(m[1])
    last = int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
    if last <= first:
        return None
    return RANGE, date(first, 4, 1), date(last, 3, 31)


_UNIT = {
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}


@_rule(r"(\d+) (weeks?|months?|years?) ?(?:-|to) ?(\d+) (weeks?|months?|years?)")
def _relative_range(m, plan_start):
    if plan_start is None:
        return None
    start = plan_start + relativedelta(**{_UNIT[m[2]]: int(m[1])})
    due = plan_start + relativedelta(**{_UNIT[m[4]]: int(m[3])}) - relativedelta(days=1)
    return RELATIVE, start, due


@_rule(r"(\d+) ?(?:-|to) ?(\d+) (weeks?|months?|years?)")
def _relative_same_unit(m, plan_start):
    if plan_start is None or int(m[1]) >= int(m[2]):
        return None
    unit = _UNIT[m[3]]
    start = plan_start + relativedelta(**{unit: int(m[1])})
    return RELATIVE, start, plan_start + relativedelta(**{unit: int(m[2])}) - relativedelta(days=1)


@_rule(r"(?:within )?(\d+) (weeks?|months?|years?)")
def _relative(m, plan_start):
    if plan_start is None:
        return None
    return (
        RELATIVE,
        None,
        plan_start + relativedelta(**{_UNIT[m[2]]: int(m[1])}) - relativedelta(days=1),
    )


def parse_timescale(text: str | None, plan_start: date | None = None) -> Timescale:
    """Derive kind, start and due date from a timescale as written.

    ``plan_start`` anchors relative timescales ("6 months – 3 years"). Dates are month ends
    for due dates and month starts for start dates.
    """
    raw = "" if text is None else str(text)
    norm = _norm(raw)
    if not norm:
        return Timescale(raw, UNSPECIFIED)
    for pattern, fn in _RULES:
        m = pattern.match(norm)
        if m:
            result = fn(m, plan_start)
            if result is not None:
                kind, start, due = result
                if start is not None and due is not None and due < start:
                    break
                return Timescale(raw, kind, start, due)
    return Timescale(raw, UNPARSED, error=f"timescale not understood (found {raw!r})")
