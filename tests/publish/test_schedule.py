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
    assert "no progress data as at the papers deadline or before (up to August 2025)" in d.message


def test_no_calendar_is_never_due_and_nothing_due_exits_0(project):
    (project.raw_dir("alpha") / "meetings.csv").unlink()
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 2), 14)
    assert (d.status, d.message) == (schedule.NOT_DUE, "no meeting calendar (meetings.csv)")
    lines, code = schedule.run(project, dt.date(2026, 1, 2), progress=False)
    assert code == 0
    assert lines[0] == "alpha: not due (no meeting calendar (meetings.csv))"
    assert lines[-1].startswith("2026-01-02: 1 organisation, 0 due, 0 rendered, 0 failed")


# A calendar with a weekend deadline, a bank-holiday deadline, a gap of eight months and a
# meeting early in a month, over monthly progress from September 2025 to May 2026.
GAPPY = (
    # papers due Saturday 1 November 2025: Friday 31 October
    "2025-11-05,Governing Body,2025-11-01,,x\n"
    # papers 7 days before: Thursday 8 January 2026, a meeting in the month it is prepared in
    "2026-01-15,Governing Body,,7,x\n"
    # papers due Easter Monday 6 April 2026; Good Friday 3 April: Thursday 2 April
    "2026-04-09,Governing Body,2026-04-06,,x\n"
    # eight months later; 10 days before is Sunday 29 November: Friday 27 November
    "2026-12-09,Governing Body,,10,x\n"
)


def _monthly_progress(project) -> None:
    path = project.raw_dir("alpha") / "progress.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    december = [line for line in lines if line.startswith("2025-12,")]
    extra = [
        line.replace("2025-12,", f"{month},", 1)
        for month in ("2025-10", "2025-11", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05")
        for line in december
    ]
    path.write_text("".join(lines + extra), encoding="utf-8")


def test_scheduled_reports_never_claim_data_after_the_papers_deadline(project):
    from odreport.inputs.tables import read_inputs
    from odreport.metrics import derive, meetings

    _monthly_progress(project)
    _calendar(project, GAPPY)
    inputs = read_inputs(project.raw_dir("alpha"), project.expectations)
    seen = {}
    day = dt.date(2025, 10, 1)
    while day <= dt.date(2026, 12, 31):
        d = schedule.decide(project, "alpha", day, 14)
        assert d.status in (schedule.DUE, schedule.NOT_DUE), (day, d.message)
        if d.status == schedule.DUE:
            as_at = meetings.month_end(d.period)
            assert as_at <= d.meeting.deadline, (day, d.period)
            assert d.period <= day.strftime("%Y-%m")
            # the report's own label agrees and never raises
            label = derive.next_meeting(inputs, d.period, d.meeting.date.isoformat())
            assert label["deadline"] == d.meeting.deadline.isoformat()
            seen.setdefault(d.meeting.date.isoformat(), set()).add(d.period)
        day += dt.timedelta(days=1)
    assert seen == {
        # due from 17 October (14 days before 31 October): October's data count (as at the
        # 31st, the deadline itself)
        "2025-11-05": {"2025-10"},
        # December's data, never January's, although January has data and the meeting is on
        # 15 January
        "2026-01-15": {"2025-12"},
        # April's data (as at 30 April) are after the deadline, 2 April
        "2026-04-09": {"2026-03"},
        # the gap: May's data are the latest by 27 November
        "2026-12-09": {"2026-05"},
    }
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 10), 14)  # papers late: still due
    assert (d.period, d.meeting.deadline) == ("2025-12", dt.date(2026, 1, 8))
    stale = derive.next_meeting(inputs, "2026-05", "2026-12-09")["staleness"]
    # quarterly cadence: two cycles are 6 months; 31 May to 9 December is more
    assert (stale["stale"], stale["months"]) == (True, 6)
    fresh = derive.next_meeting(inputs, "2026-03", "2026-04-09")["staleness"]
    assert fresh["stale"] is False


def test_a_period_is_labelled_for_the_same_meeting_scheduled_or_not(project):
    from odreport.inputs.tables import read_inputs
    from odreport.metrics import derive

    _monthly_progress(project)
    _calendar(project, GAPPY)
    inputs = read_inputs(project.raw_dir("alpha"), project.expectations)
    d = schedule.decide(project, "alpha", dt.date(2026, 1, 5), 14)
    assert derive.next_meeting(inputs, d.period)["date"] == d.meeting.date.isoformat()
    # November's data were superseded by December's before the January papers: no meeting
    assert derive.next_meeting(inputs, "2025-11") is None
