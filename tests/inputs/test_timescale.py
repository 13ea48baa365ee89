"""The timescale parser, on every distinct timescale string of the five source plans."""

from __future__ import annotations

from datetime import date

import pytest

from odreport.inputs.timescale import (
    DATED,
    ONGOING,
    RANGE,
    RELATIVE,
    UNPARSED,
    UNSPECIFIED,
    current_quarter,
    financial_year_of,
    parse_timescale,
    quarter_bounds,
)

D = date
PLAN_START = D(2008, 4, 1)

CASES = [
    # Every distinct timescale in the five plans (data/raw/*/actions.csv), with the meaning
    # worked out by hand. Relative timescales are anchored on PLAN_START (1 April 2008).
    # text, kind, start, due
    ("", UNSPECIFIED, None, None),
    ("1 – 3 years", RELATIVE, D(2009, 4, 1), D(2011, 3, 31)),
    ("12 months", RELATIVE, None, D(2009, 3, 31)),
    ("2019 to 2020", RANGE, D(2019, 4, 1), D(2020, 3, 31)),
    ("2019 to 2021", RANGE, D(2019, 4, 1), D(2021, 3, 31)),
    ("3 months", RELATIVE, None, D(2008, 6, 30)),
    ("3 months – 3 years", RELATIVE, D(2008, 7, 1), D(2011, 3, 31)),
    ("6 months", RELATIVE, None, D(2008, 9, 30)),
    ("6 months to 2 years", RELATIVE, D(2008, 10, 1), D(2010, 3, 31)),
    ("6 months – 3 years", RELATIVE, D(2008, 10, 1), D(2011, 3, 31)),
    ("9 months", RELATIVE, None, D(2008, 12, 31)),
    ("April 2016", DATED, None, D(2016, 4, 30)),
    ("April 2019", DATED, None, D(2019, 4, 30)),
    ("April 2019 – April 2020", RANGE, D(2019, 4, 1), D(2020, 4, 30)),
    ("April 2019 – January 2020", RANGE, D(2019, 4, 1), D(2020, 1, 31)),
    ("April 2019 – July 2019", RANGE, D(2019, 4, 1), D(2019, 7, 31)),
    ("April 2019 – June 2019", RANGE, D(2019, 4, 1), D(2019, 6, 30)),
    ("April 2019 – October 2019", RANGE, D(2019, 4, 1), D(2019, 10, 31)),
    ("April/May 2016", DATED, D(2016, 4, 1), D(2016, 5, 31)),
    ("Dec 2012", DATED, None, D(2012, 12, 31)),
    ("Dec 2013", DATED, None, D(2013, 12, 31)),
    ("December 2012", DATED, None, D(2012, 12, 31)),
    ("February 2016", DATED, None, D(2016, 2, 29)),
    ("First draft end May 2012 Final draft end October 2012", DATED, None, D(2012, 10, 31)),
    ("January 2016", DATED, None, D(2016, 1, 31)),
    ("January 2016 onwards", ONGOING, D(2016, 1, 1), None),
    ("July 2012", DATED, None, D(2012, 7, 31)),
    ("July 2014", DATED, None, D(2014, 7, 31)),
    ("June 2012", DATED, None, D(2012, 6, 30)),
    ("June 2014 – March 2015", RANGE, D(2014, 6, 1), D(2015, 3, 31)),
    ("June 2016", DATED, None, D(2016, 6, 30)),
    ("Mar 2013", DATED, None, D(2013, 3, 31)),
    ("March 2016", DATED, None, D(2016, 3, 31)),
    ("March 2016 onwards", ONGOING, D(2016, 3, 1), None),
    ("May 2016", DATED, None, D(2016, 5, 31)),
    ("May 2019 – July 2019", RANGE, D(2019, 5, 1), D(2019, 7, 31)),
    ("May/June 2016", DATED, D(2016, 5, 1), D(2016, 6, 30)),
    ("Nov 2012", DATED, None, D(2012, 11, 30)),
    ("Oct 2012", DATED, None, D(2012, 10, 31)),
    ("October 2012", DATED, None, D(2012, 10, 31)),
    ("On-going", ONGOING, None, None),
    ("Ongoing", ONGOING, None, None),
    ("Ongoing from June 2014", ONGOING, D(2014, 6, 1), None),
    ("Ongoing from October 2014", ONGOING, D(2014, 10, 1), None),
    ("Ongoing from September 2014", ONGOING, D(2014, 9, 1), None),
    (
        "Ongoing from September 2014 (aligned to outputs from diagnostics)",
        ONGOING,
        D(2014, 9, 1),
        None,
    ),
    ("Sept 2012", DATED, None, D(2012, 9, 30)),
    ("September 2014", DATED, None, D(2014, 9, 30)),
    ("September – December 2014", RANGE, D(2014, 9, 1), D(2014, 12, 31)),
    ("ongoing", ONGOING, None, None),
]


