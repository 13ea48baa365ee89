"""What the report notebook calls: load the derived tables and build each section's HTML.

The notebook stays presentational: a parameters cell, then one call per section. Every
number and sentence comes from ``data/processed/<org>/<period>/`` written by the pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from odreport.metrics import spc, surveys
from odreport.metrics.derive import BRAG_ORDER, fmt_date, period_label, period_short
from odreport.report import charts, present

SECTIONS = [
    "Headline",
    "Exceptions: overdue and off-track items",
    "Status by theme",
    "Trend",
    "Data quality",
    "Provenance",
]


SUMMARY_NUMBERS = [
    "responses",
    *surveys.VALENCES,
    "base",
    "pct_favourable",
    "respondents",
    "skipped",
]

RISK_NUMBERS = [
    "severity",
    "likelihood",
    "rating",
    "residual_severity",
    "residual_likelihood",
    "residual_rating",
]


@dataclass
class ReportData:
    """The derived tables of one report."""

    summary: dict
    items: pd.DataFrame
    status_by_theme: pd.DataFrame
    trend: pd.DataFrame
    changes: pd.DataFrame
    accountability: pd.DataFrame
    themes: pd.DataFrame
    coverage: pd.DataFrame
    risks: pd.DataFrame
    assessments: pd.DataFrame
    survey_overview: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_options: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_comments: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_checks: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_published: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def org(self) -> dict:
        return self.summary["organisation"]

    @property
    def noun(self) -> str:
        return self.org["item_name"]


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return pd.DataFrame()


def _numbers(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for col in columns:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col].replace("", None))
    return frame


def load(processed_dir: str | Path) -> ReportData:
    """Read the derived tables the pipeline wrote for one organisation and period."""
    d = Path(processed_dir)
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    items = _read(d, "items")
    for col in ("start", "original_due", "current_due"):
        items[col] = pd.to_datetime(items[col].replace("", None))
    return ReportData(
        summary=summary,
        items=items,
        status_by_theme=_numbers(
            _read(d, "status_by_theme"), ["items", "brag_order", "theme_order"]
        ),
        trend=_numbers(_read(d, "trend"), ["share_complete", "overdue", "complete", "items"]),
        changes=_read(d, "changes"),
        accountability=_numbers(_read(d, "accountability"), [*BRAG_ORDER, "Total", "Overdue"]),
        themes=_numbers(_read(d, "themes"), ["items", "complete"]),
        coverage=_numbers(_read(d, "coverage"), ["actions", "off_track"]),
        risks=_numbers(_read(d, "risks"), RISK_NUMBERS),
        assessments=_numbers(_read(d, "assessments"), ["score", "target", "maturity_level"]),
        survey_overview=_numbers(
            _read(d, "survey_overview"), ["respondents", "population", "response_rate"]
        ),
        survey_summary=_numbers(_read(d, "survey_summary"), SUMMARY_NUMBERS),
        survey_options=_numbers(_read(d, "survey_options"), ["option_order", "count", "percent"]),
        survey_comments=_read(d, "survey_comments"),
        survey_trends=_numbers(_read(d, "survey_trends"), ["value", "base", "target"]),
        survey_evidence=_numbers(_read(d, "survey_evidence"), ["pct_favourable", "base"]),
        survey_checks=_numbers(_read(d, "survey_checks"), ["answered", "skipped", "respondents"]),
        survey_published=_numbers(
            _read(d, "survey_published"),
            ["option_order", "percent", "count", "answered", "skipped"],
        ),
    )


def sections(data: ReportData) -> list[str]:
    """The sections this report has, in order; sections with no data are left out."""
    dated = data.items["current_due"].notna().any()
    present = [
        ("Headline", True),
        ("Exceptions: overdue and off-track items", True),
        ("Changes since the last report", data.summary["previous"] is not None),
        ("Status by theme", True),
        ("Survey evidence by theme", not data.survey_evidence.empty),
        ("Milestones timeline", bool(dated)),
        ("Trend", len(data.trend) >= 2),
        ("Framework coverage", not data.coverage.empty),
        ("Maturity", not data.assessments.empty),
        ("Risk", not data.risks.empty),
        ("Survey results", not data.survey_overview.empty),
        ("Accountability", True),
        ("Data quality", True),
        ("Provenance", True),
    ]
    return [name for name, shown in present if shown]


def show(section: HTML | None) -> None:
    """Display a section in the notebook; a section without data (``None``) shows nothing."""
    if section is not None:
        display(section)


def _prepared_for(data: ReportData) -> str:
    meeting = data.summary.get("meeting")
    if not meeting:
        return data.org["governing_body"]
    text = f"{meeting['body']} meeting on {fmt_date(pd.Timestamp(meeting['date']))}"
    if meeting.get("papers_due"):
        text += f" (papers due {fmt_date(pd.Timestamp(meeting['papers_due']))})"
    return text


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
        ("Prepared for", _prepared_for(data)),
        ("Source document", org["source_document"]),
    ]
    title = f"{org['short_name']}: organisational development progress report, {s['period_label']}"
    html = (
        f'<header class="report-header"><p class="org">{present.esc(org["name"])}</p>'
        f"<h1>{present.esc(title)}</h1>{present.definition_list(meta).data}</header>"
    )
    if s.get("content", {}).get("note"):  # plan content not transcribed (metrics.content)
        html += present.notice(s["content"]["note"]).data
    if s["illustrative"]:
        html += present.notice(s["illustrative_note"]).data
    if s.get("surveys", {}).get("illustrative_note"):
        html += present.notice(s["surveys"]["illustrative_note"]).data
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
        + present.table(
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
    )


MIN_SPC_POINTS = 5  # fewer: a plain run chart; 5 to 11: XmR with trial limits


def trend(data: ReportData) -> HTML | None:
    """Share complete and number overdue over the periods so far: XmR charts (Making Data
    Count) when there are enough points, run charts otherwise."""
    t = data.trend
    if len(t) < 2:
        return None
    out = present.heading("Trend").data
    measures = [
        ("share_complete", "Complete (%)", "%", "up"),
        ("overdue", "Items overdue", "", "down"),
    ]
    if len(t) < MIN_SPC_POINTS:
        out += (
            f"<p>{len(t)} reporting periods so far: too few for statistical process control "
            f"(at least {MIN_SPC_POINTS} are needed), so these are plain run charts.</p>"
        )
    for value, title, unit, direction in measures:
        labels = [period_short(p) for p in t["period"]]
        if len(t) >= MIN_SPC_POINTS:
            result = spc.xmr(t[value].tolist(), labels, improvement=direction)
            chart = charts.xmr_chart(result, title)
            summary = spc.describe(result, title.replace(" (%)", ""), unit)
            table = result.points.assign(value=result.points["value"].map(lambda v: f"{v:g}"))
            cols = {
                "label": "Period",
                "value": title,
                "variation": "Variation",
                "rules": "Special-cause rule",
            }
        else:
            first, last = t.iloc[0], t.iloc[-1]
            summary = (
                f"{title}: {first[value]:g}{unit} in {labels[0]}, "
                f"{last[value]:g}{unit} in {labels[-1]}."
            )
            chart = charts.run_chart(t, value, title)
            table = t.assign(label=labels)
            cols = {"label": "Period", value: title}
        out += present.figure(
            chart, summary, table, f"{title} by reporting period", cols, numeric=["value", value]
        ).data
    return HTML(out)


def data_quality(data: ReportData) -> HTML:
    """Warnings from validation: inconsistencies in the source that do not stop the report."""
    rows = pd.DataFrame(data.summary["data_quality"], columns=["table", "row", "column", "message"])
    out = present.heading("Data quality").data
    if content := data.summary.get("content", {}).get("tables"):  # plan content not transcribed
        out += present.paragraphs([data.summary["content"]["intro"]]).data + present.table(
            pd.DataFrame(content),
            "Plan content not transcribed from the source document",
            {
                "table": "Table",
                "rows": "Rows",
                "reconstructed": "Reconstructed",
                "illustrative": "Illustrative",
            },
            numeric=["rows"],
        )
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
            {"table": "Table", "row": "Row", "column": "Column", "message": "Warning"},
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


def changes(data: ReportData) -> HTML | None:
    """Newly complete, newly off track and new slippage since the previous report."""
    if data.summary["previous"] is None:
        return None
    out = present.heading("Changes since the last report").data
    prev = data.summary["previous"]["period"]
    if data.changes.empty:
        return HTML(
            out + f"<p>No {data.noun} was completed, went off track or slipped since "
            f"{present.esc(period_label(prev))}.</p>"
        )
    counts = data.changes["change"].value_counts()
    parts = [
        f"{counts.get(c, 0)} {c.lower()}"
        for c in ("Newly complete", "Newly off track", "New slippage")
    ]
    out += f"<p>Since {present.esc(period_label(prev))}: {present.esc(', '.join(parts))}.</p>"
    return HTML(
        out
        + present.table(
            data.changes,
            f"Changes between {period_label(prev)} and {data.summary['period_label']}",
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
    )


def timeline(data: ReportData) -> HTML | None:
    """Dated items on a time axis with the reporting date marked."""
    items = data.items[data.items["current_due"].notna()].copy()
    if items.empty:
        return None
    plan_start = pd.Timestamp(data.org["plan_start"])
    items["start"] = (
        items["start"]
        .fillna(plan_start)
        .where(items["start"].fillna(plan_start) <= items["current_due"], items["current_due"])
    )
    undated = len(data.items) - len(items)
    summary = (
        f"{len(items)} dated {data.noun}s from {fmt_date(items['start'].min())} to "
        f"{fmt_date(items['current_due'].max())}; the dashed line marks the reporting date, "
        f"{fmt_date(pd.Timestamp(data.summary['reporting_date']))}."
        + (f" {undated} ongoing or undated {data.noun}s are not shown." if undated else "")
    )
    table = items.assign(
        start_text=items["start"].map(fmt_date), due_text=items["current_due"].map(fmt_date)
    )
    chart = charts.timeline_chart(
        items[["action_ref", "start", "current_due", "brag"]].assign(
            start=items["start"].dt.strftime("%Y-%m-%d"),
            current_due=items["current_due"].dt.strftime("%Y-%m-%d"),
        ),
        data.summary["reporting_date"],
    )
    return HTML(
        present.heading("Milestones timeline").data
        + present.figure(
            chart,
            summary,
            table,
            "Dated items",
            {
                "action_ref": "Ref",
                "action": "Item",
                "start_text": "Start",
                "due_text": "Due",
                "brag": "Status",
            },
        ).data
    )


def coverage(data: ReportData) -> HTML | None:
    """Framework domains the actions cover, and the gaps."""
    cov = data.coverage
    if cov.empty:
        return None
    gaps = cov[cov["gap"].fillna("") != ""]
    out = present.heading("Framework coverage").data
    names = {  # as a heading: plural, capitalised
        "FoE": "Framework of Excellence domains",
        "AD": "Assurance domains",
        "AUTH": "Authorisation domains",
        "WCC": "World Class Commissioning competencies",
        "7S": "McKinsey 7S categories",
        "KD": "Key deliverables",
    }
    for fw, part in cov.groupby("framework", sort=False):
        label = names.get(fw, f"{fw} domains")
        n_gap = int((part["gap"].fillna("") != "").sum())
        out += (
            f"<p>{present.esc(label)}: {len(part) - n_gap} of {len(part)} have at "
            f"least one {present.esc(data.noun)} not off track"
            + (f"; {n_gap} {'is a gap' if n_gap == 1 else 'are gaps'}." if n_gap else ".")
            + "</p>"
        )
    out += present.table(
        cov,
        "Actions supporting each framework domain",
        {
            "framework": "Framework",
            "code": "Code",
            "name": "Domain",
            "actions": "Actions",
            "off_track": "Off track",
            "gap": "Gap",
        },
        numeric=["actions", "off_track"],
    )
    del gaps
    return HTML(out)


def maturity(data: ReportData) -> HTML | None:
    """Self-assessment or competency scores against targets."""
    a = data.assessments
    if a.empty:
        return None
    out = present.heading("Maturity").data
    for (fw, scale, assessed), part in a.groupby(["framework", "scale", "assessed"], sort=False):
        part = part.drop_duplicates(["code", "target", "target_date"]).copy()
        first = part.drop_duplicates("code")
        top = 100 if scale == "percent" else max(4, float(first["score"].max()))
        unit = "%" if scale == "percent" else ""
        with_target = part[part["target"].notna()]
        met = int((with_target["score"] >= with_target["target"]).sum())
        summary = (
            f"{len(first)} {fw} domains assessed in {assessed}: scores from "
            f"{first['score'].min():g}{unit} to {first['score'].max():g}{unit}"
            + (f"; {met} of {len(with_target)} targets already met." if len(with_target) else ".")
        )
        chart_data = first[["domain", "score"]].merge(
            part.sort_values("target_date").drop_duplicates("domain")[["domain", "target"]],
            on="domain",
            how="left",
        )
        cols = {
            "code": "Code",
            "domain": "Domain",
            "score": "Score",
            "maturity_level": "Maturity level",
            "target": "Target",
            "target_date": "Target date",
        }
        out += present.figure(
            charts.maturity_chart(chart_data, top, f"Score ({scale})"),
            summary,
            part,
            f"{fw} scores, {assessed}",
            {k: v for k, v in cols.items() if k in part},
            numeric=["score", "target", "maturity_level"],
        ).data
    return HTML(out)


def risk(data: ReportData) -> HTML | None:
    """Inherent and residual risk on severity × likelihood heat maps, with the register."""
    r = data.risks
    if r.empty:
        return None
    grid = charts.risk_grid(r)
    high = int((r["rating"] >= 15).sum())
    res_high = int((r["residual_rating"] >= 15).sum())
    summary = (
        f"{len(r)} risks: {high} rated red (15 or more) before mitigation, "
        f"{res_high} after mitigation."
    )
    cols = {
        "risk_ref": "Ref",
        "risk": "Risk",
        "severity": "S",
        "likelihood": "L",
        "rating": "Rating",
        "rag": "RAG",
        "mitigation": "Mitigation",
        "residual_severity": "Residual S",
        "residual_likelihood": "Residual L",
        "residual_rating": "Residual rating",
        "residual_rag": "Residual RAG",
    }
    out = (
        present.heading("Risk").data
        + present.figure(
            charts.risk_heatmap(grid),
            summary,
            grid[grid["risks"] > 0],
            "Risks per severity and likelihood",
            {
                "stage": "Stage",
                "severity": "Severity",
                "likelihood": "Likelihood",
                "risks": "Risks",
                "refs": "Refs",
                "band": "Band",
            },
            numeric=["severity", "likelihood", "risks"],
        ).data
    )
    out += present.table(
        r,
        "Risk register as published",
        cols,
        row_header="risk_ref",
        numeric=RISK_NUMBERS,
    )
    return HTML(out)


def accountability(data: ReportData) -> HTML:
    """Items owned by each lead, by status."""
    acc = data.accountability
    shown = [b for b in BRAG_ORDER if b in acc and acc[b].sum() > 0]
    cols = {"lead": "Lead"} | {b: b for b in shown} | {"Total": "Total", "Overdue": "Overdue"}
    return HTML(
        present.heading("Accountability").data
        + present.table(
            acc,
            f"{data.noun.capitalize()}s by lead and status",
            cols,
            numeric=[*shown, "Total", "Overdue"],
            row_header="lead",
        )
    )


# --- surveys -------------------------------------------------------------------------------


def _pct_text(value: object) -> str:
    """A percentage with the report's rounding rule (half up); blank when missing."""
    if value is None or pd.isna(value):
        return ""
    return f"{int(float(value) + 0.5)}%"


