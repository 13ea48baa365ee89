"""What one report shows, read with the types the pipeline wrote them in.

:func:`load` reads ``data/processed/<org>/<period>/`` through the shared schemas of
:mod:`odreport.metrics.processed`; :func:`report_data` builds the same from frames (the unit
tests' small typed fixtures), each conformed to its table's schema.

Names in this stage: the report's **facts** are ``summary.json`` (organisation, period,
metrics, headline, meeting, provenance, survey settings); **question results** are the
``survey_summary`` table (per survey question and group); a chart's one-line **text
alternative** is its caption and label; ``<summary>`` is only ever the HTML element.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from odreport.inputs.problems import Problem
from odreport.metrics import processed
from odreport.metrics.surveys import SurveySettings

# The report's name of a processed table, where it differs from the table's file name.
RENAMED = {"survey_summary": "question_results"}


@dataclass(frozen=True)
class ReportData:
    """The facts and derived tables of one report (every table typed by its schema)."""

    facts: dict
    items: pd.DataFrame
    status_by_theme: pd.DataFrame
    trend: pd.DataFrame
    changes: pd.DataFrame
    accountability: pd.DataFrame
    themes: pd.DataFrame
    coverage: pd.DataFrame
    risks: pd.DataFrame
    assessments: pd.DataFrame
    survey_overview: pd.DataFrame
    question_results: pd.DataFrame
    survey_options: pd.DataFrame
    survey_comments: pd.DataFrame
    survey_trends: pd.DataFrame
    survey_evidence: pd.DataFrame
    survey_checks: pd.DataFrame
    survey_published: pd.DataFrame
    trajectory: pd.DataFrame
    completions: pd.DataFrame
    accountability_gaps: pd.DataFrame
    source_notes: pd.DataFrame
    exceptions: pd.DataFrame

    @property
    def org(self) -> dict:
        """The organisation's profile."""
        return self.facts["organisation"]

    @property
    def noun(self) -> str:
        """What the plan calls an item ("action", "objective", ...)."""
        return self.org["item_name"]

    @property
    def warnings(self) -> list[Problem]:
        """The data-quality warnings validation found (the report lists them)."""
        return self.facts[processed.WARNINGS]

    @property
    def survey_settings(self) -> SurveySettings:
        """The suppression threshold and whether comments are shown."""
        given = self.facts.get("surveys", {})
        return SurveySettings(**{k: given[k] for k in ("min_group_size", "comments") if k in given})


def report_data(facts: dict, **tables: pd.DataFrame) -> ReportData:
    """A report's data from ``facts`` and frames named by table (missing tables are empty),
    each conformed to its schema."""
    frames = {}
    for name, table in processed.TABLES.items():
        field = RENAMED.get(name, name)
        frames[field] = table.conform(tables.pop(field, table.empty()))
    if tables:
        raise ValueError(f"not tables of a report: {sorted(tables)}")
    facts = {processed.WARNINGS: [], **facts}
    return ReportData(facts=facts, **frames)


def load(processed_dir: str | Path) -> ReportData:
    """Read the derived tables the pipeline wrote for one organisation and period."""
    folder = Path(processed_dir)
    facts = processed.read_facts(folder / processed.FACTS)
    tables = {RENAMED.get(n, n): processed.read_table(folder, n) for n in processed.TABLES}
    return ReportData(facts=facts, **tables)
