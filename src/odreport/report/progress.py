"""Sections on the plan's progress: the title block, headline, exceptions, changes, status by
theme, milestones timeline, trend and accountability.

Each function prepares what its section shows and renders ``templates/sections/<id>.html.j2``;
the section's heading comes from :mod:`odreport.report.registry`.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from odreport.metrics import spc
from odreport.metrics.derive import BRAG_ORDER, fmt_date, period_label, period_short
from odreport.report import charts, narrative, present
from odreport.report.data import ReportData
from odreport.report.templating import render


def _date(iso: str) -> str:
    return fmt_date(pd.Timestamp(iso))


def prepared_for(data: ReportData) -> str:
    """The meeting the report is prepared for (or the governing body, when none is known)."""
    meeting = data.facts.get("meeting")
    if not meeting:
        return data.org["governing_body"]
    text = f"{meeting['body']} meeting on {_date(meeting['date'])}"
    if meeting.get("papers_due"):
        text += f" (papers due {_date(meeting['papers_due'])})"
    return text


def header(data: ReportData, contents: list[str]) -> Markup:
    """Title block: organisation, plan, reporting period, data as-of date, the notes that
    figures are illustrative, and the contents (``contents``: the titles of the sections
    shown)."""
    org, facts = data.org, data.facts
    meta = [
        ("Organisation", org["name"]),
        ("Plan", f"{org['plan_title']} ({_date(org['plan_start'])} to {_date(org['plan_end'])})"),
        ("Reporting period", facts["period_label"]),
        ("Data as at", _date(facts["reporting_date"])),
        ("Prepared for", prepared_for(data)),
        ("Source document", org["source_document"]),
    ]
    notes = []
    if facts.get("content", {}).get("note"):  # plan content not transcribed (metrics.content)
        notes.append(facts["content"]["note"])
    if facts["illustrative"]:
        notes.append(facts["illustrative_note"])
    if facts.get("surveys", {}).get("illustrative_note"):
        notes.append(facts["surveys"]["illustrative_note"])
    notes += narrative.notes(data)
    return render(
        "sections/header.html.j2",
        organisation=org["name"],
        title=(
            f"{org['short_name']}: organisational development progress report, "
            f"{facts['period_label']}"
        ),
        meta=meta,
        notes=notes,
        contents=contents,
        meeting_note=narrative.meeting_note(data),  # written for the meeting, if any
    )


def headline(data: ReportData) -> Markup:
    """Generated headline sentences and key figures."""
    cur = data.facts["current"]
    figures = [
        (f"{data.noun}s in the plan", str(cur["items"])),
        ("complete", f"{cur['share_complete']}%"),
        ("overdue", str(cur["overdue"])),
        ("due date moved", str(cur["slipped"])),
    ]
    return render("sections/headline.html.j2", sentences=data.facts["headline"], figures=figures)


EXCEPTION_COLUMNS = {
    "action_ref": "Ref",
    "action": "Item",
    "lead": "Lead",
    "timescale": "Timescale (plan)",
    "original": "Original due",
    "current": "Current due",
    "days_overdue": "Days overdue",
    "brag": "Status",
    "commentary": "Latest commentary",
}


def exception_items(data: ReportData) -> pd.DataFrame:
    """Every overdue, off-track or slipped item, oldest current due date first."""
    items = data.items
    rows = items[items["overdue"] | (items["brag"] == "Off track") | items["slipped"]]
    return rows.sort_values(["current_due", "action_ref"], na_position="last")


def exceptions(data: ReportData) -> Markup:
    """Every overdue, off-track or slipped item with its lead and dates."""
    rows = exception_items(data)
    table = None
    if not rows.empty:
        rows = rows.assign(
            original=rows["original_due"].map(fmt_date), current=rows["current_due"].map(fmt_date)
        )
        table = present.table(
            rows,
            f"Exceptions at {data.facts['period_label']}",
            EXCEPTION_COLUMNS,
            numeric=["days_overdue"],
            row_header="action_ref",
            brag_column="brag",
        )
    return render("sections/exceptions.html.j2", noun=data.noun, count=len(rows), table=table)


CHANGES = ("Newly complete", "Newly off track", "New slippage")


def changes(data: ReportData) -> Markup:
    """Newly complete, newly off track and new slippage since the previous report."""
    prev = period_label(data.facts["previous"]["period"])
    counts = data.changes["change"].value_counts()
    table = None
    if not data.changes.empty:
        table = present.table(
            data.changes,
            f"Changes between {prev} and {data.facts['period_label']}",
            {
                "change": "Change",
                "action_ref": "Ref",
                "action": "Item",
                "lead": "Lead",
                "before": "Before",
                "now": "Now",
            },
            row_header="action_ref",
        )
    return render(
        "sections/changes.html.j2",
        noun=data.noun,
        previous=prev,
        counted=", ".join(f"{counts.get(c, 0)} {c.lower()}" for c in CHANGES),
        table=table,
    )


def status_by_theme(data: ReportData) -> Markup:
    """BRAG stacked bars per theme, with a text alternative and the data table."""
    sbt = data.status_by_theme
    counts = data.facts["current"]["counts"]
    alt_text = (
        f"{data.facts['current']['items']} {data.noun}s across {sbt['theme'].nunique()} themes: "
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
    shown = [b for b in BRAG_ORDER if b in wide.columns]
    figure = present.figure(
        charts.status_by_theme_chart(sbt),
        alt_text,
        wide,
        "Items by theme and status",
        columns={"theme": "Theme"} | {b: b for b in shown},
        numeric=shown,
    )
    themes = present.table(
        data.themes,
        f"Themes of the plan, their leads and {data.noun}s",
        {
            "theme_ref": "Ref",
            "theme": "Theme",
            "lead": "Lead",
            "items": f"{data.noun.capitalize()}s",
            "complete": "Complete",
        },
        numeric=["items", "complete"],
        row_header="theme_ref",
    )
    return render("sections/status_by_theme.html.j2", figure=figure, themes=themes)


def timeline(data: ReportData) -> Markup:
    """Dated items on a time axis with the reporting date marked."""
    items = data.items[data.items["current_due"].notna()].copy()
    plan_start = pd.Timestamp(data.org["plan_start"])
    start = items["start"].fillna(plan_start)
    items["start"] = start.where(start <= items["current_due"], items["current_due"])
    undated = len(data.items) - len(items)
    alt_text = (
        f"{len(items)} dated {data.noun}s from {fmt_date(items['start'].min())} to "
        f"{fmt_date(items['current_due'].max())}; the dashed line marks the reporting date, "
        f"{_date(data.facts['reporting_date'])}."
        + (f" {undated} ongoing or undated {data.noun}s are not shown." if undated else "")
    )
    chart = charts.timeline_chart(
        items[["action_ref", "start", "current_due", "brag"]].assign(
            start=items["start"].dt.strftime("%Y-%m-%d"),
            current_due=items["current_due"].dt.strftime("%Y-%m-%d"),
        ),
        data.facts["reporting_date"],
    )
    figure = present.figure(
        chart,
        alt_text,
        items.assign(
            start_text=items["start"].map(fmt_date), due_text=items["current_due"].map(fmt_date)
        ),
        "Dated items",
        {
            "action_ref": "Ref",
            "action": "Item",
            "start_text": "Start",
            "due_text": "Due",
            "brag": "Status",
        },
    )
    return render("sections/figures.html.j2", figures=[figure], tables=[])


TREND_MEASURES = (
    ("share_complete", "Complete (%)", "%", "up"),
    ("overdue", "Items overdue", "", "down"),
)
"""The plan's trend measures: column, title, unit, direction of improvement."""


