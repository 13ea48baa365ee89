"""The organisation's profile and whether its plan has ended."""

from __future__ import annotations

from datetime import date

from odreport.metrics import plan


def test_plan_status():
    org = {"plan_end": "2016-03-31"}
    assert plan.plan_status(org, "2016-03") == {
        "ended": True,
        "plan_end": "2016-03-31",
        "message": "The plan period ended on 31 March 2016.",
    }
    assert plan.plan_status(org, "2016-02")["ended"] is False


def test_relative_timescales_count_from_the_plan_date_else_its_start():
    assert plan.plan_anchor({"plan_start": "2015-04-01", "plan_date": None}) == date(2015, 4, 1)
    anchor = plan.plan_anchor({"plan_start": "2015-04-01", "plan_date": "2015-06-30"})
    assert anchor == date(2015, 6, 30)
