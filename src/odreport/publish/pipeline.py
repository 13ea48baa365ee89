"""The pipeline for one organisation and period: load → validate → derive → write → render.

Derived tables go to ``data/processed`` and the report to ``reports`` through temporary
folders renamed into place, so a failed run leaves the last good outputs untouched. To save
time the report is derived and rendered while the inputs are validated (:class:`_Speculation`):
the report stays apart until validation passes, and the derived tables it replaced are kept
and put back if it does not.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from odreport.errors import (
    DataValidationError,
    OdReportError,
    UnknownPeriod,
    UsageError,
)
from odreport.inputs.problems import Problem
from odreport.inputs.tables import ROW, Inputs, read_inputs
from odreport.metrics import content, derive, processed
from odreport.metrics.surveys import SurveySettings, survey_tables
from odreport.paths import PERIOD_RE, Project, check_org, find_root
from odreport.publish.files import make_readable
from odreport.publish.provenance import provenance

log = logging.getLogger(__name__)

NOTEBOOK = "governance_report.ipynb"
PUBLIC_SUFFIX = "-public"  # the public version: no survey comments
SURVEY_NOTE = (
    "Survey results of {surveys} are illustrative, for demonstration only: they were generated, "
    "not collected. Source: {sources}."
)
ILLUSTRATIVE_NOTE = (
    "Progress figures for {period} are illustrative, for demonstration only: they were not "
    "reported by the organisation. Source: {sources}."
)


@dataclass
class Checked:
    """Inputs that passed validation, with the warnings found."""

    inputs: Inputs
    warnings: list[Problem]


def load_and_validate(project: Project, org: str) -> Checked:
    """Read and validate an organisation's inputs; raise on any critical problem."""
    check_org(project, org)
    return check_inputs(project, read_inputs(project.raw_dir(org), project.expectations))


def check_inputs(project: Project, inputs: Inputs, apart: bool = False) -> Checked:
    """Validate inputs already read; raise :class:`DataValidationError` on any critical
    problem, else return them with the warnings found. With ``apart``, Great Expectations runs
    in a process of its own (see :func:`_validate_apart`)."""
    if apart:
        problems = _validate_apart(inputs, project.expectations)
    else:
        from odreport.checks.validate import validate_inputs

        problems = validate_inputs(inputs, project.expectations)
    critical = [p for p in problems if p.is_critical]
    if critical:
        raise DataValidationError([p.line() for p in critical])
    warnings = [p for p in problems if not p.is_critical]
    _, unparsed = derive.plan_items(inputs)
    return Checked(inputs, warnings + unparsed)


def _validate_apart(inputs: Inputs, expectations: Path) -> list[Problem]:
    """:func:`odreport.checks.validate.validate_inputs` in a new process, on the same (pickled)
    inputs. A fresh ``make report`` renders while it validates: with Great Expectations' import
    and run in a process of their own they use the second core, rather than take turns with the
    render for this one's interpreter lock."""
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe(duplex=False)
    child = context.Process(
        target=_validate_child, args=(there, inputs, expectations), name="odreport-validate"
    )
    child.daemon = True
    child.start()
    there.close()
    try:
        kind, value = here.recv()
    except EOFError:
        raise OdReportError("the validation process ended without a result") from None
    finally:
        here.close()
        child.join(timeout=10)
    if kind == "error":
        raise value
    return value


def _validate_child(conn, inputs: Inputs, expectations: Path) -> None:
    """In the validation process: validate, send the problems (or the error) and leave at
    once (its interpreter's tear-down would only delay the parent's exit)."""
    try:
        from odreport.checks.validate import validate_inputs

        conn.send(("ok", validate_inputs(inputs, expectations)))
    except BaseException as exc:
        if not isinstance(exc, OdReportError):
            exc = OdReportError(f"validation failed: {exc.__class__.__name__}: {exc}")
        conn.send(("error", exc))
    finally:
        conn.close()
        atexit._run_exitfuncs()  # e.g. multiprocessing's finalizers (a lock tqdm made)
        os._exit(0)