def _count_text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _settings(data: ReportData) -> surveys.SurveySettings:
    s = data.summary.get("surveys", {})
    return surveys.SurveySettings(
        min_group_size=int(s.get("min_group_size", surveys.DEFAULT_MIN_GROUP)),
        comments=bool(s.get("comments", True)),
    )


def _favourable_text(row: pd.Series, hidden: str) -> str:
    if str(row.get("suppressed")) == "True":
        return hidden
    if pd.isna(row.get("pct_favourable")):
        return "no rated answers"
    return f"{_pct_text(row['pct_favourable'])} (base {_count_text(row['base'])})"


def survey_evidence(data: ReportData) -> HTML | None:
    """Under each plan theme, the survey questions that evidence it and their latest result."""
    ev = data.survey_evidence
    if ev.empty:
        return None
    hidden = surveys.suppressed_text(_settings(data))
    out = present.heading("Survey evidence by theme").data
    out += (
        "<p>What respondents said about each theme of the plan: the latest wave of every survey "
        "question linked to the theme. Percent favourable excludes “Don't know” and skipped "
        "answers from the base.</p>"
    )
    themes = data.themes.sort_values("theme_ref", key=lambda s: s.map(_theme_order(data)))
    without = []
    for _, theme in themes.iterrows():
        part = ev[ev["theme_ref"] == theme["theme_ref"]].copy()
        if part.empty:
            without.append(f"{theme['theme_ref']} {theme['theme']}")
            continue
        part["favourable"] = [
            hidden if pd.isna(v) and pd.isna(b) else _favourable_text(r, hidden)
            for (_, r), v, b in zip(
                part.iterrows(), part["pct_favourable"], part["base"], strict=True
            )
        ]
        out += present.heading(f"{theme['theme_ref']} {theme['theme']}", level=3).data
        out += present.table(
            part,
            f"Survey evidence for {theme['theme']}",
            {
                "survey": "Survey",
                "fielded": "Fielded",
                "question_ref": "Ref",
                "question": "Question",
                "favourable": "Favourable",
                "trend": "Trend",
            },
            row_header="question_ref",
        )
    if without:
        out += f"<p>No survey question is linked to: {present.esc('; '.join(without))}.</p>"
    return HTML(out)


