"""The catalogue, ``reports/index.html``: every rendered report, newest period first, with its
headline figures (``figures.json``, written beside each ``report.html``).

(Not to be confused with ``report/templates/odreport/index.html.j2``, nbconvert's page
template for one report: nbconvert requires that file name.)
"""

from __future__ import annotations

import json
from pathlib import Path

from odreport.paths import Project
from odreport.publish.files import write_atomic
from odreport.report.templating import environment

FIGURES = "figures.json"  # headline figures written beside each report.html
CATALOGUE = "index.html"  # in reports/: what a browser opens for the folder


def write_figures(report_dir: Path, summary: dict) -> None:
    """Save the headline figures the catalogue shows, and the particulars a printed copy's
    running header shows (full name, meeting, reporting date), beside the report
    (``summary``: the report's facts, as derived by the pipeline)."""
    cur = summary["current"]
    figures = {
        "org": summary["organisation"]["org_id"],
        "organisation": summary["organisation"]["short_name"],
        "organisation_name": summary["organisation"]["name"],
        "meeting": summary.get("meeting"),
        "reporting_date": summary["reporting_date"],
        "period": summary["period"],
        "period_label": summary["period_label"],
        "items": cur["items"],
        "item_name": summary["organisation"]["item_name"],
        "share_complete": cur["share_complete"],
        "overdue": cur["overdue"],
        "off_track": cur["counts"]["Off track"],
        "illustrative": summary["illustrative"],
    }
    text = json.dumps(figures, indent=2, sort_keys=True) + "\n"
    (report_dir / FIGURES).write_text(text, encoding="utf-8")


def catalogue_entries(project: Project) -> list[dict]:
    """The headline figures of every rendered report, newest period first, then by name."""
    rows = []
    for path in sorted(project.reports.glob(f"*/*/{FIGURES}")):
        if not (path.parent / "report.html").exists():
            continue
        rows.append(json.loads(path.read_text(encoding="utf-8")))
    rows.sort(key=lambda r: r["organisation"])
    rows.sort(key=lambda r: r["period"], reverse=True)  # stable: newest first, then by name
    return rows


def render_catalogue(entries: list[dict]) -> str:
    """The catalogue page listing ``entries`` (from the ``catalogue.html.j2`` template)."""
    return environment().get_template("catalogue.html.j2").render(reports=entries)


def write_catalogue(project: Project) -> Path:
    """Write ``reports/index.html`` (atomically) listing every report that has been rendered."""
    html = render_catalogue(catalogue_entries(project))
    return write_atomic(project.reports / CATALOGUE, html)