def resolve_period(inputs: Inputs, period: str | None) -> str:
    """The requested period, or the latest with progress data."""
    available = derive.periods(inputs)
    if not available:
        raise UnknownPeriod(f"no progress data for {inputs.org}: add rows to progress.csv")
    if not period:
        return available[-1]
    if not PERIOD_RE.match(period):
        raise UsageError(f"period must look like YYYY-MM (found {period!r})")
    if period not in available:
        raise UnknownPeriod(
            f"no progress data for {inputs.org} in {period}; available periods: {', '.join(available)}"
        )
    return period


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    """An input table as a derived table: without the spreadsheet row numbers."""
    return frame.drop(columns=[c for c in (ROW,) if c in frame.columns])


def report_parameters(org: str, period: str, settings: SurveySettings) -> dict:
    """The parameters a report is made with, as recorded in its provenance."""
    return {
        "org": org,
        "period": period,
        "min_group_size": settings.min_group_size,
        "comments": "shown" if settings.comments else "not shown (public version)",
    }


def _survey_note(overview: pd.DataFrame) -> str:
    if overview.empty:
        return ""
    made_up = overview[overview["illustrative"] == "yes"]
    if made_up.empty:
        return ""
    return SURVEY_NOTE.format(
        surveys=", ".join(made_up["title"]), sources="; ".join(sorted(set(made_up["source"])))
    )


def derive_tables(
    project: Project,
    checked: Checked,
    period: str,
    settings: SurveySettings | None = None,
    meeting: str | None = None,
) -> dict:
    """Every derived table and figure the report needs: the frames of
    :data:`odreport.metrics.processed.TABLES` and the ``summary`` dict (its ``data_quality``:
    the warnings, as :class:`Problem` objects).

    ``meeting`` (YYYY-MM-DD) names the calendar's meeting the report is for; by default it is
    the first meeting after the reporting date. Survey results are suppressed and comments
    redacted here, before anything is written.
    """
    settings = settings or SurveySettings()
    inputs = checked.inputs
    org = derive.organisation(inputs)
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, period)
    current = derive.metrics(snap, period)
    all_periods = derive.periods(inputs)
    earlier = [p for p in all_periods if p < period]
    prev_snap = derive.snapshot(items, inputs, earlier[-1]) if earlier else None
    previous = derive.metrics(prev_snap, earlier[-1]) if prev_snap is not None else None
    progress = inputs.tables["progress"]
    at = progress[progress["period"] == period]
    illustrative = bool((at["illustrative"] == "yes").any())
    sources = sorted(at.loc[at["illustrative"] == "yes", "source"].dropna().unique())
    files = sorted(set(inputs.files.values()))
    parameters = report_parameters(org["org_id"], period, settings)
    if meeting:
        parameters["meeting"] = meeting
    surveys = survey_tables(inputs, period, settings)
    code = sorted(project.notebooks.glob("*.ipynb")) + sorted(project.expectations.glob("*.json"))
    summary = {
        "organisation": org,
        "period": period,
        "period_label": derive.period_label(period),
        "reporting_date": derive.period_end(period).isoformat(),
        "periods": [p for p in all_periods if p <= period],
        "illustrative": illustrative,
        "illustrative_note": ILLUSTRATIVE_NOTE.format(
            period=derive.period_label(period), sources="; ".join(sources)
        )
        if illustrative
        else "",
        "content": content.summary(inputs, org["item_name"]),  # plan content not transcribed
        "current": current.as_dict(),
        "previous": previous.as_dict() if previous else None,
        "headline": derive.headline(org, current, previous),
        "meeting": derive.next_meeting(inputs, period, meeting),
        processed.WARNINGS: checked.warnings,
        "provenance": provenance(files, project.root, parameters, code),
        "surveys": {
            "min_group_size": settings.min_group_size,
            "comments": settings.comments,
            "illustrative_note": _survey_note(surveys["survey_overview"]),
        },
    }
    risks = inputs.get("risks")
    assessments = inputs.get("assessments")
    return {
        "summary": summary,
        "items": _records(snap),
        "status_by_theme": derive.status_by_theme(snap),
        "trend": derive.trend(items, inputs, period),
        "changes": derive.changes(prev_snap, snap),
        "accountability": derive.accountability(snap),
        "themes": derive.themes_overview(inputs, snap),
        "coverage": derive.framework_coverage(inputs, snap),
        "risks": _records(risks) if risks is not None else pd.DataFrame(),
        "assessments": _records(assessments) if assessments is not None else pd.DataFrame(),
        **surveys,
    }


