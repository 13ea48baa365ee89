"""Scheduling decisions (odreport.publish.schedule) without rendering."""

from __future__ import annotations

import datetime as dt

import pytest

from odreport.publish import schedule
from odreport.publish.scaffold import new_org
from support import make_project

HEADER = "date,body,papers_due,lead_days,source\n"


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    new_org(project, "alpha")  # template: progress 2025-09 and 2025-12
    return project


def _calendar(project, rows: str) -> None:
    (project.raw_dir("alpha") / "meetings.csv").write_text(HEADER + rows, encoding="utf-8")


def test_due_for_the_meeting_with_the_latest_period_on_or_before_today(project):
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 2), 14)
    assert (d.status, d.period, d.meeting.date) == (schedule.DUE, "2025-12", dt.date(2026, 1, 15))
    d = schedule.decide(project, "alpha", dt.date(2025, 11, 30), 14)  # December not yet begun
    assert (d.status, d.period) == (schedule.NOT_DUE, None)
    assert d.message == "next: Governing Body on 2026-01-15 (papers due 2026-01-08)"


def test_an_unreadable_calendar_fails_naming_file_row_and_column(project):
    _calendar(project, "2026-13-01,Governing Body,,,x\n")
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 2), 14)
    assert d.status == schedule.FAILED and d.exit_code == 3
    assert d.message.startswith("meeting calendar: data/raw/alpha/meetings.csv:2:date: ")


def test_papers_due_before_any_progress_is_a_failure(project):
    _calendar(project, "2025-08-28,Governing Body,,7,x\n")
    d = schedule.decide(project, "alpha", dt.date(2025, 8, 20), 14)
    assert d.status == schedule.FAILED and d.exit_code == 1
    assert "no progress data as at the papers deadline or before" in d.message


def test_no_calendar_is_never_due_and_nothing_due_exits_0(project):
    (project.raw_dir("alpha") / "meetings.csv").unlink()
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 2), 14)
    assert (d.status, d.message) == (schedule.NOT_DUE, "no meeting calendar (meetings.csv)")
    lines, code = schedule.run(project, dt.date(2026, 1, 2), progress=False)
    assert code == 0
    assert lines[0] == "alpha: not due (no meeting calendar (meetings.csv))"
    assert lines[-1].startswith("2026-01-02: 1 organisation, 0 due, 0 rendered, 0 failed")