@pytest.mark.parametrize(
    ("text", "kind", "start", "due"), CASES, ids=[c[0] or "blank" for c in CASES]
)
def test_documented_timescales(text, kind, start, due):
    ts = parse_timescale(text, PLAN_START)
    assert (ts.kind, ts.start, ts.due) == (kind, start, due)
    assert ts.text == text


# The timescales of the five demonstration plans as transcribed (data/raw/<org>/actions.csv):
# the test's own list, so an organisation added with `make new-org` changes no test.
DEMONSTRATION_TIMESCALES = (
    "",
    "1 – 3 years",
    "12 months",
    "2019 to 2020",
    "2019 to 2021",
    "3 months",
    "3 months – 3 years",
    "6 months",
    "6 months to 2 years",
    "6 months – 3 years",
    "9 months",
    "April 2016",
    "April 2019",
    "April 2019 – April 2020",
    "April 2019 – January 2020",
    "April 2019 – July 2019",
    "April 2019 – June 2019",
    "April 2019 – October 2019",
    "April/May 2016",
    "Dec 2012",
    "Dec 2013",
    "December 2012",
    "February 2016",
    "First draft end May 2012 Final draft end October 2012",
    "January 2016",
    "January 2016 onwards",
    "July 2012",
    "July 2014",
    "June 2012",
    "June 2014 – March 2015",
    "June 2016",
    "Mar 2013",
    "March 2016",
    "March 2016 onwards",
    "May 2016",
    "May 2019 – July 2019",
    "May/June 2016",
    "Nov 2012",
    "Oct 2012",
    "October 2012",
    "On-going",
    "Ongoing",
    "Ongoing from June 2014",
    "Ongoing from October 2014",
    "Ongoing from September 2014",
    "Ongoing from September 2014 (aligned to outputs from diagnostics)",
    "Sept 2012",
    "September 2014",
    "September – December 2014",
    "ongoing",
)


def test_every_timescale_of_the_demonstration_plans_has_a_hand_worked_case():
    missing = sorted(set(DEMONSTRATION_TIMESCALES) - {c[0] for c in CASES})
    assert not missing, f"add a test case for: {missing}"
    assert all(
        parse_timescale(text, PLAN_START).kind != UNPARSED for text in DEMONSTRATION_TIMESCALES
    )


def test_the_demonstration_plans_use_only_the_listed_timescales():
    """The five demonstration organisations, named: a new form in their data needs a case
    above (organisations added later are not read)."""
    import csv

    from support import ORGS, REPO

    texts = set()
    for org in ORGS:  # the five named: an organisation added later brings its own timescales
        with (REPO / "data" / "raw" / org / "actions.csv").open(encoding="utf-8", newline="") as fh:
            texts |= {row["timescale"] for row in csv.DictReader(fh)}
    assert texts == set(DEMONSTRATION_TIMESCALES)


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