def processed_path(project: Project, org: str, period: str, public: bool = False) -> Path:
    """``data/processed/<org>/<period>/`` (``<period>-public/`` for the public version)."""
    return project.processed_dir(org, period + (PUBLIC_SUFFIX if public else ""))


def write_processed(
    project: Project, org: str, period: str, derived: dict, public: bool = False
) -> Path:
    """Write the derived tables to ``data/processed/<org>/<period>/`` atomically
    (``<period>-public/`` for the public version), as :mod:`odreport.metrics.processed` says."""
    return _write_processed(project, org, period, derived, public, keep_previous=False)[0]


def _write_processed(
    project: Project, org: str, period: str, derived: dict, public: bool, keep_previous: bool
) -> tuple[Path, Path | None]:
    """Write the derived tables in place; with ``keep_previous``, keep the folder they replace
    (renamed) and return it, so that :func:`_restore_processed` can put it back."""
    final = processed_path(project, org, period, public)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = make_readable(Path(tempfile.mkdtemp(prefix=f".{period}-", dir=final.parent)))
    try:
        tables = {k: v for k, v in derived.items() if k != "summary"}
        processed.write(tmp, tables, derived["summary"])
        previous = _swap_dir(tmp, final, keep_old=keep_previous)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final, previous


def _swap_dir(new: Path, final: Path, keep_old: bool = False) -> Path | None:
    """Replace ``final`` by ``new`` with renames only (no half-written state is visible).
    With ``keep_old``, the replaced folder is kept, renamed, and returned."""
    if final.exists():
        old = final.with_name(f".{final.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(new, final)
        if keep_old:
            return old
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)
    return None


def _restore_processed(final: Path, previous: Path | None) -> None:
    """Put back the folder :func:`_write_processed` replaced (or none, if there was none)."""
    shutil.rmtree(final, ignore_errors=True)
    if previous is not None:
        os.replace(previous, final)


@dataclass
class Built:
    """The outcome of one build: the report, and whether it had to be rendered."""

    report: Path
    rendered: bool


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
    speculate: bool = True,
) -> Built:
    """Build one report: validate, derive and render, or nothing when it is up to date.

    ``period`` defaults to the latest with progress data; ``min_group_size`` is the survey
    suppression threshold (default 11); ``public`` leaves survey comments out and writes
    ``report-public.html``; ``meeting`` (YYYY-MM-DD, a date in the calendar) labels the report
    with that meeting. The report is rendered again only when its inputs, parameters, notebook
    or package code changed since it was last built (:mod:`odreport.publish.manifest`), or ``force``.
    ``speculate`` renders while the inputs are validated, keeping the result only if they pass
    (see :class:`_Speculation`); a batch worker, whose cores are busy anyway, may turn it off.
    """
    from odreport.publish import manifest

    check_org(project, org)
    if period and not PERIOD_RE.match(period):
        raise UsageError(f"period must look like YYYY-MM (found {period!r})")
    settings = SurveySettings(
        min_group_size=min_group_size or SurveySettings().min_group_size, comments=not public
    )
    request = {
        "org": org,
        "period": period or "",
        "min_group_size": settings.min_group_size,
        "public": public,
        "meeting": meeting or "",
    }
    fp = manifest.fingerprint(project, org, request)
    if not force:
        current = manifest.up_to_date(project, org, request, fp)
        if current is not None:
            return Built(current, rendered=False)
    from odreport.publish import render
    from odreport.publish.catalogue import FIGURES

    render.start_kernel_early(project.root)  # starts while the inputs are validated
    try:
        report = _render(project, org, period, settings, public, meeting, speculate)
    finally:
        render.release_kernel()
    outputs = [report, report.with_suffix(".ipynb")]
    if not public:
        outputs.append(report.parent / FIGURES)
    manifest.record(report, request, fp, outputs)
    return Built(report, rendered=True)


