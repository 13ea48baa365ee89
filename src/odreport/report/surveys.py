"""Survey sections: the survey evidence under each plan theme, and each survey's results
(response, diverging bars per question, results as published, results by group with small
groups suppressed, comments under their question, and XmR trends across pulse waves).

Everything here is already suppressed and redacted by :mod:`odreport.metrics.surveys`; this
module only chooses what to show and how to word it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from odreport.metrics import spc, surveys
from odreport.metrics.derive import period_label, period_short
from odreport.report import charts, present
from odreport.report.data import ReportData
from odreport.report.present import count_text, pct_text, plural
from odreport.report.templating import render


def favourable_text(row: dict | pd.Series, hidden: str) -> str:
    """A result as a cell shows it: ``64% (base 40)``, the suppression text, or ``no rated
    answers``."""
    if row.get("suppressed"):
        return hidden
    if pd.isna(row.get("pct_favourable")):
        return "no rated answers"
    return f"{pct_text(row['pct_favourable'])} (base {count_text(row['base'])})"


EVIDENCE_COLUMNS = {
    "survey": "Survey",
    "fielded": "Fielded",
    "question_ref": "Ref",
    "question": "Question",
    "favourable": "Favourable",
    "trend": "Trend",
}


def survey_evidence(data: ReportData) -> Markup:
    """Under each plan theme, the survey questions that evidence it and their latest result."""
    ev = data.survey_evidence
    hidden = surveys.suppressed_text(data.survey_settings)
    themes, without = [], []
    for theme in data.themes.to_dict("records"):
        part = ev[ev["theme_ref"] == theme["theme_ref"]]
        name = f"{theme['theme_ref']} {theme['theme']}"
        if part.empty:
            without.append(name)
            continue
        part = part.assign(
            favourable=[
                hidden
                if pd.isna(r["pct_favourable"]) and pd.isna(r["base"])
                else favourable_text(r, hidden)
                for r in part.to_dict("records")
            ]
        )
        table = present.table(
            part,
            f"Survey evidence for {theme['theme']}",
            EVIDENCE_COLUMNS,
            row_header="question_ref",
        )
        themes.append({"name": name, "table": table})
    return render("sections/survey_evidence.html.j2", themes=themes, without="; ".join(without))


# --- survey results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """A published question whose answered + skipped is not the survey's respondents."""

    question_ref: str
    question: str
    answered: str
    skipped: str
    total: str
    respondents: str


@dataclass(frozen=True)
class GroupTable:
    """Percent favourable by one grouping (directorate, team, staff group)."""

    label: str
    groups: int
    suppressed: int
    table: present.Table


@dataclass(frozen=True)
class CommentsOn:
    """The comments given to one question."""

    question_ref: str
    question: str
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Survey:
    """What the report shows of one survey."""

    title: str
    particulars: tuple[tuple[str, str], ...]
    bars: present.Figure | None
    all_hidden: bool
    published: present.Table | None
    mismatches: tuple[Mismatch, ...]
    groups: tuple[GroupTable, ...]
    comments_shown: bool
    comments: tuple[CommentsOn, ...]


@dataclass(frozen=True)
class Measure:
    """One pulse measure across waves: an XmR figure, or (too few waves) its values."""

    label: str
    figure: present.Figure | None
    table: present.Table | None
    sentence: str


@dataclass(frozen=True)
class Series:
    """The trends of one pulse series."""

    name: str
    waves: int
    measures: tuple[Measure, ...]


def survey_results(data: ReportData) -> Markup:
    """Each survey: response, diverging bars per question, results by group (suppressed below
    the threshold), comments under their question, and XmR trends across pulse waves."""
    settings = data.survey_settings
    hidden = surveys.suppressed_text(settings)
    ov = data.survey_overview
    ov = ov.assign(key=ov["series"].replace("", None).fillna(ov["survey_id"]))
    latest = ov.drop_duplicates("key", keep="last")
    shown = [one_survey(data, s, hidden) for s in latest.to_dict("records")]
    series = []
    for name, waves in ov[ov["series"] != ""].groupby("series", sort=False):
        trend = data.survey_trends[data.survey_trends["series"] == name]
        if not trend.empty:
            series.append(Series(str(name), len(waves), series_measures(trend)))
    return render(
        "sections/survey_results.html.j2",
        min_group_size=settings.min_group_size,
        hidden=hidden,
        surveys=shown,
        series=series,
        baseline=spc.BASELINE,
        min_points=spc.MIN_POINTS,
    )