# NHS financial years (1 April – 31 March) and their quarters, worked out by hand.
# Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.
NHS_FORMS = [
    # text, kind, start, due
    ("Q3 2017/18", DATED, D(2017, 10, 1), D(2017, 12, 31)),
    ("Q1 2017/18", DATED, D(2017, 4, 1), D(2017, 6, 30)),
    ("Q2 2017/18", DATED, D(2017, 7, 1), D(2017, 9, 30)),
    ("Q4 2017/18", DATED, D(2018, 1, 1), D(2018, 3, 31)),  # Q4 falls in the next calendar year
    ("Q3 2017-18", DATED, D(2017, 10, 1), D(2017, 12, 31)),
    ("Q3 2017/2018", DATED, D(2017, 10, 1), D(2017, 12, 31)),
    ("Quarter 2 2017/18", DATED, D(2017, 7, 1), D(2017, 9, 30)),
    ("Q2 of 2017/18", DATED, D(2017, 7, 1), D(2017, 9, 30)),
    ("FY 2017/18 Q3", DATED, D(2017, 10, 1), D(2017, 12, 31)),
    ("end of Q3 2017/18", DATED, None, D(2017, 12, 31)),
    ("by Q4 2017/18", DATED, None, D(2018, 3, 31)),
    ("Q1 – Q2 2017/18", RANGE, D(2017, 4, 1), D(2017, 9, 30)),
    ("Q3 2017/18 – Q1 2018/19", RANGE, D(2017, 10, 1), D(2018, 6, 30)),
    ("2017/18", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("2017-18", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("2017 to 2018", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("FY 2017/18", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("FY2017/18", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("financial year 2017/18", RANGE, D(2017, 4, 1), D(2018, 3, 31)),
    ("1999/00", RANGE, D(1999, 4, 1), D(2000, 3, 31)),  # across a century
    ("end of 2017/18", DATED, None, D(2018, 3, 31)),
    ("by end of 2017/18", DATED, None, D(2018, 3, 31)),
    # spans of years name the financial years they run through
    ("2016-2018", RANGE, D(2016, 4, 1), D(2018, 3, 31)),
    ("2016 to 2018", RANGE, D(2016, 4, 1), D(2018, 3, 31)),
]


@pytest.mark.parametrize(("text", "kind", "start", "due"), NHS_FORMS, ids=[c[0] for c in NHS_FORMS])
def test_financial_years_and_quarters(text, kind, start, due):
    for anchor in (None, PLAN_START):  # none of these depends on the plan's date
        ts = parse_timescale(text, anchor)
        assert (ts.kind, ts.start, ts.due) == (kind, start, due)


REFRESHED = D(2009, 3, 30)  # South Staffordshire's plan: Refresh Version One (30/03/09)

ANCHORED = [
    # text, anchor, kind, start, due
    # "within N months" runs N months from the anchor day: due the day before.
    ("6 months", REFRESHED, RELATIVE, None, D(2009, 9, 29)),
    ("within 3 months", REFRESHED, RELATIVE, None, D(2009, 6, 29)),
    ("within 3 months", PLAN_START, RELATIVE, None, D(2008, 6, 30)),
    ("12 months", REFRESHED, RELATIVE, None, D(2010, 3, 29)),
    ("1 – 2 years", REFRESHED, RELATIVE, D(2010, 3, 30), D(2011, 3, 29)),
    ("1 – 2 years", PLAN_START, RELATIVE, D(2009, 4, 1), D(2010, 3, 31)),
    ("3 months – 3 years", REFRESHED, RELATIVE, D(2009, 6, 30), D(2012, 3, 29)),
    # a quarter without a year: the first such quarter ending on or after the anchor
    ("end of Q2", D(2009, 4, 1), RELATIVE, None, D(2009, 9, 30)),  # FY 2009/10
    ("end of Q2", REFRESHED, RELATIVE, None, D(2009, 9, 30)),  # 2008/09's Q2 ended before
    ("by end of Q2", REFRESHED, RELATIVE, None, D(2009, 9, 30)),
    ("end of Q3", D(2017, 11, 15), RELATIVE, None, D(2017, 12, 31)),  # FY 2017/18
    ("end of Q2", D(2017, 11, 15), RELATIVE, None, D(2018, 9, 30)),  # ended: FY 2018/19
    ("end of Q4", D(2017, 11, 15), RELATIVE, None, D(2018, 3, 31)),
    ("Q2", D(2017, 5, 2), RELATIVE, D(2017, 7, 1), D(2017, 9, 30)),
]


@pytest.mark.parametrize(
    ("text", "anchor", "kind", "start", "due"),
    ANCHORED,
    ids=[f"{c[0]} from {c[1]}" for c in ANCHORED],
)
def test_timescales_counted_from_the_plan_date(text, anchor, kind, start, due):
    ts = parse_timescale(text, anchor)
    assert (ts.kind, ts.start, ts.due) == (kind, start, due)
    assert parse_timescale(text, None).kind == UNPARSED  # never guessed without an anchor


@pytest.mark.parametrize(
    "text", ["Q3 2017", "Q3 2017/19", "2017/16", "Q2 – Q1 2017/18", "end of Q5", "FY 2017"]
)
def test_ambiguous_or_impossible_nhs_forms_are_not_guessed(text):
    # "Q3 2017" could be calendar Q3 (July–September) or Q3 of 2017/18 (October–December).
    assert parse_timescale(text, PLAN_START).kind == UNPARSED


def test_financial_year_helpers():
    assert financial_year_of(D(2018, 3, 31)) == 2017
    assert financial_year_of(D(2018, 4, 1)) == 2018
    assert quarter_bounds(2017, 4) == (D(2018, 1, 1), D(2018, 3, 31))
    assert current_quarter(D(2017, 12, 31), 3) == (D(2017, 10, 1), D(2017, 12, 31))
    assert current_quarter(D(2018, 1, 1), 3) == (D(2018, 10, 1), D(2018, 12, 31))