# Above this size of raw inputs a report is not rendered during validation: validation is then
# most of the time anyway, and the render of data not yet validated (a runaway file of a million
# rows, say) could cost far more than it saves.
SPECULATE_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class _Request:
    """What one build renders."""

    org: str
    period: str | None
    settings: SurveySettings
    public: bool
    meeting: str | None


def _render(
    project: Project,
    org: str,
    period: str | None,
    settings: SurveySettings,
    public: bool,
    meeting: str | None,
    speculate: bool = True,
) -> Path:
    from odreport.publish.catalogue import write_catalogue, write_figures

    req = _Request(org, period, settings, public, meeting)
    inputs = read_inputs(project.raw_dir(org), project.expectations)
    ahead = _Speculation.start(project, inputs, req) if speculate else None
    try:
        checked = check_inputs(project, inputs, apart=_validates_apart(ahead is not None))
        period = resolve_period(inputs, period)
        if meeting and derive.next_meeting(inputs, period, meeting) is None:
            raise UsageError(f"no meeting on {meeting} in {org}'s meetings.csv")
    except BaseException:
        if ahead is not None:
            ahead.abandon(stop=True)
        raise
    taken = ahead.take(checked) if ahead is not None else None
    if taken is not None:
        summary, staged = taken
    else:
        derived = derive_tables(project, checked, period, settings, meeting)
        processed = write_processed(project, org, period, derived, public)
        summary = derived["summary"]
        staged = _render_staged(project, req, period, summary, processed)
    report = staged.commit()
    if not public:
        write_figures(report.parent, summary)
    write_catalogue(project)
    return report


def _validates_apart(speculating: bool) -> bool:
    """Whether to validate in a process of its own: only in a fresh single-report process that
    renders while it validates. A batch worker imports GX once and validates in-process (a
    child would import it again for every report)."""
    from odreport.publish import render

    return speculating and not render.keeping_kernels() and "great_expectations" not in sys.modules


def _render_staged(
    project: Project,
    req: _Request,
    period: str,
    summary: dict,
    processed: Path,
    cancel: threading.Event | None = None,
):
    """Execute and export the report notebook on derived tables in ``processed``; the result is
    staged (:class:`odreport.publish.render.Staged`), not yet in place."""
    from odreport.publish.render import render_staged

    title = (
        f"{summary['organisation']['short_name']} organisational development progress report, "
        f"{summary['period_label']}"
    )
    return render_staged(
        project,
        project.notebooks / NOTEBOOK,
        parameters={
            "org": req.org,
            "period": period,
            "processed_dir": processed.relative_to(project.root).as_posix(),
        },
        out_dir=project.report_dir(req.org, period),
        title=title,
        stem="report" + (PUBLIC_SUFFIX if req.public else ""),
        cancel=cancel,
    )


