"""What the report notebook calls: load the derived tables and build each section's HTML.

The notebook stays presentational: a parameters cell, then one call per section. Every
number and sentence comes from ``data/processed/<org>/<period>/`` written by the pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from . import charts, present
from .derive import BRAG_ORDER, fmt_date

SECTIONS = [
    "Headline",
    "Exceptions: overdue and off-track items",
    "Status by theme",
    "Trend",
    "Data quality",
    "Provenance",
]


@dataclass
class ReportData:
    """The derived tables of one report."""

    summary: dict
    items: pd.DataFrame
    status_by_theme: pd.DataFrame
    trend: pd.DataFrame

    @property
    def org(self) -> dict:
        return self.summary["organisation"]

    @property
    def noun(self) -> str:
        return self.org["item_name"]


def load(processed_dir: str | Path) -> ReportData:
    """Read the derived tables the pipeline wrote for one organisation and period."""
    d = Path(processed_dir)
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    read = lambda name: pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)  # noqa: E731
    items = read("items")
    for col in ("start", "original_due", "current_due"):
        items[col] = pd.to_datetime(items[col].replace("", None))
    sbt = read("status_by_theme")
    sbt["items"] = sbt["items"].astype(int)
    sbt["brag_order"] = sbt["brag_order"].astype(int)
    trend = read("trend")
    for col in ("share_complete", "overdue", "complete", "items"):
        trend[col] = pd.to_numeric(trend[col])
    return ReportData(summary, items, sbt, trend)


def sections(data: ReportData) -> list[str]:
    """The sections this report has (sections with no data are left out)."""
    out = ["Headline", "Exceptions: overdue and off-track items", "Status by theme"]
    if len(data.trend) >= 2:
        out.append("Trend")
    out += ["Data quality", "Provenance"]
    return out


def header(data: ReportData) -> HTML:
    """Title block: organisation, plan, reporting period and data as-of date."""
    org, s = data.org, data.summary
    meta = [
        ("Organisation", org["name"]),
        (
            "Plan",
            f"{org['plan_title']} ({fmt_date(pd.Timestamp(org['plan_start']))} to "
            f"{fmt_date(pd.Timestamp(org['plan_end']))})",
        ),
        ("Reporting period", s["period_label"]),
        ("Data as at", fmt_date(pd.Timestamp(s["reporting_date"]))),
        ("Prepared for", org["governing_body"]),
        ("Source document", org["source_document"]),
    ]
    title = f"{org['short_name']}: organisational development progress report, {s['period_label']}"
    html = (
        f'<header class="report-header"><p class="org">{present.esc(org["name"])}</p>'
        f"<h1>{present.esc(title)}</h1>{present.definition_list(meta).data}</header>"
    )
    if s["illustrative"]:
        html += present.notice(s["illustrative_note"]).data
    html += present.contents(sections(data)).data
    return HTML(html)


def headline(data: ReportData) -> HTML:
    """Generated headline sentences and key figures."""
    cur = data.summary["current"]
    figures = [
        (f"{data.noun}s in the plan", str(cur["items"])),
        ("complete", f"{cur['share_complete']}%"),
        ("overdue", str(cur["overdue"])),
        ("due date moved", str(cur["slipped"])),
    ]
    return HTML(
        present.heading("Headline").data
        + '<div class="headline">'
        + present.paragraphs(data.summary["headline"]).data
        + "</div>"
        + present.key_figures(figures).data
    )


def exceptions(data: ReportData) -> HTML:
    """Every overdue, off-track or slipped item with its lead and dates."""
    items = data.items
    mask = (
        (items["overdue"] == "True") | (items["brag"] == "Off track") | (items["slipped"] == "True")
    )
    rows = items[mask].copy()
    out = present.heading("Exceptions: overdue and off-track items").data
    if rows.empty:
        return HTML(out + f'<p class="empty">No {data.noun} is overdue, off track or slipped.</p>')
    rows["status_html"] = rows["brag"]
    rows["original"] = rows["original_due"].map(fmt_date)
    rows["current"] = rows["current_due"].map(fmt_date)
    out += (
        f"<p>{len(rows)} {data.noun}{'s' if len(rows) != 1 else ''} overdue, off track or with "
        "a due date later than the plan's timescale, oldest due date first.</p>"
    )
    rows = rows.sort_values(["current_due", "action_ref"], na_position="last")
    out += present.table(
        rows,
        f"Exceptions at {data.summary['period_label']}",
        columns={
            "action_ref": "Ref",
            "action": "Item",
            "lead": "Lead",
            "timescale": "Timescale (plan)",
            "original": "Original due",
            "current": "Current due",
            "days_overdue": "Days overdue",
            "brag": "Status",
            "commentary": "Latest commentary",
        },
        numeric=["days_overdue"],
        row_header="action_ref",
        brag_column="brag",
    )
    return HTML(out)


def status_by_theme(data: ReportData) -> HTML:
    """BRAG stacked bars per theme, with a text summary and the data table."""
    sbt = data.status_by_theme
    counts = data.summary["current"]["counts"]
    summary = (
        f"{data.summary['current']['items']} {data.noun}s across {sbt['theme'].nunique()} themes: "
        + ", ".join(f"{counts[b]} {b.lower()}" for b in BRAG_ORDER if counts[b])
        + "."
    )
    wide = (
        sbt.pivot_table(
            index=["theme_order", "theme"],
            columns="brag",
            values="items",
            aggfunc="sum",
            fill_value=0,
        )
        .reset_index()
        .sort_values("theme_order")
    )
    cols = {"theme": "Theme"} | {b: b for b in BRAG_ORDER if b in wide.columns}
    return HTML(
        present.heading("Status by theme").data
        + present.figure(
            charts.status_by_theme_chart(sbt),
            summary,
            wide,
            "Items by theme and status",
            columns=cols,
            numeric=[b for b in BRAG_ORDER if b in wide.columns],
        ).data
    )


def trend(data: ReportData) -> HTML | None:
    """Run charts of share complete and number overdue over the periods so far."""
    t = data.trend
    if len(t) < 2:
        return None
    first, last = t.iloc[0], t.iloc[-1]
    s1 = (
        (
            f"Share complete rose from {first['share_complete']}% in {first['period']} to "
            f"{last['share_complete']}% in {last['period']}."
        )
        if last["share_complete"] >= first["share_complete"]
        else (f"Share complete fell from {first['share_complete']}% to {last['share_complete']}%.")
    )
    s2 = f"Items overdue: {first['overdue']} in {first['period']}, {last['overdue']} in {last['period']}."
    cols = {
        "period": "Period",
        "share_complete": "Complete (%)",
        "overdue": "Overdue",
        "complete": "Complete",
        "items": "Items",
    }
    out = present.heading("Trend").data
    out += present.figure(
        charts.run_chart(t, "share_complete", "Complete (%)"),
        s1,
        t,
        "Share complete by period",
        cols,
        ["share_complete", "overdue", "complete", "items"],
    ).data
    out += present.figure(
        charts.run_chart(t, "overdue", "Items overdue"),
        s2,
        t,
        "Items overdue by period",
        cols,
        ["share_complete", "overdue", "complete", "items"],
    ).data
    return HTML(out)


def data_quality(data: ReportData) -> HTML:
    """Warnings from validation: inconsistencies in the source that do not stop the report."""
    rows = pd.DataFrame(data.summary["data_quality"], columns=["file", "row", "column", "message"])
    out = present.heading("Data quality").data
    if rows.empty:
        return HTML(out + "<p>All inputs passed every data-quality check.</p>")
    out += (
        f"<p>{len(rows)} warning{'s' if len(rows) != 1 else ''}: the inputs are usable, but these "
        "rows are inconsistent in the source and are reported as published.</p>"
    )
    return HTML(
        out
        + present.table(
            rows,
            "Data-quality warnings",
            {"file": "File", "row": "Row", "column": "Column", "message": "Warning"},
            numeric=["row"],
        )
    )


def provenance(data: ReportData) -> HTML:
    """Inputs with checksums, code version, parameters and library versions."""
    p = data.summary["provenance"]
    out = present.heading("Provenance").data + '<div class="provenance">'
    out += present.definition_list(
        [("Code version", p["code_version"])]
        + [(f"Parameter {k}", v) for k, v in sorted(p["parameters"].items())]
        + [(k, v) for k, v in sorted(p["versions"].items())]
    ).data
    out += present.table(
        pd.DataFrame(p["inputs"]),
        "Input files and their SHA-256 checksums",
        {"file": "File", "sha256": "SHA-256"},
    )
    out += present.table(
        pd.DataFrame(p["code_files"]),
        "Notebook and expectation suites",
        {"file": "File", "sha256": "SHA-256"},
    )
    return HTML(out + "</div>")


def prepare(org: str, period: str = "") -> Path:
    """Run validation and derivation for interactive use (JupyterLab) and return the folder.

    The pipeline passes ``processed_dir`` itself, so a scheduled render never calls this.
    """
    from .paths import Project, find_root
    from .pipeline import derive_tables, load_and_validate, resolve_period, write_processed

    project = Project(find_root())
    checked = load_and_validate(project, org)
    period = resolve_period(checked.inputs, period or None)
    return write_processed(project, org, period, derive_tables(project, checked, period))
