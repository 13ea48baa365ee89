"""Many reports at once: every organisation (and optionally every period) in worker processes.

Each report is built by :func:`odreport.publish.pipeline.build` in a worker process, so one
organisation's failure (bad data, a broken notebook, a crash) is recorded and the others go on.
Each worker keeps one kernel for all its reports (:class:`odreport.publish.render.KeptKernel`, reset
before each report), so kernel start-up and imports are paid once per worker, not per report.
Up-to-date reports are not rendered again (:mod:`odreport.publish.manifest`). Kernels talk to their
worker over IPC sockets, not TCP ports, so kernels starting in parallel cannot race for a port,
and a kernel that fails to start is retried (:func:`odreport.publish.render.execute`).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from odreport.errors import DataValidationError, OdReportError, UsageError
from odreport.paths import Project, unknown_organisations

RENDERED, UP_TO_DATE, FAILED = "rendered", "up to date", "failed"


@dataclass(frozen=True)
class Job:
    """One report to build: organisation, period (``None``: latest) and meeting label."""

    org: str
    period: str | None = None
    meeting: str | None = None

    @property
    def name(self) -> str:
        return f"{self.org} {self.period}" if self.period else self.org


@dataclass(frozen=True)
class Outcome:
    """What happened to one job."""

    job: Job
    status: str  # rendered, up to date or failed
    report: str = ""  # path relative to the project root
    message: str = ""
    exit_code: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """``rotherham: rendered reports/rotherham/2016-06/report.html (18.2 s)``."""
        if self.status == FAILED:
            return f"{self.job.name}: failed: {self.message}"
        return f"{self.job.name}: {self.status} {self.report} ({self.seconds:.1f} s)"


def plan_jobs(
    project: Project, orgs: list[str] | None = None, periods: str = "latest"
) -> list[Job]:
    """Jobs for ``orgs`` (default: every organisation): the latest period of each, or with
    ``periods="all"`` every period with progress data."""
    known = project.organisations()
    orgs = orgs or known
    unknown_organisations(project, orgs)
    if periods not in ("latest", "all"):
        raise UsageError(f"periods must be 'latest' or 'all' (found {periods!r})")
    if periods == "latest":
        return [Job(org) for org in orgs]
    from odreport.inputs.tables import read_inputs
    from odreport.metrics.derive import periods as periods_of

    jobs = []
    for org in orgs:
        found = periods_of(read_inputs(project.raw_dir(org), project.expectations))
        jobs += [Job(org, p) for p in found] if found else [Job(org)]
    return jobs


def run_job(root: Path, job: Job, force: bool = False) -> Outcome:
    """Build one job's report; never raises: a failure becomes a failed :class:`Outcome`."""
    from odreport.publish.pipeline import build

    project = Project(Path(root))
    start = time.perf_counter()

    def took() -> float:
        return round(time.perf_counter() - start, 1)

    try:
        built = build(project, job.org, job.period, meeting=job.meeting, force=force)
    except DataValidationError as exc:
        n = len(exc.problems)
        first = exc.problems[0] if exc.problems else ""
        message = f"input data failed validation ({n} problem{'s' if n != 1 else ''}): {first}"
        return Outcome(job, FAILED, message=message, exit_code=exc.exit_code, seconds=took())
    except OdReportError as exc:
        return Outcome(job, FAILED, message=str(exc), exit_code=exc.exit_code, seconds=took())
    except Exception as exc:  # a batch goes on past anything one report does
        message = f"{exc.__class__.__name__}: {exc}"
        return Outcome(job, FAILED, message=message, exit_code=1, seconds=took())
    status = RENDERED if built.rendered else UP_TO_DATE
    report = built.report.relative_to(project.root).as_posix()
    return Outcome(job, status, report=report, seconds=took())


def _start_worker() -> None:
    """Each worker process keeps one kernel for all the reports it renders."""
    from odreport.publish import render

    render.keep_kernels(True)


def run_jobs(
    project: Project, jobs: list[Job], workers: int = 2, force: bool = False, progress: bool = True
) -> list[Outcome]:
    """Run ``jobs`` in ``workers`` processes (in this process when 1); outcomes in job order.

    A progress bar goes to standard error when it is a terminal.
    """
    from tqdm import tqdm

    if workers < 1:
        raise UsageError(f"workers must be at least 1 (found {workers})")
    outcomes: dict[int, Outcome] = {}
    bar = tqdm(
        total=len(jobs),
        unit="report",
        file=sys.stderr,
        disable=None if progress else True,  # None: only on a terminal
        dynamic_ncols=True,
    )
    with bar:
        if workers == 1 or len(jobs) <= 1:
            from odreport.publish import render

            render.keep_kernels(True)
            try:
                for i, job in enumerate(jobs):
                    bar.set_postfix_str(job.name)
                    outcomes[i] = run_job(project.root, job, force)
                    bar.update()
            finally:
                render.keep_kernels(False)
        else:
            context = multiprocessing.get_context("spawn")  # no inherited threads or sockets
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_start_worker
            ) as pool:
                futures = {
                    pool.submit(run_job, project.root, job, force): i for i, job in enumerate(jobs)
                }
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        outcomes[i] = future.result()
                    except Exception as exc:  # the worker process itself died
                        outcomes[i] = Outcome(
                            jobs[i], FAILED, message=f"worker failed: {exc}", exit_code=1
                        )
                    bar.set_postfix_str(jobs[i].name)
                    bar.update()
    if any(o.status == RENDERED for o in outcomes.values()):
        from odreport.publish.catalogue import write_catalogue

        write_catalogue(project)  # once, after every worker has finished
    return [outcomes[i] for i in range(len(jobs))]


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """``5 reports: 3 rendered, 1 up to date, 1 failed in 41.0 s``."""
    counts = {s: sum(o.status == s for o in outcomes) for s in (RENDERED, UP_TO_DATE, FAILED)}
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{len(outcomes)} report{'s' if len(outcomes) != 1 else ''}: {parts} in {seconds:.1f} s"


def exit_code(outcomes: list[Outcome]) -> int:
    """0 when nothing failed; 3 when every failure was invalid input data; else 1."""
    codes = {o.exit_code for o in outcomes if o.status == FAILED}
    if not codes:
        return 0
    return 3 if codes == {3} else 1