def _theme_order(data: ReportData) -> dict[str, int]:
    return {ref: i for i, ref in enumerate(data.themes["theme_ref"])}


def survey_results(data: ReportData) -> HTML | None:
    """Each survey: response, diverging bars per question, results by group (suppressed below
    the threshold), comments under their question, and XmR trends across pulse waves."""
    ov = data.survey_overview
    if ov.empty:
        return None
    settings = _settings(data)
    hidden = surveys.suppressed_text(settings)
    out = present.heading("Survey results").data
    out += (
        "<p>Percent favourable is the share of rated answers in the favourable options; "
        "“Don't know” and skipped answers are counted apart. "
        + (
            f"To protect respondents, any group with fewer than {settings.min_group_size} "
            f"responses shows “{present.esc(hidden)}”, and further groups are hidden where the "
            "suppressed figures could otherwise be worked out from the totals.</p>"
            if settings.min_group_size > 1
            else "No group is suppressed in this version (minimum group size 1).</p>"
        )
    )
    ov = ov.assign(key=ov["series"].replace("", None).fillna(ov["survey_id"]))
    latest = ov.drop_duplicates("key", keep="last")
    for _, survey in latest.iterrows():
        out += _one_survey(data, survey, settings, hidden)
    for series, waves in ov[ov["series"] != ""].groupby("series", sort=False):
        out += _series_trends(data, str(series), waves)
    return HTML(out)


