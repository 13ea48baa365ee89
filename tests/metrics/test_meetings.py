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


def _inputs(rows: list[tuple]) -> Inputs:
    frame = pd.DataFrame(rows, columns=["date", "body", "papers_due", "lead_days"])
    for col in ("date", "papers_due"):
        frame[col] = pd.to_datetime(frame[col])
    return Inputs(org="x", tables={"meetings": frame})


CALENDAR = meetings.meetings(
    _inputs(
        [
            ("2016-03-09", "Governing Body", "2016-03-01", None),  # papers due stated
            ("2016-01-13", "Governing Body", None, 10),  # lead time: due 2016-01-03
            ("2016-05-11", "Governing Body", None, None),  # default 7 days: due 2016-05-04
        ]
    )
)


def test_papers_deadline_is_stated_or_derived_and_the_calendar_is_sorted():
    assert [m.date for m in CALENDAR] == [D(2016, 1, 13), D(2016, 3, 9), D(2016, 5, 11)]
    assert [m.papers_due for m in CALENDAR] == [D(2016, 1, 3), D(2016, 3, 1), None]
    assert [m.deadline for m in CALENDAR] == [D(2016, 1, 3), D(2016, 3, 1), D(2016, 5, 4)]
    assert CALENDAR[2].as_dict() == {
        "date": "2016-05-11",
        "body": "Governing Body",
        "papers_due": None,
    }
    assert CALENDAR[0].describe() == "Governing Body on 2016-01-13 (papers due 2016-01-03)"


@pytest.mark.parametrize(
    ("today", "window", "expected"),
    [
        (D(2015, 12, 20), 14, D(2016, 1, 13)),  # papers due in exactly 14 days: due
        (D(2015, 12, 19), 14, None),  # 15 days ahead: not yet
        (D(2016, 1, 3), 14, D(2016, 1, 13)),  # the deadline itself
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


def test_next_after_find_and_latest_period():
    assert meetings.next_after(CALENDAR, D(2016, 1, 31)).date == D(2016, 3, 9)
    assert meetings.next_after(CALENDAR, D(2016, 5, 11)) is None
    assert meetings.find(CALENDAR, "2016-03-09") is CALENDAR[1]
    assert meetings.find(CALENDAR, "2016-03-10") is None
    periods = ["2015-11", "2015-12", "2016-02"]
    assert meetings.latest_period_by(periods, D(2016, 1, 31)) == "2015-12"
    assert meetings.latest_period_by(periods, D(2016, 2, 1)) == "2016-02"
    assert meetings.latest_period_by(periods, D(2015, 10, 31)) is None


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
