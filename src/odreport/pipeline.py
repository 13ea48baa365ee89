"""The pipeline for one organisation and period: load → validate → derive → write → render.

Nothing is written until validation has passed; derived tables go to ``data/processed`` and
the report to ``reports`` through temporary folders renamed into place, so a failed run leaves
the last good outputs untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import derive
from .errors import DataValidationError, UnknownOrganisation, UnknownPeriod, UsageError
from .paths import PERIOD_RE, Project
from .problems import Problem
from .provenance import provenance
from .surveys import SurveySettings, survey_tables
from .tables import ROW, Inputs, read_inputs

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


def check_org(project: Project, org: str) -> None:
    """Raise :class:`UnknownOrganisation` naming the known ones if ``org`` has no inputs."""
    known = project.organisations()
    if org not in known:
        raise UnknownOrganisation(
            f"unknown organisation {org!r}; known organisations: {', '.join(known) or 'none'}"
        )


def load_and_validate(project: Project, org: str) -> Checked:
    """Read and validate an organisation's inputs; raise on any critical problem."""
    from .validate import validate_inputs

    check_org(project, org)
    inputs = read_inputs(project.raw_dir(org), project.expectations)
    problems = validate_inputs(inputs, project.expectations)
    critical = [p for p in problems if p.is_critical]
    if critical:
        raise DataValidationError([p.line() for p in critical])
    warnings = [p for p in problems if not p.is_critical]
    _, unparsed = derive.plan_items(inputs)
    warnings += [_warning_from_line(line) for line in unparsed]
    return Checked(inputs, warnings)


def _warning_from_line(line: str) -> Problem:
    file, row, column, message = line.split(":", 3)
    return Problem(file, int(row), column, message.strip(), "warning")


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
    out = frame.drop(columns=[c for c in (ROW,) if c in frame.columns]).copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def _table_name(file: str) -> str:
    """``data/raw/x/risks.csv`` or ``data/raw/x/plan.xlsx[risks]`` → ``risks``: the report names
    tables, so a CSV and a workbook with the same content give the same report."""
    if file.endswith("]") and "[" in file:
        return file[file.rindex("[") + 1 : -1]
    return Path(file).stem


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
    """Every derived table and figure the report needs, as frames and a summary dict.

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
        "current": current.as_dict(),
        "previous": previous.as_dict() if previous else None,
        "headline": derive.headline(org, current, previous),
        "meeting": derive.next_meeting(inputs, period, meeting),
        "data_quality": [
            {"table": _table_name(w.file), "row": w.row, "column": w.column, "message": w.message}
            for w in checked.warnings
        ],
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


def write_processed(
    project: Project, org: str, period: str, derived: dict, public: bool = False
) -> Path:
    """Write the derived tables to ``data/processed/<org>/<period>/`` atomically
    (``<period>-public/`` for the public version)."""
    final = project.processed_dir(org, period + (PUBLIC_SUFFIX if public else ""))
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{period}-", dir=final.parent))
    try:
        for name, value in derived.items():
            if isinstance(value, pd.DataFrame):
                value.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
            else:
                (tmp / f"{name}.json").write_text(
                    json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8",
                )
        _swap_dir(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _swap_dir(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with renames only (no half-written state is visible)."""
    if final.exists():
        old = final.with_name(f".{final.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)


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
) -> Built:
    """Build one report: validate, derive and render, or nothing when it is up to date.

    ``period`` defaults to the latest with progress data; ``min_group_size`` is the survey
    suppression threshold (default 11); ``public`` leaves survey comments out and writes
    ``report-public.html``; ``meeting`` (YYYY-MM-DD, a date in the calendar) labels the report
    with that meeting. The report is rendered again only when its inputs, parameters, notebook
    or package code changed since it was last built (:mod:`odreport.manifest`), or ``force``.
    """
    from . import manifest

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
    from . import render
    from .index import FIGURES

    render.start_kernel_early(project.root)  # starts while the inputs are validated
    try:
        report = _render(project, org, period, settings, public, meeting)
    finally:
        render.release_kernel()
    outputs = [report, report.with_suffix(".ipynb")]
    if not public:
        outputs.append(report.parent / FIGURES)
    manifest.record(report, request, fp, outputs)
    return Built(report, rendered=True)


def _render(
    project: Project,
    org: str,
    period: str | None,
    settings: SurveySettings,
    public: bool,
    meeting: str | None,
) -> Path:
    from .index import build_index, write_figures
    from .render import render_notebook

    checked = load_and_validate(project, org)
    period = resolve_period(checked.inputs, period)
    if meeting and derive.next_meeting(checked.inputs, period, meeting) is None:
        raise UsageError(f"no meeting on {meeting} in {org}'s meetings.csv")
    derived = derive_tables(project, checked, period, settings, meeting)
    processed = write_processed(project, org, period, derived, public)
    summary = derived["summary"]
    title = (
        f"{summary['organisation']['short_name']} organisational development progress report, "
        f"{summary['period_label']}"
    )
    report = render_notebook(
        project,
        project.notebooks / NOTEBOOK,
        parameters={
            "org": org,
            "period": period,
            "processed_dir": processed.relative_to(project.root).as_posix(),
        },
        out_dir=project.report_dir(org, period),
        title=title,
        stem="report" + (PUBLIC_SUFFIX if public else ""),
    )
    if not public:
        write_figures(report.parent, summary)
    build_index(project)
    return report