def _one_survey(data: ReportData, survey: pd.Series, settings, hidden: str) -> str:
    sid = survey["survey_id"]
    title = survey["title"] + (f", {period_label(survey['fielded'])}" if survey["fielded"] else "")
    out = present.heading(title, level=3).data
    suppressed = str(survey["suppressed"]) == "True"
    meta = [
        ("Audience", survey["audience"]),
        ("Fielded", period_label(survey["fielded"]) if survey["fielded"] else "not stated"),
        ("Respondents", hidden if suppressed else _count_text(survey["respondents"])),
    ]
    if not pd.isna(survey["population"]):
        meta.append(("People asked", _count_text(survey["population"])))
        meta.append(("Response rate", hidden if suppressed else _pct_text(survey["response_rate"])))
    meta.append(("Source", survey["source"]))
    out += present.definition_list(meta).data
    summ = data.survey_summary[data.survey_summary["survey_id"] == sid]
    overall = summ[summ["group_by"] == surveys.ALL]
    opts = data.survey_options[
        (data.survey_options["survey_id"] == sid) & (data.survey_options["group_by"] == surveys.ALL)
    ]
    segments = surveys.diverging_segments(opts, overall)
    if not segments.empty:
        out += _diverging_figure(segments, overall, opts)
    elif not overall.empty and overall["suppressed"].astype(str).eq("True").all():
        out += f"<p>All results: {present.esc(hidden)}.</p>"
    out += _published_table(data, sid)
    out += _published_mismatches(data, sid)
    out += _group_tables(summ, hidden)
    out += _comments(data, sid, settings)
    return out


