"""One report built: staged, rendered while validating, put in place in one step.

:func:`build` runs the pipeline's steps (:mod:`odreport.publish.pipeline`) for one request,
unless the report is up to date (:mod:`odreport.publish.manifest`). Everything it writes (the
derived tables, ``report.html`` and ``report.ipynb``, ``figures.json``, ``manifest.json`` and
``reports/index.html``) goes first into the run's staging folder and is put in place together
when all of it is there (:mod:`odreport.publish.staging`), so a run that fails or is
interrupted changes nothing. To save time the report is derived and rendered while the inputs
are validated (:mod:`odreport.publish.speculation`), on the kernels of the
:class:`~odreport.publish.session.Session` the build is given.

The steps a build reaches are announced to the session's ``checkpoint`` hook (see
:class:`~odreport.publish.session.Session`): ``start``, ``read``, ``locked``, ``validating``,
``validated``, ``derived``, ``tables-staged``, ``render:cell-<n>``, ``rendered``,
``report-staged``, ``indexing``, ``index-staged``, then ``commit:<n>`` for each rename that
puts an output in place; a report rendered during validation announces ``ahead:derived`` ...
``ahead:rendered`` from its own thread.
"""

from __future__ import annotations

import functools
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from odreport.errors import OdReportError, UsageError
from odreport.files import atomic_write
from odreport.inputs.problems import Problem
from odreport.inputs.tables import Inputs, read_inputs
from odreport.metrics import derive, processed
from odreport.metrics.surveys import SurveySettings
from odreport.paths import PERIOD_RE, Project, check_org
from odreport.publish import speculation, staging
from odreport.publish.pipeline import (
    NOTEBOOK,
    PUBLIC_SUFFIX,
    Checked,
    cached_problems,
    check_inputs,
    derive_tables,
    processed_path,
    resolve_period,
    validation_key,
    write_tables,
)
from odreport.publish.session import Session
from odreport.publish.speculation import Speculation


@dataclass
class Built:
    """The outcome of one build: the report, whether it had to be rendered, and what became of
    the report rendered during validation (``""``: none was; ``"kept"``; ``"dropped: <why>"``)."""

    report: Path
    rendered: bool
    ahead: str = ""


def build_report(project: Project, org: str, period: str | None = None, **options) -> Path:
    """Build one report (see :func:`build` for the options) and return ``report.html``."""
    return build(project, org, period, **options).report


def build(
    project: Project,
    org: str,
    period: str | None = None,
    *,
    min_group_size: int | None = None,
    public: bool = False,
    meeting: str | None = None,
    force: bool = False,
    session: Session | None = None,
) -> Built:
    """Build one report: validate, derive and render, or nothing when it is up to date.

    ``period`` defaults to the latest with progress data; ``min_group_size`` is the survey
    suppression threshold (default 11); ``public`` leaves survey comments out and writes
    ``report-public.html``; ``meeting`` (YYYY-MM-DD, a date in the calendar) labels the report
    with that meeting. The report is rendered again only when its inputs, parameters, notebook
    or package code changed since it was last built (:mod:`odreport.publish.manifest`), or
    ``force``. ``session`` says how (kernels kept, rendering while validating, ...; by default
    a session of its own, closed afterwards).

    Nothing is in place until everything is: the derived tables, the report, its figures and
    manifest and ``reports/index.html`` are staged and put in place together
    (:mod:`odreport.publish.staging`); a run that fails or is interrupted changes nothing.
    """
    from odreport.publish import manifest

    check_org(project, org)
    if period and not PERIOD_RE.match(period):
        raise UsageError(f"period must look like YYYY-MM (found {period!r})")
    settings = SurveySettings(
        min_group_size=min_group_size or SurveySettings().min_group_size, comments=not public
    )
    req = _Request(org, period, settings, public, meeting)
    staging.sweep(project)  # what killed runs left
    fp = manifest.fingerprint(project, org, req.key())
    if not force:
        current = manifest.up_to_date(project, org, req.key(), fp)
        if current is not None:
            return Built(current, rendered=False)
    if session is None:
        with Session() as own:
            return _Build(project, req, fp, force, own).run()
    try:
        return _Build(project, req, fp, force, session).run()
    finally:
        session.settle()