def one_survey(data: ReportData, survey: dict, hidden: str) -> Survey:
    """What the report shows of one survey (``survey``: its row of ``survey_overview``)."""
    sid = survey["survey_id"]
    fielded = survey["fielded"]
    suppressed = bool(survey["suppressed"])
    particulars = [
        ("Audience", survey["audience"]),
        ("Fielded", period_label(fielded) if fielded else "not stated"),
        ("Respondents", hidden if suppressed else count_text(survey["respondents"])),
    ]
    if not pd.isna(survey["population"]):
        particulars.append(("People asked", count_text(survey["population"])))
        rate = hidden if suppressed else pct_text(survey["response_rate"])
        particulars.append(("Response rate", rate))
    particulars.append(("Source", survey["source"]))
    results = data.question_results[data.question_results["survey_id"] == sid]
    overall = results[results["group_by"] == surveys.ALL]
    opts = data.survey_options[
        (data.survey_options["survey_id"] == sid) & (data.survey_options["group_by"] == surveys.ALL)
    ]
    segments = surveys.diverging_segments(opts, overall)
    comments_shown = data.survey_settings.comments
    return Survey(
        title=survey["title"] + (f", {period_label(fielded)}" if fielded else ""),
        particulars=tuple(particulars),
        bars=diverging_figure(segments, overall, opts) if not segments.empty else None,
        all_hidden=segments.empty and not overall.empty and bool(overall["suppressed"].all()),
        published=published_table(data, sid),
        mismatches=mismatches(data, sid),
        groups=group_tables(results, hidden),
        comments_shown=comments_shown,
        comments=comments(data, sid) if comments_shown else (),
    )