def _published_table(data: ReportData, sid: str) -> str:
    """The source's own figures, question by question: percent of those who answered (count)."""
    pub = data.survey_published
    if pub.empty or not (pub["survey_id"] == sid).any():
        return ""
    pub = pub[pub["survey_id"] == sid]  # in the source's order: scales stay together
    pub = pub.assign(
        cell=[
            f"{p:g}% ({_count_text(c)})" if not pd.isna(c) else f"{p:g}%"
            for p, c in zip(pub["percent"], pub["count"], strict=True)
        ]
    )
    options = list(dict.fromkeys(pub["option"]))
    wide = pub.pivot_table(
        index="question_ref", columns="option", values="cell", aggfunc="first", sort=False
    )
    per_q = pub.groupby("question_ref", sort=False).agg(
        question=("question", "first"), answered=("answered", "max"), skipped=("skipped", "max")
    )
    table = per_q.join(wide[options]).reset_index().fillna({o: "" for o in options})
    columns = {"question_ref": "Ref", "question": "Question"} | {o: o for o in options}
    columns |= {"answered": "Answered", "skipped": "Skipped"}
    return present.heading("Results as published", level=4).data + present.table(
        table,
        "Each question as the source published it: percent of those who answered (count)",
        columns,
        numeric=["answered", "skipped"],
        row_header="question_ref",
    )