@dataclass
class _Request:
    """What one build renders."""

    org: str
    period: str | None
    settings: SurveySettings
    public: bool
    meeting: str | None

    def key(self) -> dict:
        """The request as the manifest records it (parameters as asked)."""
        from odreport.publish import manifest

        return manifest.request(
            self.org, self.period, self.settings.min_group_size, self.public, self.meeting
        )

    @property
    def stem(self) -> str:
        return "report" + (PUBLIC_SUFFIX if self.public else "")


@dataclass
class _Made:
    """A report made in the staging folder: its facts, derived tables and rendered files."""

    facts: dict
    tables: Path
    rendered: Path  # folder with report.html and report.ipynb


class _Build:
    """One build, step by step (see :func:`build`)."""

    def __init__(
        self, project: Project, req: _Request, fp: str, force: bool, session: Session
    ) -> None:
        self.project, self.req, self.fp, self.force = project, req, fp, force
        self.session = session
        self.assumed: list[Problem] = []  # the warnings a report rendered ahead assumes

    def run(self) -> Built:
        project, req, session = self.project, self.req, self.session
        try:
            session.checkpoint("start")
            # the key of the validation cache, taken before reading (see check_inputs)
            vkey = validation_key(project, req.org) if session.cache_validation else None
            inputs = read_inputs(project.raw_dir(req.org), project.expectations)
            session.checkpoint("read")
            try:
                key = resolve_period(inputs, req.period)
                session.kernels.start(project.root)  # starts up while the inputs are validated
            except OdReportError:  # the build fails after validation, rendering nothing
                key = req.period or "latest"
            with staging.staged_run(project, req.org, key, session.lock_wait) as stage:
                session.checkpoint("locked")
                if not self.force:  # another run may have built it while this one waited
                    from odreport.publish import manifest

                    current = manifest.up_to_date(project, req.org, req.key(), self.fp)
                    if current is not None:
                        return Built(current, rendered=False)
                return self._in(stage, inputs, vkey)
        finally:
            session.kernels.release()

    def _in(self, stage: staging.Stage, inputs: Inputs, vkey: str | None) -> Built:
        project, req, session = self.project, self.req, self.session
        # inputs validated before as they are now: nothing to render meanwhile
        known = cached_problems(project, req.org, vkey) is not None
        ahead = self._ahead(stage, inputs) if session.speculate and not known else None
        made = None
        try:
            session.checkpoint("validating")
            checked = check_inputs(
                project, inputs, apart=session.validate_apart and ahead is not None, key=vkey
            )
            session.checkpoint("validated")
            period = resolve_period(inputs, req.period)
            if req.meeting and derive.next_meeting(inputs, period, req.meeting) is None:
                raise UsageError(f"no meeting on {req.meeting} in {req.org}'s meetings.csv")
            if ahead is not None:
                agrees = checked.warnings == self.assumed
                made = ahead.take(agrees)
        except BaseException:
            if ahead is not None:
                ahead.abandon(stop=True)  # invalid inputs, or interrupted: stop it now
            raise
        if made is None:
            made = self._make(stage, checked, period)
        report = self._commit(stage, made, period)
        return Built(report, rendered=True, ahead=ahead.outcome if ahead is not None else "")

    def _ahead(self, stage: staging.Stage, inputs: Inputs) -> Speculation | None:
        """Start rendering from the inputs as read, assuming the warnings of the last build of
        the same report; ``None`` when there is no last build (nothing to go by, and often new
        data to check), the inputs are too large or could not be read, or they lack the period
        or meeting asked for (the build reports that itself, after validation)."""
        project, req = self.project, self.req
        raw = [p for p in project.raw_dir(req.org).rglob("*") if p.is_file()]
        if not speculation.worth_it(raw, inputs):
            return None
        try:
            period = resolve_period(inputs, req.period)
            if req.meeting and derive.next_meeting(inputs, period, req.meeting) is None:
                return None
        except Exception:
            return None
        assumed = _last_warnings(project, req, period)
        if assumed is None:
            return None

        def work(cancel: threading.Event) -> _Made:
            return self._make(stage, Checked(inputs, assumed), period, cancel, ahead=True)

        def discard() -> None:
            for name in ("ahead-tables", "ahead-report"):
                shutil.rmtree(stage.dir / name, ignore_errors=True)

        self.assumed = assumed
        return Speculation(self.session, work, discard, name=f"{req.org} {period}").start()

    def _make(
        self,
        stage: staging.Stage,
        checked: Checked,
        period: str,
        cancel: threading.Event | None = None,
        ahead: bool = False,
    ) -> _Made:
        """Derive the tables and render the report into the staging folder."""
        from odreport.publish.render import Cancelled, render_into

        project, req = self.project, self.req
        prefix = "ahead-" if ahead else ""

        def mark(step: str) -> None:
            self.session.checkpoint(("ahead:" if ahead else "") + step)

        derived = derive_tables(project, checked, period, req.settings, req.meeting)
        mark("derived")
        if cancel is not None and cancel.is_set():
            raise Cancelled(req.org)
        tables = stage.folder(prefix + "tables")
        write_tables(tables, derived)
        audit_written(tables, checked.inputs, req.settings.min_group_size)
        mark("tables-staged")
        facts = derived["facts"]
        title = (
            f"{facts['organisation']['short_name']} organisational development progress "
            f"report, {facts['period_label']}"
        )
        parameters = {"org": req.org, "period": period}
        final = processed_path(project, req.org, period, req.public)
        suffix = PUBLIC_SUFFIX if req.public else ""
        failed = staging.debug_dir(project) / f"{req.org}-{period}{suffix}-failed.ipynb"
        render = functools.partial(
            render_into,
            stage.folder(prefix + "report"),
            project.notebooks / NOTEBOOK,
            parameters | {"processed_dir": _rel(project, tables)},
            project.root,
            title,
            recorded=parameters | {"processed_dir": _rel(project, final)},
            kernels=self.session.kernels,
            cancel=cancel,
            on_cell=lambda index: mark(f"render:cell-{index}"),
            failed_copy=None if ahead else failed,
            published=project.report_dir(req.org, period) / f"{req.stem}.ipynb",
        )
        try:
            report = render()
        except KeyboardInterrupt:  # interrupted (only the main thread is): a cell may still run
            self.session.kernels.kill()
            raise
        mark("rendered")
        return _Made(facts, tables, report.parent)

    def _commit(self, stage: staging.Stage, made: _Made, period: str) -> Path:
        """Stage the figures, manifest and index beside the report, then put everything in
        place in one step (:meth:`odreport.publish.staging.Stage.commit`)."""
        from odreport.publish import manifest
        from odreport.publish.catalogue import FIGURES, write_catalogue, write_figures

        project, req, session = self.project, self.req, self.session
        out = project.report_dir(req.org, period)
        names = {f"{req.stem}.html": made.rendered / "report.html"}
        names[f"{req.stem}.ipynb"] = made.rendered / "report.ipynb"
        staged_figures = {}
        if not req.public:
            staged_figures[out] = write_figures(made.rendered, made.facts)
            names[FIGURES] = made.rendered / FIGURES
        text = manifest.recorded(out, req.key(), self.fp, f"{req.stem}.html", names, project.root)
        names[manifest.MANIFEST] = atomic_write(made.rendered / "staged-manifest.json", text)
        moves = [(made.tables, processed_path(project, req.org, period, req.public))]
        moves += [(staged, out / name) for name, staged in names.items()]
        session.checkpoint("report-staged")
        with staging.lock(project, staging.INDEX_LOCK, wait=session.lock_wait):
            session.checkpoint("indexing")
            index = write_catalogue(project, staged_figures, out=stage.dir / "index.html")
            session.checkpoint("index-staged")
            stage.commit([*moves, (index, project.reports / "index.html")], session.checkpoint)
        return out / f"{req.stem}.html"


def _rel(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()


def audit_written(folder: Path, inputs: Inputs, min_group_size: int) -> None:
    """Audit the survey figures as written (read back from the staged derived tables, which
    the notebook, the report and its public version are made from): raises
    :class:`~odreport.metrics.disclosure.DisclosureError` (exit 1) before anything is put in
    place if a suppressed figure could be worked out."""
    from odreport.metrics import disclosure

    names = [n for n in processed.TABLES if n.startswith("survey_")]
    written = {n: processed.read_table(folder, n) for n in names}
    if any(not frame.empty for frame in written.values()):
        disclosure.audit_published(written, inputs, min_group_size)


def _last_warnings(project: Project, req: _Request, period: str) -> list[Problem] | None:
    """The warnings listed by the last report built for ``req``; ``None`` if there is none."""
    return processed.read_warnings(processed_path(project, req.org, period, req.public))