def published_table(data: ReportData, sid: str) -> present.Table | None:
    """The source's own figures, question by question: percent of those who answered (count)."""
    pub = data.survey_published
    pub = pub[pub["survey_id"] == sid]  # in the source's order: scales stay together
    if pub.empty:
        return None
    pub = pub.assign(
        cell=[
            f"{p:g}% ({count_text(c)})" if not pd.isna(c) else f"{p:g}%"
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
    return present.table(
        table,
        "Each question as the source published it: percent of those who answered (count)",
        columns,
        numeric=["answered", "skipped"],
        row_header="question_ref",
    )


def mismatches(data: ReportData, sid: str) -> tuple[Mismatch, ...]:
    """The survey's published questions whose figures do not add up."""
    mine = data.survey_checks[data.survey_checks["survey_id"] == sid]
    return tuple(
        Mismatch(
            r["question_ref"],
            r["question"],
            count_text(r["answered"]),
            count_text(r["skipped"]),
            count_text(r["answered"] + r["skipped"]),
            count_text(r["respondents"]),
        )
        for r in mine.to_dict("records")
    )


def diverging_figure(
    segments: pd.DataFrame, overall: pd.DataFrame, opts: pd.DataFrame
) -> present.Figure:
    """Diverging stacked bars of every rated question, with the answers counted apart
    ("Don't know", skipped) beside them, and the shares as a table."""
    refs = list(dict.fromkeys(segments["question_ref"]))
    rows = overall.set_index("question_ref").loc[refs].reset_index()
    rows["label"] = [
        surveys.short_question(r, q)
        for r, q in zip(rows["question_ref"], rows["question"], strict=True)
    ]
    excluded = opts[opts["valence"] == surveys.EXCLUDED].groupby("question_ref")["option"].first()
    rows["apart"] = [
        f"{excluded.get(r, 'Excluded')} {count_text(e)}; skipped {count_text(s) or 'n/a'}"
        if not pd.isna(e) and e
        else f"skipped {count_text(s) or 'n/a'}"
        for r, e, s in zip(rows["question_ref"], rows["excluded"], rows["skipped"], strict=True)
    ]
    best = rows.loc[rows["pct_favourable"].idxmax()]
    worst = rows.loc[rows["pct_favourable"].idxmin()]
    alt_text = (
        f"{len(rows)} rated {plural(len(rows), 'question')}: percent favourable from "
        f"{pct_text(worst['pct_favourable'])} ({worst['question_ref']}) to "
        f"{pct_text(best['pct_favourable'])} ({best['question_ref']})."
    )
    table = rows.copy()
    wide = segments.pivot_table(
        index="question_ref", columns="option", values="percent", aggfunc="sum"
    )
    option_cols = (
        segments.sort_values(["rank", "option_order"])["option"].drop_duplicates().tolist()
    )
    for opt in option_cols:
        table[f"opt:{opt}"] = table["question_ref"].map(wide[opt]).map(pct_text)
    table["favourable_text"] = table["pct_favourable"].map(pct_text)
    table["base_text"] = table["base"].map(count_text)
    table["skipped_text"] = table["skipped"].map(count_text)
    table["excluded_text"] = table["excluded"].map(count_text)
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
        alt_text,
        table,
        "Answers per question, as a share of the base",
        columns,
        numeric=numeric,
    )


def group_tables(results: pd.DataFrame, hidden: str) -> tuple[GroupTable, ...]:
    """Percent favourable (base) per group and question, one table per grouping."""
    out = []
    rated = results[results["base"].notna() | results["suppressed"]]
    for group_by, label in surveys.GROUP_COLUMNS.items():
        part = rated[rated["group_by"] == group_by]
        if part.empty:
            continue
        part = part.assign(cell=[favourable_text(r, hidden) for r in part.to_dict("records")])
        wide = part.pivot_table(
            index="group", columns="question_ref", values="cell", aggfunc="first", sort=False
        )
        refs = list(dict.fromkeys(part["question_ref"]))
        wide = wide[refs].reset_index()
        groups = part.drop_duplicates("group")["group"]
        suppressed = int(groups.isin(part.loc[part["suppressed"], "group"]).sum())
        name = label.lower()
        table = present.table(
            wide,
            f"Percent favourable (base) by {name} and question",
            {"group": label} | {r: r for r in refs},
            row_header="group",
        )
        out.append(GroupTable(name, wide.shape[0], suppressed, table))
    return tuple(out)


def comments(data: ReportData, sid: str) -> tuple[CommentsOn, ...]:
    """The survey's comments (redacted), under their question."""
    com = data.survey_comments[data.survey_comments["survey_id"] == sid]
    return tuple(
        CommentsOn(str(ref), part["question"].iloc[0], tuple(part["comment"]))
        for ref, part in com.groupby("question_ref", sort=False)
    )


def series_measures(trend: pd.DataFrame) -> tuple[Measure, ...]:
    """Every measure of a series shown as a trend; a theme with one question is left out (its
    score is that question's)."""
    questions = trend[~trend["measure"].str.startswith("theme:")]
    per_theme = questions.groupby("theme_ref")["measure"].nunique()
    out = []
    for measure, points in trend.groupby("measure", sort=False):
        if str(measure).startswith("theme:") and per_theme.get(points["theme_ref"].iloc[0], 0) < 2:
            continue
        out.append(trend_measure(points))
    return tuple(out)


TREND_TITLE = "Percent favourable"


def trend_measure(points: pd.DataFrame) -> Measure:
    """One measure's waves: an XmR chart from :data:`odreport.metrics.spc.MIN_POINTS` waves
    shown, else the values listed."""
    label = points["measure_label"].iloc[0]
    shown = points[points["value"].notna()]
    result = surveys.trend_analysis(points)
    if result is None:
        listed = ", ".join(
            f"{pct_text(v)} in {period_short(w)}"
            for w, v in zip(shown["wave"], shown["value"], strict=True)
        )
        sentence = f"{label}: {listed}."
        if len(shown) < len(points):
            sentence += f" {len(points) - len(shown)} wave(s) suppressed."
        table = points.assign(
            wave_label=points["wave"].map(period_short),
            value_text=points["value"].map(pct_text),
            base_text=points["base"].map(count_text),
        )
        return Measure(
            label,
            None,
            present.table(
                table,
                f"{label} by wave",
                {"wave_label": "Wave", "value_text": TREND_TITLE, "base_text": "Base"},
                numeric=["value_text", "base_text"],
            ),
            sentence,
        )
    target = points["target"].iloc[0]
    result.points["label"] = [period_short(w) for w in shown["wave"]]
    figure = present.figure(
        charts.xmr_chart(
            result,
            TREND_TITLE,
            target=None if pd.isna(target) else float(target),
            trial=result.trial,
        ),
        spc.describe(result, label, "%"),
        result.points.assign(
            value=result.points["value"].map(pct_text),
            base=shown["base"].map(count_text).tolist(),
        ),
        f"{label} by wave",
        {
            "label": "Wave",
            "value": TREND_TITLE,
            "base": "Base",
            "variation": "Variation",
            "rules": "Special-cause rule",
        },
        numeric=["value", "base"],
    )
    return Measure(label, figure, None, "")