def _published_mismatches(data: ReportData, sid: str) -> str:
    checks = data.survey_checks
    if checks.empty:
        return ""
    mine = checks[checks["survey_id"] == sid]
    if mine.empty:
        return ""
    items = "".join(
        f"<li>{present.esc(r['question_ref'])} ({present.esc(r['question'])}): answered "
        f"{_count_text(r['answered'])} + skipped {_count_text(r['skipped'])} = "
        f"{_count_text(r['answered'] + r['skipped'])}, not the survey's "
        f"{_count_text(r['respondents'])} respondents.</li>"
        for _, r in mine.iterrows()
    )
    return (
        '<div class="notice" role="note"><p><strong>Check against the source:</strong> '
        f"these published figures do not add up; they are shown as published.</p>"
        f"<ul>{items}</ul></div>"
    )


def _diverging_figure(segments: pd.DataFrame, overall: pd.DataFrame, opts: pd.DataFrame) -> str:
    refs = list(dict.fromkeys(segments["question_ref"]))
    rows = overall.set_index("question_ref").loc[refs].reset_index()
    rows["label"] = [
        surveys.short_question(r, q)
        for r, q in zip(rows["question_ref"], rows["question"], strict=True)
    ]
    excluded = opts[opts["valence"] == surveys.EXCLUDED].groupby("question_ref")["option"].first()
    rows["apart"] = [
        f"{excluded.get(r, 'Excluded')} {_count_text(e)}; skipped {_count_text(s) or 'n/a'}"
        if e
        else f"skipped {_count_text(s) or 'n/a'}"
        for r, e, s in zip(rows["question_ref"], rows["excluded"], rows["skipped"], strict=True)
    ]
    best = rows.loc[rows["pct_favourable"].idxmax()]
    worst = rows.loc[rows["pct_favourable"].idxmin()]
    summary = (
        f"{len(rows)} rated question{'s' if len(rows) != 1 else ''}: percent favourable from "
        f"{_pct_text(worst['pct_favourable'])} ({worst['question_ref']}) to "
        f"{_pct_text(best['pct_favourable'])} ({best['question_ref']})."
    )
    table = rows.copy()
    wide = segments.pivot_table(
        index="question_ref", columns="option", values="percent", aggfunc="sum"
    )
    option_cols = (
        segments.sort_values(["rank", "option_order"])["option"].drop_duplicates().tolist()
    )
    for opt in option_cols:
        table[f"opt:{opt}"] = table["question_ref"].map(wide[opt]).map(_pct_text)
    table["favourable_text"] = table["pct_favourable"].map(_pct_text)
    table["base_text"] = table["base"].map(_count_text)
    table["skipped_text"] = table["skipped"].map(_count_text)
    table["excluded_text"] = table["excluded"].map(_count_text)
    columns = {"question_ref": "Ref", "question": "Question"}
    columns |= {f"opt:{o}": o for o in option_cols}
    columns |= {
        "favourable_text": "Favourable",
        "base_text": "Base",
        "excluded_text": "Don't know",
        "skipped_text": "Skipped",
    }
    numeric = [c for c in columns if c not in ("question_ref", "question")]
    apart = rows[["label", "apart"]].rename(columns={"apart": "text"})
    return present.figure(
        charts.diverging_chart(segments, apart),
        summary,
        table,
        "Answers per question, as a share of the base",
        columns,
        numeric=numeric,
    ).data


