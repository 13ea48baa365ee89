"""The catalogue, ``reports/index.html``: every rendered report, newest period first, with its
headline figures (``figures.json``, written beside each ``report.html``).

(Not to be confused with ``report/templates/odreport/index.html.j2``, nbconvert's page
template for one report: nbconvert requires that file name.)
"""

from __future__ import annotations

import json
from pathlib import Path

from odreport.files import atomic_write, read_json
from odreport.paths import Project
from odreport.report.templating import environment

FIGURES = "figures.json"  # headline figures written beside each report.html
CATALOGUE = "index.html"  # in reports/: what a browser opens for the folder


def write_figures(report_dir: Path, facts: dict) -> dict:
    """Save the headline figures the catalogue shows, and the particulars a printed copy's
    running header shows (full name, meeting, reporting date), beside the report
    (``facts``: the report's facts, as derived by the pipeline); return them."""
    cur = facts["current"]
    figures = {
        "org": facts["organisation"]["org_id"],
        "organisation": facts["organisation"]["short_name"],
        "organisation_name": facts["organisation"]["name"],
        "meeting": facts.get("meeting"),
        "reporting_date": facts["reporting_date"],
        "period": facts["period"],
        "period_label": facts["period_label"],
        "items": cur["items"],
        "item_name": facts["organisation"]["item_name"],
        "share_complete": cur["share_complete"],
        "overdue": cur["overdue"],
        "off_track": cur["counts"]["Off track"],
        "illustrative": facts["illustrative"],
    }
    text = json.dumps(figures, indent=2, sort_keys=True) + "\n"
    atomic_write(report_dir / FIGURES, text)
    return figures


_FIGURE_TYPES = {
    "org": str,
    "organisation": str,
    "period": str,
    "period_label": str,
    "items": int,
    "item_name": str,
    "share_complete": (int, float),
    "overdue": int,
    "off_track": int,
    "illustrative": bool,
}


def _is_figures(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(key), kind) for key, kind in _FIGURE_TYPES.items()
    )


def catalogue_entries(project: Project, staged: dict[Path, dict] | None = None) -> list[dict]:
    """The headline figures of every rendered report, newest period first, then by name;
    ``staged`` maps report folders to the figures of reports about to be put there. A damaged
    ``figures.json`` is left out with a warning (its report is rebuilt by the next run of its
    organisation)."""
    staged = staged or {}
    rows = []
    found = {p.parent for p in project.reports.glob(f"*/*/{FIGURES}")}
    for folder in sorted(found | set(staged)):
        if folder in staged:
            rows.append(staged[folder])
            continue
        if not (folder / "report.html").exists():
            continue
        figures = read_json(folder / FIGURES, _is_figures, FIGURES, project.root)
        if figures is not None:
            rows.append(figures)
    rows.sort(key=lambda r: r["organisation"])
    rows.sort(key=lambda r: r["period"], reverse=True)  # stable: newest first, then by name
    return rows


def render_catalogue(entries: list[dict]) -> str:
    """The catalogue page listing ``entries`` (from the ``catalogue.html.j2`` template)."""
    return environment().get_template("catalogue.html.j2").render(reports=entries)


def write_catalogue(
    project: Project, staged: dict[Path, dict] | None = None, out: Path | None = None
) -> Path:
    """Write ``reports/index.html`` (or ``out``) atomically, listing every report that has been
    rendered (and those ``staged``: see :func:`catalogue_entries`)."""
    html = render_catalogue(catalogue_entries(project, staged))
    out = out or project.reports / CATALOGUE
    out.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(out, html)