class _Speculation:
    """Derive and render while the inputs are being validated, and keep the result only if
    validation passes and finds the warnings that were assumed.

    Validation (Great Expectations, in this process) and the notebook's run (in the kernel)
    take about the same time, so on two cores they overlap. The report must list validation's
    warnings, which are not known yet: they are assumed to be those of the last report built
    for the same request (``summary.json`` in its derived tables); a report never built before
    is not rendered ahead. Until :meth:`take`
    accepts the result nothing is in place: the report is staged apart, and the derived tables
    it replaced are kept and put back by :meth:`abandon`. When validation fails the run is
    stopped at once (its kernel killed), so the analyst waits for nothing more; when validation
    finds other warnings, or the speculative run fails in any way, the result is dropped and
    the report is built again from the validated inputs, as without speculation.
    """

    def __init__(
        self, project: Project, inputs: Inputs, req: _Request, period: str, assumed: list[Problem]
    ) -> None:
        self.project, self.inputs, self.req, self.period = project, inputs, req, period
        self.assumed = assumed
        self.summary: dict | None = None
        self.staged = None
        self.processed: Path | None = None
        self.previous: Path | None = None
        self.failed = ""  # why the speculative run failed
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="odreport-speculation", daemon=True)

    @classmethod
    def start(cls, project: Project, inputs: Inputs, req: _Request) -> _Speculation | None:
        """Start rendering ``req`` from ``inputs`` in a thread; ``None`` when the report was
        never built before, or the inputs could not be read, are larger than
        :data:`SPECULATE_MAX_BYTES` or lack the period or meeting asked for (the build reports
        that itself)."""
        if any(p.is_critical for p in inputs.problems):
            return None
        raw = [p for p in project.raw_dir(req.org).rglob("*") if p.is_file()]
        if sum(p.stat().st_size for p in raw) > SPECULATE_MAX_BYTES:
            return None
        try:
            period = resolve_period(inputs, req.period)
            if req.meeting and derive.next_meeting(inputs, period, req.meeting) is None:
                return None
        except Exception:
            return None
        assumed = _last_warnings(project, req, period)
        if assumed is None:  # never built: nothing to go by (and often, new data to check)
            return None
        ahead = cls(project, inputs, req, period, assumed)
        ahead.thread.start()
        return ahead

    def _run(self) -> None:
        try:
            checked = Checked(self.inputs, self.assumed)
            derived = derive_tables(
                self.project, checked, self.period, self.req.settings, self.req.meeting
            )
            if self.cancel.is_set():
                return
            self.processed, self.previous = _write_processed(
                self.project, self.req.org, self.period, derived, self.req.public, True
            )
            self.summary = derived["summary"]
            self.staged = _render_staged(
                self.project, self.req, self.period, self.summary, self.processed, self.cancel
            )
        except BaseException as exc:  # unvalidated inputs may break anything: build it again
            self.failed = f"{exc.__class__.__name__}: {exc}"

    def take(self, checked: Checked) -> tuple[dict, object] | None:
        """The summary and staged report, if they are what validated inputs give; else
        ``None``, with everything undone. (The period needs no check: it was resolved from
        the same inputs and request.)"""
        period = self.period
        if checked.warnings != self.assumed:
            why = "validation found other warnings than those assumed"
        else:
            self.thread.join()
            if not self.failed and self.staged is not None:
                if self.previous is not None:
                    shutil.rmtree(self.previous, ignore_errors=True)
                log.debug("%s %s: report rendered during validation kept", self.req.org, period)
                return self.summary, self.staged
            why = f"it failed ({self.failed or 'nothing rendered'})"
        log.debug("%s %s: report rendered during validation dropped: %s", self.req.org, period, why)
        self.abandon()  # the inputs are valid: the kernel it runs in renders the report next
        return None

    def abandon(self, stop: bool = False) -> None:
        """Drop the speculative run's report and put the derived tables back; with ``stop``,
        kill its kernel first rather than wait for it to finish (invalid inputs: the analyst
        waits for nothing more)."""
        from odreport.publish import render

        if stop and self.thread.is_alive():
            self.cancel.set()
            render.stop_kernel_now()
        self.thread.join()
        log.debug("%s: report rendered during validation abandoned", self.req.org)
        if self.staged is not None:
            self.staged.discard()
        if self.processed is not None:
            _restore_processed(self.processed, self.previous)


def _last_warnings(project: Project, req: _Request, period: str) -> list[Problem] | None:
    """The warnings listed by the last report built for ``req``; ``None`` if there is none."""
    return processed.read_warnings(processed_path(project, req.org, period, req.public))


def prepare(org: str, period: str = "") -> Path:
    """Run validation and derivation for interactive use (JupyterLab) and return the folder.

    The pipeline passes ``processed_dir`` itself, so a scheduled render never calls this.
    """
    project = Project(find_root())
    checked = load_and_validate(project, org)
    period = resolve_period(checked.inputs, period or None)
    return write_processed(project, org, period, derive_tables(project, checked, period))