def _group_tables(summ: pd.DataFrame, hidden: str) -> str:
    out = ""
    rated = summ[summ["base"].notna() | summ["suppressed"].astype(str).eq("True")]
    for group_by, label in surveys.GROUP_COLUMNS.items():
        part = rated[rated["group_by"] == group_by]
        if part.empty:
            continue
        part = part.assign(
            cell=[_favourable_text(r, hidden) for _, r in part.iterrows()],
            qlabel=part["question_ref"],
        )
        wide = part.pivot_table(
            index="group", columns="qlabel", values="cell", aggfunc="first", sort=False
        )
        refs = list(dict.fromkeys(part["question_ref"]))
        wide = wide[refs].reset_index()
        hidden_n = int(
            part.drop_duplicates("group")["group"]
            .isin(part.loc[part["suppressed"].astype(str).eq("True"), "group"])
            .sum()
        )
        out += present.heading(f"Percent favourable by {label.lower()}", level=4).data
        out += (
            f"<p>{wide.shape[0]} {label.lower()} groups; {hidden_n} with at least one result "
            "suppressed.</p>"
        )
        out += present.table(
            wide,
            f"Percent favourable (base) by {label.lower()} and question",
            {"group": label} | {r: r for r in refs},
            row_header="group",
        )
    return out


