"""The timescale parser, on every distinct timescale string of the five source plans."""

from __future__ import annotations

from datetime import date

import pytest

from odreport.timescale import (
    DATED,
    ONGOING,
    RANGE,
    RELATIVE,
    UNPARSED,
    UNSPECIFIED,
    parse_timescale,
)

D = date
PLAN_START = D(2008, 4, 1)

CASES = [
    # text, kind, start, due
    ("February 2016", DATED, None, D(2016, 2, 29)),
    ("April/May 2016", DATED, D(2016, 4, 1), D(2016, 5, 31)),
    ("March 2016 onwards", ONGOING, D(2016, 3, 1), None),
    ("Ongoing from September 2014", ONGOING, D(2014, 9, 1), None),
    ("September – December 2014", RANGE, D(2014, 9, 1), D(2014, 12, 31)),
    ("June 2014 – March 2015", RANGE, D(2014, 6, 1), D(2015, 3, 31)),
    ("First draft end May 2012 Final draft end October 2012", DATED, None, D(2012, 10, 31)),
    ("6 months – 3 years", RELATIVE, D(2008, 10, 1), D(2011, 3, 31)),
    ("On-going", ONGOING, None, None),
    ("ongoing", ONGOING, None, None),
    ("Mar 2013", DATED, None, D(2013, 3, 31)),
    ("2019 to 2020", RANGE, D(2019, 4, 1), D(2020, 3, 31)),
    ("", UNSPECIFIED, None, None),
]


@pytest.mark.parametrize(
    ("text", "kind", "start", "due"), CASES, ids=[c[0] or "blank" for c in CASES]
)
def test_documented_timescales(text, kind, start, due):
    ts = parse_timescale(text, PLAN_START)
    assert (ts.kind, ts.start, ts.due) == (kind, start, due)
    assert ts.text == text


@pytest.mark.parametrize("text", ["Soon", "Q5 2016", "when funding allows", "31/02/2016"])
def test_unparseable_timescales_are_reported_not_guessed(text):
    ts = parse_timescale(text, PLAN_START)
    assert ts.kind == UNPARSED
    assert ts.due is None and ts.start is None
    assert repr(text) in ts.error


def test_relative_timescale_needs_a_plan_start():
    assert parse_timescale("6 months – 3 years", None).kind == UNPARSED


def test_range_running_backwards_is_not_accepted():
    assert parse_timescale("June 2015 – March 2014", PLAN_START).kind == UNPARSED


def test_two_months_across_a_year_end():
    ts = parse_timescale("December/January 2016", PLAN_START)
    assert (ts.start, ts.due) == (D(2015, 12, 1), D(2016, 1, 31))
