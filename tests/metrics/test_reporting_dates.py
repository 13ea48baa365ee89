"""Reporting periods and dates: last days, labels, dates as written, target dates."""

from __future__ import annotations

from datetime import date

from odreport.metrics import reporting_dates


def test_year_or_month_end():
    assert reporting_dates.year_or_month_end("2010") == date(2010, 12, 31)
    assert reporting_dates.year_or_month_end("2010-02") == date(2010, 2, 28)
    assert reporting_dates.year_or_month_end("2010-13") is None
    assert reporting_dates.year_or_month_end("Q3 2010") is None
    assert reporting_dates.year_or_month_end(None) is None


def test_a_period_ends_on_its_last_day_and_is_written_as_people_write_it():
    assert reporting_dates.period_end("2016-02") == date(2016, 2, 29)
    assert reporting_dates.period_end("2015-12") == date(2015, 12, 31)
    assert reporting_dates.period_label("2016-03") == "March 2016"
    assert reporting_dates.period_short("2016-03") == "Mar 2016"
    assert reporting_dates.fmt_date(date(2016, 3, 1)) == "1 March 2016"
    assert reporting_dates.fmt_date(None) == ""
