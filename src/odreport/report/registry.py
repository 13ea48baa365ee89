"""The report's sections, in order: one registry for the notebook, the contents and the tests.

Each :class:`Section` has an id (the notebook calls ``report.<id>(data)``), a title (its
heading and its line in the contents), the function that draws its body, when it is shown (a
section with nothing to show is left out of the report and of its contents), and its
**part**: the *body* holds what a board reads (cover sheet and executive summary, progress
against the plan, measures, exceptions, changes, themes, survey highlights, targets, risks,
accountability, data quality); the *appendices* hold the detail (every item, the timeline,
framework coverage, the full risk register, survey detail and all comments, provenance with
checksums). Appendices are lettered A, B, … in the order shown, so a report's letters depend
only on which appendices it has.
``scripts/make_notebook.py`` writes the notebook's cells from :data:`SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from string import ascii_uppercase

from markupsafe import Markup

from odreport.report import (
    appendix_items,
    assurance,
    audit,
    cover,
    exceptions_changes,
    local,
    making_data_count,
    narrative,
    progress,
    surveys,
)
from odreport.report.data import ReportData
from odreport.report.templating import render

BODY, APPENDIX = "body", "appendix"


def _always(data: ReportData) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One section of the report."""

    id: str
    title: str | None  # None: the title block, not listed in the contents
    body: Callable[[ReportData], Markup]
    shown: Callable[[ReportData], bool] = _always
    part: str = BODY

    def heading(self, data: ReportData) -> str:
        """The section's heading: its title, or ``Appendix B: <title>`` for an appendix."""
        if self.title is None:
            return ""
        if self.part != APPENDIX:
            return self.title
        return f"Appendix {appendix_letter(self, data)}: {self.title}"

    def __call__(self, data: ReportData) -> Markup | None:
        """The section's HTML (heading and body), or ``None`` when it is not shown."""
        if not self.shown(data):
            return None
        if self.title is None:
            return self.body(data)
        return render(
            "sections/section.html.j2",
            title=self.heading(data),
            body=self.body(data),
            appendix=self.part == APPENDIX,
        )


def _header(data: ReportData) -> Markup:
    return progress.header(
        data,
        [s.heading(data) for s in contents(data, BODY)],
        [s.heading(data) for s in contents(data, APPENDIX)],
    )


def _cover(data: ReportData) -> Markup:
    return cover.cover_sheet(data, [s.heading(data) for s in contents(data, APPENDIX)])


def _has_surveys(data: ReportData) -> bool:
    return not data.survey_overview.empty


def _plan_progress(data: ReportData) -> Markup:
    return progress.plan_progress(data) + narrative.commentary(data)  # commentary people wrote


def _status_by_theme(data: ReportData) -> Markup:
    return progress.status_by_theme(data) + narrative.by_theme(data)  # and on each theme


SECTIONS: tuple[Section, ...] = (
    Section("header", None, _header),
    Section("cover_sheet", "Cover sheet", _cover),
    Section("plan_progress", "Progress against the plan", _plan_progress),
    Section("measures", "Measures: Making Data Count", making_data_count.measures),
    Section("exceptions", "Exceptions", exceptions_changes.exceptions),
    Section(
        "changes",
        "Changes since the last report",
        exceptions_changes.changes,
        lambda d: d.facts["previous"] is not None,
    ),
    Section("status_by_theme", "Status by theme", _status_by_theme),
    Section("survey_results", "Survey results", surveys.survey_results, _has_surveys),
    Section(
        "maturity", "Targets and maturity", assurance.maturity, lambda d: not d.assessments.empty
    ),
    Section("risk", "Risk", assurance.risk, lambda d: not d.risks.empty),
    Section("accountability", "Accountability", progress.accountability),
    Section(
        "local_analysis", local.TITLE, local.local_analysis, lambda d: bool(local.notebooks(d))
    ),
    Section("data_quality", "Data quality", audit.data_quality),
    Section("items", "Every item and its status", appendix_items.all_items, part=APPENDIX),
    Section(
        "timeline",
        "Milestones timeline",
        appendix_items.timeline,
        lambda d: bool(d.items["current_due"].notna().any()),
        APPENDIX,
    ),
    Section(
        "measure_charts",
        "Charts of the measures",
        making_data_count.measure_charts,
        making_data_count.has_measure_charts,
        APPENDIX,
    ),
    Section(
        "coverage",
        "Framework coverage",
        assurance.coverage,
        lambda d: not d.coverage.empty,
        APPENDIX,
    ),
    Section(
        "risk_register",
        "Risk register",
        assurance.risk_register,
        lambda d: not d.risks.empty,
        APPENDIX,
    ),
    Section(
        "survey_evidence",
        "Survey evidence by theme",
        surveys.survey_evidence,
        lambda d: not d.survey_evidence.empty,
        APPENDIX,
    ),
    Section("survey_detail", "Survey detail", surveys.survey_detail, surveys.has_detail, APPENDIX),
    Section("provenance", "Provenance", audit.provenance, part=APPENDIX),
)
"""Every section, in the report's order: the body, then the appendices."""

BY_ID = {s.id: s for s in SECTIONS}


def contents(data: ReportData, part: str | None = None) -> list[Section]:
    """The listed sections this report shows, in order (only those of ``part`` when given)."""
    return [
        s
        for s in SECTIONS
        if s.title is not None and (part is None or s.part == part) and s.shown(data)
    ]


def appendix_letter(section: Section, data: ReportData) -> str:
    """The letter of an appendix among the appendices this report shows (A, B, …)."""
    shown = [s.id for s in contents(data, APPENDIX)]
    return ascii_uppercase[shown.index(section.id)]


def show(section: Markup | None) -> None:
    """Display a section in the notebook; a section not shown (``None``) displays nothing."""
    from IPython.display import HTML, display

    if section is not None:
        display(HTML(str(section)))
