"""Appendices: every item and its status, grouped by theme, and the milestones timeline.

Each function prepares what its section shows and renders ``templates/sections/<id>.html.j2``;
the section's heading comes from :mod:`odreport.report.registry`; the counting rules are
stated once in :mod:`odreport.report.progress`.
"""

from __future__ import annotations

from itertools import groupby

import pandas as pd
from markupsafe import Markup

from odreport.metrics.derive import (
    fmt_date,
)
from odreport.report import charts, present
from odreport.report.data import ReportData
from odreport.report.present import date_text, lead_text
from odreport.report.templating import render, text

# --- appendices: every item, the timeline ------------------------------------------------------


ITEM_COLUMNS = {  # under a heading row for each theme
    "action_ref": "Ref",
    "action": "Item",
    "lead": "Lead",
    "timescale": "Timescale (plan)",
    "current": "Current due",
    "status": "Status reported",
    "brag": "BRAG",
    "commentary": "Latest commentary",
}


NO_THEME = "No theme named"


def all_items(data: ReportData) -> Markup:
    """Every item with its lead, timescale, current due date and status as reported ("No
    status reported" where the period has no progress row), under a heading row for each
    theme, in the plan's order (an item's theme is not repeated on every row)."""
    items = data.items.assign(
        current=data.items["current_due"].map(fmt_date),
        lead=data.items["lead"].map(lead_text),
    )
    table = present.table(
        items,
        f"Every {data.noun} at {data.facts['period_label']}, by theme",
        ITEM_COLUMNS,
        row_header="action_ref",
        brag_column="brag",
    )
    themes = [text(t) or NO_THEME for t in items["theme"]]
    groups = [
        (theme, [row for _, row in rows])
        for theme, rows in groupby(zip(themes, table.rows, strict=True), key=lambda p: p[0])
    ]
    return render("sections/items.html.j2", table=table, groups=groups)


ITEMS_APPENDIX = "the appendix Every item and its status"  # where each item's title is


def timeline(data: ReportData) -> Markup:
    """Dated items on a time axis with the reporting date marked. The chart's data table gives
    what the chart draws (reference, start, due date, status); each item's title is not
    repeated there: it is in the appendix of every item, as the table's caption says."""
    items = data.items[data.items["current_due"].notna()].copy()
    plan_start = pd.Timestamp(data.org["plan_start"])
    start = items["start"].fillna(plan_start)
    items["start"] = start.where(start <= items["current_due"], items["current_due"])
    undated = len(data.items) - len(items)
    alt_text = (
        f"{len(items)} dated {data.noun}s from {fmt_date(items['start'].min())} to "
        f"{fmt_date(items['current_due'].max())}; the dashed line marks the reporting date, "
        f"{date_text(data.facts['reporting_date'])}."
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
        f"Dated {data.noun}s: reference, start, due date and status (what each {data.noun} is: "
        f"{ITEMS_APPENDIX})",
        {
            "action_ref": "Ref",
            "start_text": "Start",
            "due_text": "Due",
            "brag": "Status",
        },
    )
    return render("sections/figures.html.j2", figures=[figure], tables=[])
