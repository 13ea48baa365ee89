"""Many reports at once: every organisation (and optionally every period) in worker processes.

Each report is built by :func:`odreport.publish.builder.build` in a worker process, so one
organisation's failure (bad data, a broken notebook, a crash) is recorded and the others go on.
Each worker has one :class:`~odreport.publish.session.Session` for all its reports, which keeps
one kernel (emptied before each report), so kernel start-up and imports are paid once per
worker, not per report. Up-to-date reports are not rendered again
(:mod:`odreport.publish.manifest`). Kernels talk to their worker over IPC sockets, not TCP
ports, so kernels starting in parallel cannot race for a port, and a kernel that fails to start
is started again (:func:`odreport.publish.render.with_retries`). Interrupted (SIGINT, SIGTERM),
the batch stops its workers, which stop their reports and change nothing.

With several workers, the inputs are validated ahead of them, in a thread of the batch's own
process (:class:`Validator`): Great Expectations is imported and run there only, and each
worker's build finds its organisation's result in the validation cache, as a build of inputs
validated before does. Whether a report is up to date is decided in the batch's own process
first: workers are started only for the reports to be rendered (none for an unchanged batch),
and each starts its kernel and loads the pipeline as soon as it starts.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from odreport.errors import DataValidationError, OdReportError, UsageError
from odreport.files import OdReportWarning
from odreport.paths import Project, unknown_organisations
from odreport.publish.interrupts import Interrupted, stop_on_signals
from odreport.publish.session import Session

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
    warnings: tuple[str, ...] = ()  # e.g. a damaged manifest, rebuilt

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


def run_job(root: Path, job: Job, force: bool = False, session: Session | None = None) -> Outcome:
    """Build one job's report (with ``session``, or one of its own); never raises but for an
    interrupt: a failure becomes a failed :class:`Outcome`. Warnings raised meanwhile
    (:class:`odreport.files.OdReportWarning`) are kept in the outcome."""

    project = Project(Path(root))
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OdReportWarning)
        outcome = _outcome(project, job, force, session)
    seen = dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, OdReportWarning))
    seconds = round(time.perf_counter() - start, 1)
    return Outcome(**{**outcome.__dict__, "seconds": seconds, "warnings": tuple(seen)})


def _outcome(project: Project, job: Job, force: bool, session: Session | None) -> Outcome:
    from odreport.publish.builder import build

    try:
        built = build(
            project, job.org, job.period, meeting=job.meeting, force=force, session=session
        )
    except DataValidationError as exc:
        n = len(exc.problems)
        first = exc.problems[0] if exc.problems else ""
        message = f"input data failed validation ({n} problem{'s' if n != 1 else ''}): {first}"
        return Outcome(job, FAILED, message=message, exit_code=exc.exit_code)
    except OdReportError as exc:
        return Outcome(job, FAILED, message=str(exc), exit_code=exc.exit_code)
    except Exception as exc:  # a batch goes on past anything one report does
        return Outcome(job, FAILED, message=f"{exc.__class__.__name__}: {exc}", exit_code=1)
    status = RENDERED if built.rendered else UP_TO_DATE
    return Outcome(job, status, report=built.report.relative_to(project.root).as_posix())


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

    def done(i: int, outcome: Outcome) -> None:
        outcomes[i] = outcome
        bar.set_postfix_str(jobs[i].name)
        bar.update()

    with bar:
        if workers == 1 or len(jobs) <= 1:
            with Session(keep_kernels=True) as session:
                for i, job in enumerate(jobs):
                    done(i, run_job(project.root, job, force, session))
        else:
            todo = list(range(len(jobs))) if force else _still_to_build(project, jobs, done)
            if todo:
                picked = [jobs[i] for i in todo]

                def done_picked(k: int, outcome: Outcome) -> None:
                    done(todo[k], outcome)

                _in_workers(project.root, picked, min(workers, len(picked)), force, done_picked)
    return [outcomes[i] for i in range(len(jobs))]


def _still_to_build(
    project: Project, jobs: list[Job], done: Callable[[int, Outcome], None]
) -> list[int]:
    """The indexes of the jobs whose report is not up to date; the others are done here, as
    their builds would find them (:func:`odreport.publish.manifest.current`): no worker is
    started for a report that need not be rendered. Warnings raised meanwhile (a damaged
    manifest) go with an up-to-date job's outcome, and are raised again by the build of one
    that is not."""
    from odreport.publish import manifest, staging

    staging.sweep(project)  # what killed runs left (a journal completed) comes first
    code: dict = {}
    todo = []
    for i, job in enumerate(jobs):
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OdReportWarning)
            try:
                request = manifest.request(job.org, job.period, meeting=job.meeting)
                fp = manifest.fingerprint(project, job.org, request, code)
                current = manifest.up_to_date(project, job.org, request, fp)
            except (OSError, OdReportError):
                current = None  # the build meets it again and reports it
        if current is None:
            todo.append(i)
            continue
        seen = dict.fromkeys(
            str(w.message) for w in caught if issubclass(w.category, OdReportWarning)
        )
        seconds = round(time.perf_counter() - start, 1)
        report = current.relative_to(project.root).as_posix()
        done(i, Outcome(job, UP_TO_DATE, report=report, seconds=seconds, warnings=tuple(seen)))
    return todo


STOP_WAIT_S = 5.0  # how long an interrupted worker may take to clean up before it is killed


def _worker(root: Path, force: bool, conn) -> None:
    """A worker process: builds the jobs it is sent, one at a time, with one session (one kept
    kernel) for all, until it is sent ``None``. Interrupted, it stops its report (which then
    changes nothing) and exits 128 + the signal number."""
    try:
        with stop_on_signals(), Session(keep_kernels=True) as session:
            # its jobs are to be rendered (the batch sent no report that is up to date): the
            # kernel and the pipeline get ready while the first is validated
            session.kernels.start(root)
            _prepare()
            while (job := conn.recv()) is not None:
                conn.send(run_job(root, job, force, session))
    except Interrupted as exc:
        sys.exit(exc.exit_code)
    except EOFError:  # the batch has gone
        sys.exit(1)


def _prepare() -> None:
    """What a worker's first build would load (the pipeline, pandas, papermill; nbconvert's
    templates), loaded before the first job arrives: its inputs are being validated meanwhile
    (:class:`Validator`)."""
    import importlib

    from odreport.publish import render

    importlib.import_module("odreport.publish.builder")
    render.prepare_exporter()


class _Worker:
    """A worker process, the pipe to it and the index of the job it is building."""

    def __init__(self, context, root: Path, force: bool) -> None:
        self.conn, there = context.Pipe()
        self.process = context.Process(
            target=_worker, args=(root, force, there), name="odreport-worker", daemon=True
        )
        self.process.start()
        there.close()
        self.job: int | None = None

    def terminate(self) -> None:
        """Tell the worker to stop (SIGTERM: it stops its report and cleans up)."""
        if self.process.is_alive():
            self.process.terminate()

    def stop(self, now: bool) -> None:
        """Let the worker finish (``now``: stop it, then kill it if it lingers)."""
        if now:
            self.terminate()
        self.process.join(STOP_WAIT_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _in_workers(
    root: Path,
    jobs: list[Job],
    workers: int,
    force: bool,
    done: Callable[[int, Outcome], None],
) -> None:
    """Build ``jobs`` in ``workers`` processes, calling ``done(i, outcome)`` as each ends. A
    worker that dies fails its job and is replaced; an interrupt stops every worker."""
    context = multiprocessing.get_context("spawn")  # no inherited threads or sockets
    todo = list(range(len(jobs)))[::-1]
    pool: list[_Worker] = []
    validator = Validator(Project(root), [job.org for job in jobs])

    def assign(worker: _Worker) -> None:
        worker.job = todo.pop() if todo else None
        if worker.job is not None:
            validator.wait(jobs[worker.job].org)
        worker.conn.send(jobs[worker.job] if worker.job is not None else None)

    finished = False
    try:
        validator.start()
        for _ in range(workers):
            pool.append(_Worker(context, root, force))
            assign(pool[-1])
        while busy := [w for w in pool if w.job is not None]:
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                try:
                    if worker.conn.poll():
                        done(worker.job, worker.conn.recv())
                        assign(worker)
                        continue
                except (EOFError, OSError):
                    pass
                if worker.process.is_alive():
                    continue
                worker.process.join()  # it died: its job failed, a new worker takes over
                message = f"worker failed (exit code {worker.process.exitcode})"
                done(worker.job, Outcome(jobs[worker.job], FAILED, message=message, exit_code=1))
                worker.job = None
                if todo:
                    pool.append(_Worker(context, root, force))
                    assign(pool[-1])
        finished = True
    finally:
        validator.stop()
        if not finished:  # every worker told at once: none goes on while another cleans up
            for worker in pool:
                worker.terminate()
        for worker in pool:
            worker.stop(now=not finished)


class Validator:
    """Organisations' inputs validated in a thread, ahead of the builds of their reports
    (:func:`odreport.publish.pipeline.validate_ahead`, into the project's validation cache),
    in the order given, each once.

    A batch's workers then find every result in the cache: Great Expectations is imported and
    run in the batch's own process only, once, instead of in every worker (each import costs
    seconds, and its million objects slow every later garbage collection of the process).
    Validating goes on while the workers render. An organisation whose validation fails
    (unreadable inputs, say) is simply not in the cache: its build validates it itself and
    reports what it finds. :meth:`stop` lets an entry being written finish, so an interrupted
    batch leaves no partial file."""

    def __init__(self, project: Project, orgs: list[str]) -> None:
        self.project = project
        self.orgs = list(dict.fromkeys(orgs))
        self.ready = {org: threading.Event() for org in self.orgs}
        self._stopping = threading.Event()
        self._writing = threading.Lock()  # held while a result is recorded
        self._thread = threading.Thread(target=self._run, name="odreport-validator", daemon=True)

    def start(self) -> Validator:
        """Start validating; return ``self``."""
        self._thread.start()
        return self

    def _run(self) -> None:
        from odreport.publish.pipeline import validate_ahead

        frozen = False
        try:
            for org in self.orgs:
                if self._stopping.is_set():
                    return
                try:
                    validated = validate_ahead(self.project, org, self._may_record)
                except Exception:  # the build meets it again, and reports it
                    validated = False
                self.ready[org].set()
                if validated and not frozen:
                    # Great Expectations and its suites stay for the rest of the batch: out of
                    # the collector's way (it would walk them every few thousand allocations)
                    gc.collect()
                    gc.freeze()
                    frozen = True
        finally:
            for event in self.ready.values():
                event.set()

    @contextlib.contextmanager
    def _may_record(self) -> Iterator[bool]:
        with self._writing:
            yield not self._stopping.is_set()

    def wait(self, org: str) -> None:
        """Wait until ``org``'s inputs have been validated (or found in the cache, or failed
        to validate); at once for an organisation this validator was not given."""
        event = self.ready.get(org)
        if event is not None:
            event.wait()

    def stop(self) -> None:
        """Stop: nothing more is recorded (a result being written is waited for, so that its
        cache entry is written whole or not at all; the validation under way is abandoned)."""
        self._stopping.set()
        with self._writing:
            pass


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """``5 reports: 3 rendered, 1 up to date, 1 failed in 41.0 s``."""
    counts = {s: sum(o.status == s for o in outcomes) for s in (RENDERED, UP_TO_DATE, FAILED)}
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{len(outcomes)} report{'s' if len(outcomes) != 1 else ''}: {parts} in {seconds:.1f} s"


def rolled_up(codes: Iterable[int]) -> int:
    """The exit code of many runs, from the exit codes of those that failed: 0 when none
    failed; 3 when every failure was invalid input data; else 1."""
    found = set(codes)
    if not found:
        return 0
    return 3 if found == {3} else 1


def exit_code(outcomes: list[Outcome]) -> int:
    """The batch's exit code (:func:`rolled_up` over the failed outcomes)."""
    return rolled_up(o.exit_code for o in outcomes if o.status == FAILED)
