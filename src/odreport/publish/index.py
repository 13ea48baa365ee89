"""``reports/index.html``: every rendered report, newest period first, with headline figures."""

from __future__ import annotations

import json
from pathlib import Path

from odreport.paths import Project
from odreport.publish.files import atomic_write, read_json
from odreport.publish.render import TEMPLATES
from odreport.report.present import esc

FIGURES = "figures.json"  # headline figures written beside each report.html


def write_figures(report_dir: Path, summary: dict) -> dict:
    """Save the headline figures the index shows, beside the report; return them."""
    cur = summary["current"]
    figures = {
        "org": summary["organisation"]["org_id"],
        "organisation": summary["organisation"]["short_name"],
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


def index_rows(project: Project, staged: dict[Path, dict] | None = None) -> list[dict]:
    """The figures of every rendered report; ``staged`` maps report folders to the figures of
    reports about to be put there. A damaged ``figures.json`` is left out with a warning (its
    report is rebuilt by the next run of its organisation)."""
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
    return rows


def build_index(
    project: Project, staged: dict[Path, dict] | None = None, out: Path | None = None
) -> Path:
    """Write ``reports/index.html`` (or ``out``) listing every report that has been rendered
    (and those ``staged``: see :func:`index_rows`)."""
    rows = index_rows(project, staged)
    rows.sort(key=lambda r: r["organisation"])
    rows.sort(key=lambda r: r["period"], reverse=True)  # stable: newest first, then by name
    body = []
    for r in rows:
        link = f"{r['org']}/{r['period']}/report.html"
        body.append(
            "<tr>"
            f'<th scope="row"><a href="{esc(link)}">{esc(r["organisation"])}</a></th>'
            f"<td>{esc(r['period_label'])}</td>"
            f'<td class="num">{esc(r["items"])}</td>'
            f'<td class="num">{esc(r["share_complete"])}%</td>'
            f'<td class="num">{esc(r["overdue"])}</td>'
            f'<td class="num">{esc(r["off_track"])}</td>'
            f"<td>{'Illustrative' if r['illustrative'] else 'Reported'}</td>"
            "</tr>"
        )
    css = (TEMPLATES / "odreport" / "report.css").read_text(encoding="utf-8")
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Organisational development progress reports</title>\n<style>\n{css}</style>\n"
        '</head>\n<body>\n<main id="main">\n'
        "<h1>Organisational development progress reports</h1>\n"
        f"<p>{len(rows)} report{'s' if len(rows) != 1 else ''}, newest reporting period first.</p>\n"
        '<table class="data"><caption>Rendered reports and their headline figures</caption>'
        '<thead><tr><th scope="col">Organisation</th><th scope="col">Reporting period</th>'
        '<th scope="col">Items</th><th scope="col">Complete</th><th scope="col">Overdue</th>'
        '<th scope="col">Off track</th><th scope="col">Progress data</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>\n</main>\n</body>\n</html>\n"
    )
    out = out or project.reports / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(out, html)
