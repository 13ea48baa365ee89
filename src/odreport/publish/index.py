"""``reports/index.html``: every rendered report, newest period first, with headline figures."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from odreport.paths import Project
from odreport.publish.render import TEMPLATES
from odreport.report.present import esc

FIGURES = "figures.json"  # headline figures written beside each report.html


def write_figures(report_dir: Path, summary: dict) -> None:
    """Save the headline figures the index shows, beside the report."""
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
    (report_dir / FIGURES).write_text(text, encoding="utf-8")


def build_index(project: Project) -> Path:
    """Write ``reports/index.html`` listing every report that has been rendered."""
    rows = []
    for path in sorted(project.reports.glob(f"*/*/{FIGURES}")):
        if not (path.parent / "report.html").exists():
            continue
        rows.append(json.loads(path.read_text(encoding="utf-8")))
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
    out = project.reports / "index.html"
    project.reports.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=project.reports, prefix=".index-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(html)
    os.replace(tmp, out)
    return out
