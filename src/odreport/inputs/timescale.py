"""Parse plan timescales as written ("April/May 2016", "Q3 2017/18", "6 months – 3 years").

The original text is always kept; :func:`parse_timescale` derives a start date, a due date and
a kind. A timescale that matches no known form is reported as ``unparsed``, never guessed.

Conventions (NHS financial years run from 1 April to 31 March):

- a financial year "2017/18", "2017-18", "2017 to 2018", "FY 2017/18" or "financial year
  2017/18" runs from 1 April 2017 to 31 March 2018; "end of 2017/18" is due 31 March 2018;
- a span of years "2016-2018" or "2016 to 2018" names the financial years it runs through:
  1 April 2016 to 31 March 2018 (as NHS plans name their periods: "2015 - 2018");
- a quarter of a financial year: Q1 April–June, Q2 July–September, Q3 October–December,
  Q4 January–March, so "Q3 2017/18" runs from 1 October to 31 December 2017 and "Q1 2017/18"
  from 1 April to 30 June 2017; "end of Q3 2017/18" or "by Q3 2017/18" is due 31 December 2017.
  A quarter with a calendar year only ("Q3 2017") is ambiguous and not understood;
- relative timescales count from the **anchor**, the plan's own date: the date the plan was
  approved or last refreshed when it gives one (organisation.csv ``plan_date``), else the
  first day of the plan period (``plan_start``). "6 months" or "within 6 months" is due the
  day before the same day six months on (anchor 1 April 2008: 30 September 2008; anchor
  30 March 2009: 29 September 2009); "6 months – 3 years" starts six months on and is due the
  day before three years on; "1 – 2 years" likewise;
- a quarter without a year ("end of Q2", "by Q2", "Q2") is that quarter of the plan's current
  financial year: the financial year in which the anchor falls, or the next one when that
  quarter had already ended by the anchor date; in other words the first such quarter ending
  on or after the anchor (anchor 1 April 2009 or 30 March 2009: "end of Q2" is 30 September
  2009; anchor 15 November 2017: "end of Q3" is 31 December 2017, "end of Q2" 30 September
  2018).

Without an anchor, relative timescales are not understood.
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
RELATIVE = "relative"  # relative to the plan's anchor date: "6 months – 3 years", "end of Q2"
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
def _ongoing(m, anchor):
    return ONGOING, None, None


@_rule(rf"(?:on-?going|on going) from ({_MONTH}) ({_YEAR})")
def _ongoing_from(m, anchor):
    return ONGOING, month_start(int(m[2]), _m(m[1])), None


@_rule(rf"(?:from )?({_MONTH}) ({_YEAR}) (?:onwards|and ongoing|on-?going)")
def _onwards(m, anchor):
    return ONGOING, month_start(int(m[2]), _m(m[1])), None


@_rule(rf"(?:by |end of |end |by end of |by the end of )?({_MONTH}) ({_YEAR})")
def _month_year(m, anchor):
    y, mo = int(m[2]), _m(m[1])
    return DATED, None, month_end(y, mo)


@_rule(rf"({_MONTH}) ?(?:/|or|and|-) ?({_MONTH}) ({_YEAR})")
def _two_months(m, anchor):
    y, m1, m2 = int(m[3]), _m(m[1]), _m(m[2])
    y1 = y - 1 if m1 > m2 else y
    if m2 == m1 + 1 or (m1 == 12 and m2 == 1):
        return DATED, month_start(y1, m1), month_end(y, m2)
    return RANGE, month_start(y1, m1), month_end(y, m2)


@_rule(rf"({_MONTH}) ({_YEAR}) ?(?:-|to|until) ?({_MONTH}) ({_YEAR})")
def _range(m, anchor):
    return RANGE, month_start(int(m[2]), _m(m[1])), month_end(int(m[4]), _m(m[3]))


@_rule(
    rf"(?:first draft )?(?:end )?({_MONTH}) ({_YEAR}),? (?:final draft )(?:end )?({_MONTH}) ({_YEAR})"
)
def _drafts(m, anchor):
    return DATED, None, month_end(int(m[4]), _m(m[3]))


@_rule(rf"(?:by |end of )?({_YEAR})")
def _year(m, anchor):
    return DATED, None, date(int(m[1]), 12, 31)


def fy_start(year: int) -> date:
    """1 April of ``year``: the first day of the NHS financial year ``year``/``year + 1``."""
    return date(year, 4, 1)


def fy_end(year: int) -> date:
    """31 March of ``year + 1``: the last day of the financial year starting in ``year``."""
    return date(year + 1, 3, 31)


def financial_year_of(day: date) -> int:
    """The first calendar year of the financial year ``day`` falls in (1 April – 31 March)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_bounds(fy: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1–4 of the financial year starting in April ``fy``."""
    month = 4 + 3 * (quarter - 1)
    year = fy + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return month_start(year, month), month_end(year, month + 2)


def _years(first: str, last: str) -> tuple[int, int] | None:
    """``2017``, ``18`` → (2017, 2018); None when the second year is not after the first."""
    y1 = int(first)
    if len(last) == 4:
        y2 = int(last)
    else:
        y2 = y1 // 100 * 100 + int(last)
        if y2 <= y1 and y2 + 100 - y1 <= 10:  # across a century: 1999/00
            y2 += 100
    return (y1, y2) if y2 > y1 else None


_FY_PREFIX = r"(?:fy ?|financial year |the financial year )?"
_FYEARS = rf"{_FY_PREFIX}({_YEAR}) ?(?:to|-|/) ?({_YEAR}|\d\d)"  # 2017/18, 2016-2018
_ONE_FY = rf"{_FY_PREFIX}({_YEAR}) ?(?:/|-|to) ?({_YEAR}|\d\d)"
_BY = r"(?:by |end of |by end of |by the end of |the end of |before the end of |before end of )"
_Q = r"(?:q|quarter )([1-4])"


def _single_fy(first: str, last: str) -> int | None:
    years = _years(first, last)
    return years[0] if years and years[1] == years[0] + 1 else None


@_rule(_FYEARS)
def _financial_years(m, anchor):
    years = _years(m[1], m[2])
    if years is None:
        return None
    return RANGE, fy_start(years[0]), fy_end(years[1] - 1)


@_rule(rf"{_BY}{_FYEARS}")
def _by_financial_year(m, anchor):
    years = _years(m[1], m[2])
    if years is None:
        return None
    return DATED, None, fy_end(years[1] - 1)


@_rule(rf"{_Q}(?: of)?,? {_ONE_FY}")
def _quarter(m, anchor):
    fy = _single_fy(m[2], m[3])
    if fy is None:
        return None
    return DATED, *quarter_bounds(fy, int(m[1]))


@_rule(rf"{_ONE_FY},? {_Q}")
def _fy_quarter(m, anchor):
    fy = _single_fy(m[1], m[2])
    if fy is None:
        return None
    return DATED, *quarter_bounds(fy, int(m[3]))


@_rule(rf"{_BY}{_Q}(?: of)?,? {_ONE_FY}")
def _by_quarter(m, anchor):
    fy = _single_fy(m[2], m[3])
    if fy is None:
        return None
    return DATED, None, quarter_bounds(fy, int(m[1]))[1]


@_rule(rf"{_Q} ?(?:-|to) ?{_Q},? {_ONE_FY}")
def _quarters(m, anchor):
    fy = _single_fy(m[3], m[4])
    if fy is None or int(m[2]) <= int(m[1]):
        return None
    return RANGE, quarter_bounds(fy, int(m[1]))[0], quarter_bounds(fy, int(m[2]))[1]


@_rule(rf"{_Q}(?: of)?,? {_ONE_FY} ?(?:-|to) ?{_Q}(?: of)?,? {_ONE_FY}")
def _quarter_range(m, anchor):
    fy1, fy2 = _single_fy(m[2], m[3]), _single_fy(m[5], m[6])
    if fy1 is None or fy2 is None:
        return None
    return RANGE, quarter_bounds(fy1, int(m[1]))[0], quarter_bounds(fy2, int(m[4]))[1]


def current_quarter(anchor: date, quarter: int) -> tuple[date, date]:
    """Quarter 1–4 of the plan's current financial year: the financial year ``anchor`` falls
    in, or the next one when that quarter ended before ``anchor`` (the first such quarter
    ending on or after the anchor)."""
    fy = financial_year_of(anchor)
    bounds = quarter_bounds(fy, quarter)
    return bounds if bounds[1] >= anchor else quarter_bounds(fy + 1, quarter)


@_rule(rf"{_BY}{_Q}")
def _by_quarter_no_year(m, anchor):
    if anchor is None:
        return None
    return RELATIVE, None, current_quarter(anchor, int(m[1]))[1]


@_rule(rf"(?:in |during )?{_Q}")
def _quarter_no_year(m, anchor):
    if anchor is None:
        return None
    return RELATIVE, *current_quarter(anchor, int(m[1]))


_UNIT = {
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}


@_rule(r"(\d+) (weeks?|months?|years?) ?(?:-|to) ?(\d+) (weeks?|months?|years?)")
def _relative_range(m, anchor):
    if anchor is None:
        return None
    start = anchor + relativedelta(**{_UNIT[m[2]]: int(m[1])})
    due = anchor + relativedelta(**{_UNIT[m[4]]: int(m[3])}) - relativedelta(days=1)
    return RELATIVE, start, due


@_rule(r"(\d+) ?(?:-|to) ?(\d+) (weeks?|months?|years?)")
def _relative_same_unit(m, anchor):
    if anchor is None or int(m[1]) >= int(m[2]):
        return None
    unit = _UNIT[m[3]]
    start = anchor + relativedelta(**{unit: int(m[1])})
    return RELATIVE, start, anchor + relativedelta(**{unit: int(m[2])}) - relativedelta(days=1)


@_rule(r"(?:within )?(\d+) (weeks?|months?|years?)")
def _relative(m, anchor):
    if anchor is None:
        return None
    return (
        RELATIVE,
        None,
        anchor + relativedelta(**{_UNIT[m[2]]: int(m[1])}) - relativedelta(days=1),
    )


def parse_timescale(text: str | None, anchor: date | None = None) -> Timescale:
    """Derive kind, start and due date from a timescale as written.

    ``anchor`` is the plan's own date (its approval or refresh date, else the plan start): it
    anchors relative timescales ("6 months – 3 years") and quarters without a year ("end of
    Q2"); see the module's conventions. Dates are month or quarter ends for due dates and
    month starts for start dates, except relative durations, which count in whole days.
    """
    raw = "" if text is None else str(text)
    norm = _norm(raw)
    if not norm:
        return Timescale(raw, UNSPECIFIED)
    for pattern, fn in _RULES:
        m = pattern.match(norm)
        if m:
            result = fn(m, anchor)
            if result is not None:
                kind, start, due = result
                if start is not None and due is not None and due < start:
                    break
                return Timescale(raw, kind, start, due)
    return Timescale(raw, UNPARSED, error=f"timescale not understood (found {raw!r})")
