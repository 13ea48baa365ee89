"""The pipeline's steps for one organisation and period: load → validate → derive → write.

:mod:`odreport.publish.builder` runs them for a report (and renders it); :func:`prepare` runs
them for interactive use.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from odreport.checks import cache
from odreport.errors import (
    DataValidationError,
    UnknownPeriod,
    UsageError,
)
from odreport.files import make_readable
from odreport.inputs.problems import Problem
from odreport.inputs.tables import ROW, Inputs, read_inputs
from odreport.metrics import content, derive, papers, processed, trajectory
from odreport.metrics.surveys import SurveySettings, names_listed, survey_tables
from odreport.paths import PERIOD_RE, Project, check_org, find_root
from odreport.publish import local, speculation, staging
from odreport.publish.provenance import provenance

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
    key = validation_key(project, org)  # before reading: what is read is at least as new
    inputs = read_inputs(project.raw_dir(org), project.expectations)
    return check_inputs(project, inputs, key=key)


def validation_cache(project: Project) -> cache.ValidationCache:
    """The project's validation results (``.odreport/cache/validation/``; see
    :mod:`odreport.checks.cache`)."""
    return cache.ValidationCache(staging.workdir(project) / "cache" / "validation")


def validation_key(project: Project, org: str) -> str:
    """The key of validating ``org``'s inputs as they are now (:func:`odreport.checks.cache.
    validation_key`); take it before reading them."""
    return cache.validation_key(project.raw_dir(org), project.expectations, _code_version())


@functools.cache
def _code_version() -> str:
    return cache.code_version()  # the code this process runs: loaded once


def cached_problems(project: Project, org: str, key: str | None) -> list[Problem] | None:
    """The problems recorded for ``org``'s validation ``key``, if the cache holds them."""
    return None if key is None else validation_cache(project).get(org, key)


def validate_ahead(
    project: Project, org: str, may_record: Callable[[], AbstractContextManager[bool]] | None = None
) -> bool:
    """Validate ``org``'s inputs into the project's validation cache, so that the build of its
    report finds the result there (:func:`check_inputs` with its key) and need not import or
    run Great Expectations itself; nothing when the cache holds them already. Returns whether
    the inputs were validated here. The result is the one :func:`check_inputs` would record:
    the problems of :func:`odreport.checks.validate.validate_inputs` (critical ones included),
    recorded only if no file changed meanwhile. Raises what reading or validating raises, and
    :class:`~odreport.errors.UnknownOrganisation` (the build then meets it itself).

    ``may_record``: a context manager the result is recorded in, if it gives ``True`` (a batch
    stopping gives ``False``, and waits for a write under way)."""
    check_org(project, org)  # an unknown organisation: its build says so
    key = validation_key(project, org)  # before reading: what is read is at least as new

    def validate() -> list[Problem]:
        from odreport.checks.validate import validate_inputs

        inputs = read_inputs(project.raw_dir(org), project.expectations)
        return validate_inputs(inputs, project.expectations)

    _, validated = _problems(project, org, key, validate, may_record or _always)
    return validated


def _problems(
    project: Project,
    org: str,
    key: str | None,
    validate: Callable[[], list[Problem]],
    may_record: Callable[[], AbstractContextManager[bool]],
) -> tuple[list[Problem], bool]:
    """``org``'s problems from the validation cache under ``key``, else from ``validate()``,
    recorded under ``key`` if the files still give it (none changed meanwhile) and
    ``may_record`` allows; and whether ``validate`` ran."""
    problems = cached_problems(project, org, key)
    if problems is not None:
        return problems, False
    problems = validate()
    if key is not None:
        with may_record() as allowed:
            if allowed and validation_key(project, org) == key:
                validation_cache(project).put(org, key, problems)
    return problems, True


@contextlib.contextmanager
def _always() -> Iterator[bool]:
    yield True


def check_inputs(
    project: Project, inputs: Inputs, apart: bool = False, key: str | None = None
) -> Checked:
    """Validate inputs already read; raise :class:`DataValidationError` on any critical
    problem, else return them with the warnings found. With ``apart``, Great Expectations runs
    in a process of its own (:func:`odreport.publish.speculation.validate_in_child`).

    ``key`` (:func:`validation_key`, taken before the inputs were read) looks the result up
    in the project's validation cache instead, and records it there after a validation; it is
    recorded only if the files still give the same key afterwards (none changed meanwhile).
    Without a key the inputs are validated and nothing is recorded."""

    def validate() -> list[Problem]:
        if apart:
            return speculation.validate_in_child(inputs, project.expectations)
        from odreport.checks.validate import validate_inputs

        return validate_inputs(inputs, project.expectations)

    problems, _ = _problems(project, inputs.org, key, validate, _always)
    critical = [p for p in problems if p.is_critical]
    if critical:
        raise DataValidationError([p.line() for p in critical])
    warnings = [p for p in problems if not p.is_critical]
    _, unparsed = derive.plan_items(inputs)
    return Checked(inputs, warnings + unparsed)


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
    :data:`odreport.metrics.processed.TABLES` and the ``facts`` dict (its ``data_quality``:
    the warnings, as :class:`Problem` objects).

    ``meeting`` (YYYY-MM-DD) names the calendar's meeting the report is for; by default it is
    the first meeting after the reporting date. Survey results are suppressed and comments
    redacted here, before anything is written.
    """
    with derive.snapshots_reused():  # each period's snapshot worked out once
        return _derive_tables(project, checked, period, settings, meeting)


def _derive_tables(
    project: Project,
    checked: Checked,
    period: str,
    settings: SurveySettings | None,
    meeting: str | None,
) -> dict:
    settings = settings or SurveySettings()
    inputs = checked.inputs
    org = derive.organisation(inputs)
    items, _ = derive.plan_items(inputs)
    snap = derive.snapshot(items, inputs, period)
    current = derive.metrics(snap, period)
    all_periods = derive.periods(inputs)
    baseline = derive.comparison(inputs, period, meeting)  # previous paper, else period
    prev_snap = derive.snapshot(items, inputs, baseline.period) if baseline.period else None
    previous = derive.metrics(prev_snap, baseline.period) if prev_snap is not None else None
    path = trajectory.trajectory(items, inputs, period)
    path_headline = trajectory.headline(path, period)
    targets = derive.target_status(inputs.get("assessments"), period)
    notes = derive.source_notes(inputs)
    progress = inputs.tables["progress"]
    at = progress[progress["period"] == period]
    illustrative = bool((at["illustrative"] == "yes").any())
    sources = sorted(at.loc[at["illustrative"] == "yes", "source"].dropna().unique())
    files = sorted(set(inputs.files.values()))
    parameters = report_parameters(org["org_id"], period, settings)
    if meeting:
        parameters["meeting"] = meeting
    surveys = survey_tables(inputs, period, settings)
    code = (
        sorted(project.notebooks.glob("*.ipynb"))
        + local.notebooks(project, inputs.org)  # the organisation's own (publish.local)
        + sorted(project.expectations.glob("*.json"))
    )
    facts = {
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
        "content": content.facts(inputs, org["item_name"]),  # plan content not transcribed
        "current": current.as_dict(),
        "previous": previous.as_dict() if previous else None,
        "headline": derive.headline(org, current, previous, baseline.describe() or None),
        "comparison": baseline.as_dict(),
        "plan_status": derive.plan_status(org, period),
        "trajectory": path_headline.as_dict() if path_headline else None,
        "targets": derive.target_counts(targets),
        "source_notes": len(notes),
        "meeting": derive.next_meeting(inputs, period, meeting),
        "narrative": inputs.narratives[period].facts() if period in inputs.narratives else {},
        "local": local.facts(project, inputs.org),
        processed.WARNINGS: checked.warnings,
        "provenance": provenance(files, project.root, parameters, code),
        "surveys": {
            "min_group_size": settings.min_group_size,
            "comments": settings.comments,
            "names_listed": names_listed(inputs),  # redactions.csv: names taken out
            "illustrative_note": _survey_note(surveys["survey_overview"]),
        },
    }
    facts["paper"] = papers.particulars(inputs, facts["meeting"])  # papers.csv (cover)
    risks = inputs.get("risks")
    assessments = inputs.get("assessments")
    return {
        "facts": facts,
        "items": _records(snap),
        "status_by_theme": derive.status_by_theme(snap),
        "trend": derive.trend(items, inputs, period),
        "changes": derive.changes(prev_snap, snap),
        "accountability": derive.accountability(snap),
        "themes": derive.themes_overview(inputs, snap),
        "coverage": derive.framework_coverage(inputs, snap),
        "risks": _records(risks) if risks is not None else pd.DataFrame(),
        "assessments": _records(targets) if assessments is not None else pd.DataFrame(),
        "trajectory": path,
        "completions": trajectory.completions_per_period(path),
        "exceptions": _records(derive.exceptions(snap)),
        "accountability_gaps": derive.accountability_gaps(snap),
        "source_notes": notes,
        **surveys,
    }


def processed_path(project: Project, org: str, period: str, public: bool = False) -> Path:
    """``data/processed/<org>/<period>/`` (``<period>-public/`` for the public version)."""
    return project.processed_dir(org, period + (PUBLIC_SUFFIX if public else ""))


def write_tables(folder: Path, derived: dict) -> None:
    """Write the derived tables into ``folder`` as :mod:`odreport.metrics.processed` says
    (Parquet and a CSV copy per table, ``summary.json``)."""
    tables = {k: v for k, v in derived.items() if k != "facts"}
    processed.write(folder, tables, derived["facts"])


def write_processed(
    project: Project, org: str, period: str, derived: dict, public: bool = False
) -> Path:
    """Write the derived tables to ``data/processed/<org>/<period>/`` atomically
    (``<period>-public/`` for the public version), as :mod:`odreport.metrics.processed` says."""
    final = processed_path(project, org, period, public)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = make_readable(Path(tempfile.mkdtemp(prefix=f".{period}-", dir=final.parent)))
    try:
        write_tables(tmp, derived)
        if final.exists():
            old = final.with_name(f".{final.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(final, old)
            os.replace(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def prepare(org: str, period: str = "") -> Path:
    """Run validation and derivation for interactive use (JupyterLab) and return the folder.

    The pipeline passes ``processed_dir`` itself, so a scheduled render never calls this.
    """
    project = Project(find_root())
    checked = load_and_validate(project, org)
    period = resolve_period(checked.inputs, period or None)
    with staging.lock(project, org, period):
        return write_processed(project, org, period, derive_tables(project, checked, period))