def trend_figure(data: ReportData, value: str, title: str, unit: str, direction: str):
    """One trend measure over the periods so far: an XmR chart (Making Data Count) with at
    least :data:`odreport.metrics.spc.MIN_POINTS` periods, else a run chart."""
    t = data.trend
    labels = [period_short(p) for p in t["period"]]
    if len(t) >= spc.MIN_POINTS:
        result = spc.xmr(t[value].tolist(), labels, improvement=direction)
        return present.figure(
            charts.xmr_chart(result, title),
            spc.describe(result, title.replace(" (%)", ""), unit),
            result.points.assign(value=result.points["value"].map(lambda v: f"{v:g}")),
            f"{title} by reporting period",
            {
                "label": "Period",
                "value": title,
                "variation": "Variation",
                "rules": "Special-cause rule",
            },
            numeric=["value"],
        )
    first, last = t[value].iloc[0], t[value].iloc[-1]
    return present.figure(
        charts.run_chart(t, value, title),
        f"{title}: {first:g}{unit} in {labels[0]}, {last:g}{unit} in {labels[-1]}.",
        t.assign(label=labels),
        f"{title} by reporting period",
        {"label": "Period", value: title},
        numeric=[value],
    )


def trend(data: ReportData) -> Markup:
    """Share complete and number overdue over the periods so far: XmR charts (Making Data
    Count) when there are enough points, run charts otherwise."""
    return render(
        "sections/trend.html.j2",
        periods=len(data.trend),
        min_points=spc.MIN_POINTS,
        figures=[trend_figure(data, *measure) for measure in TREND_MEASURES],
    )


def accountability(data: ReportData) -> Markup:
    """Items owned by each lead, by status."""
    acc = data.accountability
    shown = [b for b in BRAG_ORDER if acc[b].sum() > 0]
    table = present.table(
        acc,
        f"{data.noun.capitalize()}s by lead and status",
        {"lead": "Lead"} | {b: b for b in shown} | {"Total": "Total", "Overdue": "Overdue"},
        numeric=[*shown, "Total", "Overdue"],
        row_header="lead",
    )
    return render("sections/figures.html.j2", figures=[], tables=[table])
