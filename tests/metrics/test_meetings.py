"""Meeting calendars (odreport.metrics.meetings) and the demonstration calendars."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pandas as pd
import pytest

from odreport.inputs.tables import Inputs, read_inputs
from odreport.metrics import meetings
from support import ORGS, REPO

D = dt.date


def _inputs(rows: list[tuple], cadence: str = "monthly") -> Inputs:
    frame = pd.DataFrame(rows, columns=["date", "body", "papers_due", "lead_days"])
    frame["source"] = "Illustrative (test)"
    for col in ("date", "papers_due"):
        frame[col] = pd.to_datetime(frame[col])
    return Inputs(org="x", tables={"meetings": frame})


CALENDAR = meetings.meetings(
    _inputs(
        [
            ("2016-03-09", "Governing Body", "2016-03-01", None),  # papers due stated (Tuesday)
            # lead time 10 days: Sunday 3 January 2016; Saturday 2nd; Friday 1st is New Year's
            # Day: the deadline is Thursday 31 December 2015.
            ("2016-01-13", "Governing Body", None, 10),
            ("2016-05-11", "Governing Body", None, None),  # default 7 days: Wednesday 4 May
        ]
    )
)


def test_papers_deadline_is_stated_or_derived_and_the_calendar_is_sorted():
    assert [m.date for m in CALENDAR] == [D(2016, 1, 13), D(2016, 3, 9), D(2016, 5, 11)]
    assert [m.papers_due for m in CALENDAR] == [D(2016, 1, 3), D(2016, 3, 1), None]
    assert [m.deadline for m in CALENDAR] == [D(2015, 12, 31), D(2016, 3, 1), D(2016, 5, 4)]
    assert CALENDAR[2].as_dict() == {
        "date": "2016-05-11",
        "body": "Governing Body",
        "papers_due": None,
        "papers_due_as_written": None,
        "deadline": "2016-05-04",
        "deadline_moved": False,
        "illustrative": True,
    }
    first = CALENDAR[0].as_dict()
    assert (first["papers_due"], first["papers_due_as_written"], first["deadline_moved"]) == (
        "2015-12-31",
        "2016-01-03",
        True,
    )
    assert CALENDAR[0].describe() == "Governing Body on 2016-01-13 (papers due 2015-12-31)"


@pytest.mark.parametrize(
    ("nominal", "deadline"),
    [
        (D(2016, 7, 3), D(2016, 7, 1)),  # Sunday -> Friday (Rotherham's July 2016 papers)
        (D(2016, 7, 2), D(2016, 7, 1)),  # Saturday -> Friday
        (D(2016, 1, 3), D(2015, 12, 31)),  # Sunday, then New Year's Day -> Thursday
        (D(2016, 3, 28), D(2016, 3, 24)),  # Easter Monday, then Good Friday -> Thursday
        (D(2016, 8, 29), D(2016, 8, 26)),  # late summer bank holiday -> Friday
        (D(2012, 6, 5), D(2012, 6, 1)),  # Diamond Jubilee and spring holiday -> Friday
        (D(2016, 12, 27), D(2016, 12, 23)),  # Christmas substitute days -> Friday 23rd
        (D(2016, 7, 6), D(2016, 7, 6)),  # a Wednesday stays
    ],
)
def test_deadlines_on_weekends_and_bank_holidays_move_to_the_previous_working_day(
    nominal, deadline
):
    meeting = meetings.Meeting(nominal + dt.timedelta(days=10), "Governing Body", nominal)
    assert meeting.deadline == deadline
    assert meetings.working_day_on_or_before(nominal) == deadline


@pytest.mark.parametrize(
    ("today", "window", "expected"),
    [
        (D(2015, 12, 17), 14, D(2016, 1, 13)),  # papers due 31 December: in exactly 14 days
        (D(2015, 12, 16), 14, None),  # 15 days ahead: not yet
        (D(2015, 12, 31), 14, D(2016, 1, 13)),  # the deadline itself
        (D(2016, 1, 10), 14, D(2016, 1, 13)),  # papers late, meeting still to come: due
        (D(2016, 1, 13), 14, D(2016, 1, 13)),  # the meeting day itself
        (D(2016, 1, 14), 14, None),  # after the meeting, next deadline 2016-03-01 is 47 days off
        (D(2016, 1, 14), 47, D(2016, 3, 9)),  # a wider window reaches it
        (D(2016, 4, 20), 14, D(2016, 5, 11)),  # default lead time: due 2016-05-04
        (D(2016, 5, 12), 14, None),  # no meeting left
    ],
)
def test_due_within_the_window_until_the_meeting(today, window, expected):
    found = meetings.due(CALENDAR, today, window)
    assert (found.date if found else None) == expected


def test_latest_period_for_a_meeting_is_as_at_its_deadline_or_before():
    periods = ["2015-11", "2015-12", "2016-01", "2016-02", "2016-04"]
    jan, mar, may = CALENDAR
    # deadline 31 December 2015: December's data (as at the 31st) just counts
    assert meetings.latest_period_for(jan, periods) == "2015-12"
    # deadline 1 March 2016: February's data (as at 29 February), never March's
    assert meetings.latest_period_for(mar, periods) == "2016-02"
    assert meetings.latest_period_for(may, periods) == "2016-04"
    assert meetings.latest_period_for(jan, ["2016-01"]) is None
    assert meetings.latest_period_by(periods, D(2016, 1, 31)) == "2016-01"
    assert meetings.latest_period_by(periods, D(2016, 3, 1)) == "2016-02"
    assert meetings.latest_period_by(periods, D(2015, 10, 31)) is None


def test_a_period_is_labelled_for_one_meeting():
    periods = ["2015-11", "2015-12", "2016-01", "2016-02", "2016-04"]
    label = {p: meetings.for_period(CALENDAR, p, periods) for p in periods}
    assert label["2015-12"].date == D(2016, 1, 13)
    # November's data were superseded by December's before the January papers were due
    assert label["2015-11"] is None
    # January's data (as at the 31st) missed the January deadline: for March, but superseded
    # by February's
    assert label["2016-01"] is None
    assert label["2016-02"].date == D(2016, 3, 9)
    assert label["2016-04"].date == D(2016, 5, 11)
    assert meetings.for_period(CALENDAR, "2016-05", [*periods, "2016-05"]) is None  # none left
    assert meetings.for_data(CALENDAR, D(2015, 12, 31)).date == D(2016, 1, 13)
    assert meetings.for_data(CALENDAR, D(2016, 1, 1)).date == D(2016, 3, 9)


def test_next_after_find_and_previous_paper():
    assert meetings.next_after(CALENDAR, D(2016, 1, 31)).date == D(2016, 3, 9)
    assert meetings.next_after(CALENDAR, D(2016, 5, 11)) is None
    assert meetings.find(CALENDAR, "2016-03-09") is CALENDAR[1]
    assert meetings.find(CALENDAR, "2016-03-10") is None
    assert meetings.previous_paper(CALENDAR, CALENDAR[2]) is CALENDAR[1]
    assert meetings.previous_paper(CALENDAR, CALENDAR[0]) is None
    other = meetings.Meeting(D(2016, 4, 6), "Quality Committee", None)
    assert meetings.previous_paper([*CALENDAR, other], other) is None  # another body


@pytest.mark.parametrize(
    ("meeting", "as_at", "cadence", "stale", "months"),
    [
        # monthly: two cycles = 2 months; 31 August data for a meeting on 9 October is fine
        (D(2012, 10, 9), D(2012, 8, 31), "monthly", False, 1),
        # ... on 31 October it is exactly two months: not more, so not stale
        (D(2012, 10, 31), D(2012, 8, 31), "monthly", False, 2),
        (D(2012, 11, 1), D(2012, 8, 31), "monthly", True, 2),
        # a calendar gap: August data for a meeting eight months later
        (D(2013, 4, 10), D(2012, 8, 31), "monthly", True, 7),
        # 6-monthly: 31 December data for a July meeting is within 12 months
        (D(2016, 7, 13), D(2015, 12, 31), "6-monthly", False, 6),
        (D(2016, 7, 13), D(2015, 12, 31), None, False, 6),  # cadence unknown: never stale
    ],
)
def test_staleness_is_two_reporting_cycles(meeting, as_at, cadence, stale, months):
    result = meetings.staleness(meetings.Meeting(meeting, "Governing Body", None), as_at, cadence)
    assert (result.stale, result.months) == (stale, months)
    assert bool(result.message) == stale


def test_stale_message():
    result = meetings.staleness(
        meetings.Meeting(D(2013, 4, 10), "Governing Body", None), D(2012, 8, 31), "monthly"
    )
    assert result.message == (
        "The data are as at 31 August 2012, 7 months before the meeting: more than two "
        "monthly reporting cycles (2 months)."
    )


def test_no_calendar_means_no_meetings():
    assert meetings.meetings(Inputs(org="x")) == []


@pytest.mark.parametrize("org", ORGS)
def test_every_demonstration_organisation_has_a_calendar_inside_its_periods(repo_project, org):
    inputs = read_inputs(repo_project.raw_dir(org), repo_project.expectations)
    calendar = meetings.meetings(inputs)
    assert len(calendar) >= 2
    progress = inputs.tables["progress"]["period"]
    first, last = progress.min(), progress.max()
    assert all(m.date.strftime("%Y-%m") > first for m in calendar)
    assert calendar[-1].date.strftime("%Y-%m") > last  # the last period is reported too
    assert all(m.deadline < m.date for m in calendar)
    assert inputs.tables["meetings"]["source"].str.startswith("Illustrative").all()


def test_committed_calendars_are_what_the_script_generates(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "generate_demo_data", REPO / "scripts" / "generate_demo_data.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for org in ORGS:
        (tmp_path / org).mkdir()
        script.write_meetings(tmp_path / org, org)
        committed = (REPO / "data" / "raw" / org / "meetings.csv").read_bytes()
        assert (tmp_path / org / "meetings.csv").read_bytes() == committed, org
