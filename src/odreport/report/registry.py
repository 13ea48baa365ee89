"""The report's sections, in order: one registry for the notebook, the contents and the tests.

Each :class:`Section` has an id (the notebook calls ``report.<id>(data)``), a title (its
heading and its line in the contents), the function that draws its body, and when it is
shown (a section with nothing to show is left out of the report and of its contents).
``scripts/make_notebook.py`` writes the notebook's cells from :data:`SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from odreport.report import assurance, audit, local, narrative, progress, surveys
from odreport.report.data import ReportData
from odreport.report.templating import render


def _always(data: ReportData) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One section of the report."""

    id: str
    title: str | None  # None: the title block, not listed in the contents
    body: Callable[[ReportData], Markup]
    shown: Callable[[ReportData], bool] = _always

    def __call__(self, data: ReportData) -> Markup | None:
        """The section's HTML (heading and body), or ``None`` when it is not shown."""
        if not self.shown(data):
            return None
        if self.title is None:
            return self.body(data)
        return render("sections/section.html.j2", title=self.title, body=self.body(data))


def _header(data: ReportData) -> Markup:
    return progress.header(data, [s.title for s in contents(data)])


def _headline(data: ReportData) -> Markup:
    return progress.headline(data) + narrative.commentary(data)  # commentary people wrote


def _status_by_theme(data: ReportData) -> Markup:
    return progress.status_by_theme(data) + narrative.by_theme(data)  # and on each theme


SECTIONS: tuple[Section, ...] = (
    Section("header", None, _header),
    Section("headline", "Headline", _headline),
    Section("exceptions", "Exceptions: overdue and off-track items", progress.exceptions),
    Section(
        "changes",
        "Changes since the last report",
        progress.changes,
        lambda d: d.facts["previous"] is not None,
    ),
    Section("status_by_theme", "Status by theme", _status_by_theme),
    Section(
        "survey_evidence",
        "Survey evidence by theme",
        surveys.survey_evidence,
        lambda d: not d.survey_evidence.empty,
    ),
    Section(
        "timeline",
        "Milestones timeline",
        progress.timeline,
        lambda d: bool(d.items["current_due"].notna().any()),
    ),
    Section("trend", "Trend", progress.trend, lambda d: len(d.trend) >= 2),
    Section("coverage", "Framework coverage", assurance.coverage, lambda d: not d.coverage.empty),
    Section("maturity", "Maturity", assurance.maturity, lambda d: not d.assessments.empty),
    Section("risk", "Risk", assurance.risk, lambda d: not d.risks.empty),
    Section(
        "survey_results",
        "Survey results",
        surveys.survey_results,
        lambda d: not d.survey_overview.empty,
    ),
    Section("accountability", "Accountability", progress.accountability),
    Section(
        "local_analysis", local.TITLE, local.local_analysis, lambda d: bool(local.notebooks(d))
    ),
    Section("data_quality", "Data quality", audit.data_quality),
    Section("provenance", "Provenance", audit.provenance),
)
"""Every section, in the report's order."""

BY_ID = {s.id: s for s in SECTIONS}


def contents(data: ReportData) -> list[Section]:
    """The listed sections this report shows, in order."""
    return [s for s in SECTIONS if s.title is not None and s.shown(data)]


def show(section: Markup | None) -> None:
    """Display a section in the notebook; a section not shown (``None``) displays nothing."""
    from IPython.display import HTML, display

    if section is not None:
        display(HTML(str(section)))