def _comments(data: ReportData, sid: str, settings) -> str:
    out = present.heading("Comments", level=4).data
    if not settings.comments:
        return out + "<p>Free-text comments are not shown in this version of the report.</p>"
    com = data.survey_comments[data.survey_comments["survey_id"] == sid]
    if com.empty:
        return out + (
            "<p>No comments to show (none were given, or the survey had fewer than "
            f"{settings.min_group_size} respondents).</p>"
        )
    out += "<p>As written by respondents, with e-mail addresses and telephone numbers removed.</p>"
    for ref, part in com.groupby("question_ref", sort=False):
        out += (
            f'<p class="question"><strong>{present.esc(ref)}</strong> '
            f"{present.esc(part['question'].iloc[0])} ({len(part)} comment"
            f'{"s" if len(part) != 1 else ""})</p><ul class="comments">'
            + "".join(f"<li>{present.esc(c)}</li>" for c in part["comment"])
            + "</ul>"
        )
    return out


def _series_trends(data: ReportData, series: str, waves: pd.DataFrame) -> str:
    trend = data.survey_trends[data.survey_trends["series"] == series]
    if trend.empty:
        return ""
    out = present.heading(f"Trends across {series} waves", level=3).data
    n = len(waves)
    out += (
        f"<p>{n} wave{'s' if n != 1 else ''} so far. Each measure is percent favourable of all "
        "respondents per wave, read as a Making Data Count XmR chart: mean, process limits at "
        f"mean ± 2.66 × mean moving range (trial limits under {spc.BASELINE} points), special-cause "
        f"variation flagged by the four rules. Under {surveys.MIN_TREND_POINTS} waves the values "
        "are listed without limits.</p>"
    )
    for measure, points in trend.groupby("measure", sort=False):
        if str(measure).startswith("theme:") and (
            trend[
                (trend["theme_ref"] == points["theme_ref"].iloc[0])
                & ~trend["measure"].str.startswith("theme:")
            ]["measure"].nunique()
            < 2
        ):
            continue  # a theme with one question: its score is that question's
        out += _trend_figure(points)
    return out


def _trend_figure(points: pd.DataFrame) -> str:
    label = points["measure_label"].iloc[0]
    title = "Percent favourable"
    shown = points[points["value"].notna()]
    result = surveys.trend_analysis(points)
    target = points["target"].iloc[0]
    target = None if pd.isna(target) else float(target)
    if result is None:
        summary = (
            f"{label}: "
            + ", ".join(
                f"{_pct_text(v)} in {period_short(w)}"
                for w, v in zip(shown["wave"], shown["value"], strict=True)
            )
            + "."
        )
        if len(shown) < len(points):
            summary += f" {len(points) - len(shown)} wave(s) suppressed."
        table = points.assign(
            value_text=points["value"].map(_pct_text), base_text=points["base"].map(_count_text)
        )
        return (
            present.heading(label, level=4).data
            + present.table(
                table.assign(wave_label=table["wave"].map(period_short)),
                f"{label} by wave",
                {"wave_label": "Wave", "value_text": title, "base_text": "Base"},
                numeric=["value_text", "base_text"],
            )
            + f"<p>{present.esc(summary)}</p>"
        )
    result.points["label"] = [period_short(w) for w in shown["wave"]]
    summary = spc.describe(result, label, "%")
    table = result.points.assign(
        value=result.points["value"].map(_pct_text),
        base=shown["base"].map(_count_text).tolist(),
    )
    return present.figure(
        charts.xmr_chart(result, title, target=target, trial=result.trial),
        summary,
        table,
        f"{label} by wave",
        {
            "label": "Wave",
            "value": title,
            "base": "Base",
            "variation": "Variation",
            "rules": "Special-cause rule",
        },
        numeric=["value", "base"],
    ).data
