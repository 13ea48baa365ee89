"""Scheduled runs: render what is due before each governing body meeting.

For every organisation, :func:`decide` reads its meeting calendar: when a meeting's papers are
due within the window (default 14 days) and the meeting has not yet been held, the report for
the latest period whose data are as at the papers deadline or before (among the periods up to
today's month) is due, labelled with that meeting (:mod:`odreport.metrics.meetings`: deadlines on weekends
and bank holidays move to the previous working day; data more than two reporting cycles older
than the meeting are flagged stale in the report). :func:`run` builds
the due reports through :mod:`odreport.publish.batch`, so a report already built for that meeting from
the same inputs and code is "up to date" and a second run the same day renders nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from odreport.inputs.problems import CRITICAL
from odreport.metrics import meetings
from odreport.paths import Project
from odreport.publish import batch

DUE, NOT_DUE, FAILED = "due", "not due", "failed"


@dataclass(frozen=True)
class Decision:
    """Whether an organisation's report is due today, and for which meeting and period."""

    org: str
    status: str  # due, not due or failed
    meeting: meetings.Meeting | None = None
    period: str | None = None
    message: str = ""
    exit_code: int = 0  # for a failed decision: 3 unreadable calendar, 1 anything else


def decide(project: Project, org: str, today: dt.date, window_days: int) -> Decision:
    """Is a report due for ``org`` on ``today``? Reads the calendar and periods only; the full
    validation happens when the report is built."""
    from odreport.inputs.tables import read_inputs
    from odreport.metrics.derive import periods

    inputs = read_inputs(project.raw_dir(org), project.expectations)
    where = inputs.display_name("meetings") if "meetings" in inputs.files else None
    broken = [p for p in inputs.problems if p.severity == CRITICAL and p.file == where]
    if broken:
        return Decision(org, FAILED, message=f"meeting calendar: {broken[0].line()}", exit_code=3)
    calendar = meetings.meetings(inputs)
    if not calendar:
        return Decision(org, NOT_DUE, message="no meeting calendar (meetings.csv)")
    meeting = meetings.due(calendar, today, window_days)
    if meeting is None:
        upcoming = [m for m in calendar if m.date >= today]
        if not upcoming:
            return Decision(org, NOT_DUE, message="no meeting after today in the calendar")
        return Decision(org, NOT_DUE, message=f"next: {upcoming[0].describe()}")
    month = today.strftime("%Y-%m")
    available = [p for p in periods(inputs) if p <= month]
    period = meetings.latest_period_for(meeting, available)
    if period is None:
        return Decision(
            org,
            FAILED,
            meeting,
            message=f"papers due for {meeting.describe()} but no progress data as at the "
            f"papers deadline or before (up to {today.strftime('%B %Y')})",
            exit_code=1,
        )
    return Decision(org, DUE, meeting, period)


def run(
    project: Project,
    today: dt.date,
    window_days: int = meetings.DEFAULT_WINDOW_DAYS,
    workers: int = 2,
    force: bool = False,
    progress: bool = True,
    pdf: bool = False,
) -> tuple[list[str], int]:
    """Render every due report (and with ``pdf``, print each to ``report.pdf``); return one
    summary line per organisation and the exit code (non-zero when any organisation failed,
    after trying them all)."""
    start = time.perf_counter()
    decisions = []
    for org in project.organisations():
        try:
            decisions.append(decide(project, org, today, window_days))
        except Exception as exc:  # one unreadable organisation does not stop the others
            message = f"{exc.__class__.__name__}: {exc}"
            decisions.append(Decision(org, FAILED, message=message, exit_code=1))
    due = [d for d in decisions if d.status == DUE]
    jobs = [batch.Job(d.org, d.period, d.meeting.date.isoformat()) for d in due if d.meeting]
    outcomes = {
        o.job.org: o for o in batch.run_jobs(project, jobs, workers, force, progress=progress)
    }
    lines, failed_codes = [], []
    for d in decisions:
        if d.status == DUE:
            o = outcomes[d.org]
            meeting = d.meeting.describe() if d.meeting else ""
            if o.status == batch.FAILED:
                lines.append(f"{d.org}: failed: {o.message}")
                failed_codes.append(o.exit_code)
            else:
                lines.append(f"{d.org}: {o.status} {o.report} for {meeting}")
            lines += [f"warning: {w}" for w in o.warnings]
        elif d.status == FAILED:
            lines.append(f"{d.org}: failed: {d.message}")
            failed_codes.append(d.exit_code)
        else:
            lines.append(f"{d.org}: not due ({d.message})")
    if pdf:
        from odreport.publish.pdf import BrowserNotFound, write_pdfs

        built = [(o.job.org, project.root / o.report) for o in outcomes.values() if o.report]
        try:
            printed = write_pdfs(project, built)
        except BrowserNotFound as exc:  # the reports are built; only their PDFs are missing
            lines.append(f"error: {exc}")
            failed_codes.append(exc.exit_code)
            printed = []
        for p in printed:
            lines.append(p.line())
            if not p.ok:
                failed_codes.append(1)
    rendered = sum(o.status == batch.RENDERED for o in outcomes.values())
    lines.append(
        f"{today.isoformat()}: {len(decisions)} organisation{'s' if len(decisions) != 1 else ''}, "
        f"{len(due)} due, {rendered} "
        f"rendered, {len(failed_codes)} failed in {time.perf_counter() - start:.1f} s"
        + ("" if rendered else "; nothing new to render")
    )
    return lines, batch.rolled_up(failed_codes)
