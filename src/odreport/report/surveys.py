"""Survey sections: each survey's highlights in the body (response, diverging bars per
question with their base, the most frequent comments under their question) and its detail in
an appendix (results as published, results by group with small groups suppressed, the other
comments, XmR trends across pulse waves), and the survey evidence under each plan theme.

Each figure is shown once, with its base named: percent favourable and the shares of the
bars are *recomputed* from the answers (rated answers only: "Don't know" and skipped are
counted apart); the source's own percentages are shown in the appendix labelled *as
published* (percent of all who answered). Comments are grouped: identical or near-identical
comments (:func:`group_comments`) are counted once ("4 respondents said …").

Everything here is already suppressed and redacted by :mod:`odreport.metrics.surveys`; this
module only chooses what to show and how to word it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from odreport.inputs.surveymonkey import GRID_SEPARATOR
from odreport.metrics import surveys
from odreport.metrics.derive import period_label
from odreport.report import diverging_charts, present
from odreport.report.comments import (
    BODY_COMMENT_GROUPS,
    CommentsOn,
    grouped_comments,
    split_comments,
)
from odreport.report.data import ReportData
from odreport.report.present import count_text, pct_text, plural
from odreport.report.templating import render


def favourable_text(row: dict | pd.Series, hidden: str) -> str:
    """A result as a cell of a table captioned "Percent favourable (base)" shows it: ``64% (40)``,
    the suppression text, or ``no rated answers``."""
    if row.get("suppressed"):
        return hidden
    if pd.isna(row.get("pct_favourable")):
        return "no rated answers"
    return f"{pct_text(row['pct_favourable'])} ({count_text(row['base'])})"


EVIDENCE_COLUMNS = {
    "survey": "Survey",
    "fielded_text": "Fielded",
    "question_ref": "Ref",
    "question": "Question",
    "trend": "Trend",
}


def survey_evidence(data: ReportData) -> Markup:
    """Under each plan theme, the survey questions that evidence it (their results are shown
    once, under Survey results) and, for pulse questions, their trend: one table."""
    ev = data.survey_evidence
    order = {t: i for i, t in enumerate(data.themes["theme_ref"])}
    names = dict(zip(data.themes["theme_ref"], data.themes["theme"], strict=True))
    rows = ev[ev["theme_ref"].isin(order)].assign(
        order=ev["theme_ref"].map(order),
        theme=ev["theme_ref"].map(lambda r: f"{r} {names.get(r, '')}"),
        fielded_text=ev["fielded"].map(lambda f: period_label(f) if f else "not stated"),
    )
    rows = rows.sort_values("order", kind="stable").reset_index(drop=True)
    columns = dict(EVIDENCE_COLUMNS)
    if not (rows["trend"] != "").any():
        columns.pop("trend")
    # a grid question's stem said once per survey, above the table; each row shows its item
    shown = rows["question"].tolist()
    stems = []
    for survey, part in rows.groupby("survey", sort=False):
        items, said = grid_items(
            part["question_ref"].tolist(), part["question"].tolist(), part.index.tolist()
        )
        for i, item in zip(part.index, items, strict=True):
            shown[i] = item
        stems += [f"{survey}: {s}" for s in said]
    rows = rows.assign(question=shown)
    table = present.table(
        rows,
        "Survey questions evidencing each theme",
        {"theme": "Theme"} | columns,
        row_header="question_ref",
    )
    without = [
        f"{r} {names[r]}" for r in data.themes["theme_ref"] if r not in set(rows["theme_ref"])
    ]
    return render(
        "sections/survey_evidence.html.j2", table=table, without="; ".join(without), stems=stems
    )


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
class Survey:
    """What the body shows of one survey: particulars, the bars and the first comments."""

    key: str
    title: str
    particulars: tuple[tuple[str, str], ...]
    bars: present.Figure | None
    all_hidden: bool
    comments_shown: bool
    comments: tuple[CommentsOn, ...]  # the first BODY_COMMENT_GROUPS groups per question
    more_comments: int  # groups left for the appendix
    series: str  # the pulse series of the survey ("" when none)
    source: str = ""  # where the survey's figures come from, said under them


@dataclass(frozen=True)
class SurveyDetail:
    """What the appendix shows of one survey: figures as published, by group, the other
    comments."""

    title: str
    published: present.Table | None
    mismatches: tuple[Mismatch, ...]
    groups: tuple[GroupTable, ...]
    comments: tuple[CommentsOn, ...]  # the groups after the first BODY_COMMENT_GROUPS

    @property
    def empty(self) -> bool:
        return not (self.published or self.mismatches or self.groups or self.comments)


def latest_surveys(data: ReportData) -> list[dict]:
    """The surveys shown: each one-off survey, and the latest wave of each pulse series."""
    ov = data.survey_overview
    ov = ov.assign(key=ov["series"].replace("", None).fillna(ov["survey_id"]))
    return ov.drop_duplicates("key", keep="last").to_dict("records")


def survey_results(data: ReportData) -> Markup:
    """Each survey's highlights: response, diverging bars per question (percent of the base,
    named), and the most frequent comments under their question; pulse trends are in the
    table of measures."""
    settings = data.survey_settings
    hidden = surveys.suppressed_text(settings)
    shown = [one_survey(data, s, hidden) for s in latest_surveys(data)]
    return render(
        "sections/survey_results.html.j2",
        min_group_size=settings.min_group_size,
        hidden=hidden,
        surveys=shown,
        first=BODY_COMMENT_GROUPS,
        names_listed=data.facts.get("surveys", {}).get("names_listed", 0),
    )


def one_survey(data: ReportData, survey: dict, hidden: str) -> Survey:
    """What the body shows of one survey (``survey``: its row of ``survey_overview``)."""
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
    results = data.question_results[data.question_results["survey_id"] == sid]
    overall = results[results["group_by"] == surveys.ALL]
    opts = data.survey_options[
        (data.survey_options["survey_id"] == sid) & (data.survey_options["group_by"] == surveys.ALL)
    ]
    segments = surveys.diverging_segments(opts, overall)
    comments_shown = data.survey_settings.comments
    body, rest = split_comments(grouped_comments(data, sid)) if comments_shown else ((), ())
    pulse = (
        bool(survey["series"])
        and not data.survey_trends[data.survey_trends["survey_id"] == sid].empty
    )
    return Survey(
        key=survey["key"],
        title=survey_title(survey),
        particulars=tuple(particulars),
        bars=diverging_figure(segments, overall, opts, favourable=not pulse)
        if not segments.empty
        else None,
        all_hidden=segments.empty and not overall.empty and bool(overall["suppressed"].all()),
        comments_shown=comments_shown,
        comments=body,
        more_comments=sum(len(q.groups) for q in rest),
        series=survey["series"],
        source=survey["source"],
    )


def survey_title(survey: dict) -> str:
    """A survey's title with the month it was fielded."""
    fielded = survey["fielded"]
    if not fielded or period_label(fielded) in survey["title"]:
        return survey["title"]
    return f"{survey['title']}, {period_label(fielded)}"


def one_detail(data: ReportData, survey: dict) -> SurveyDetail:
    """What the appendix shows of one survey."""
    sid = survey["survey_id"]
    results = data.question_results[data.question_results["survey_id"] == sid]
    rest: tuple[CommentsOn, ...] = ()
    if data.survey_settings.comments:
        rest = split_comments(grouped_comments(data, sid))[1]
    return SurveyDetail(
        title=survey_title(survey),
        published=published_table(data, sid),
        mismatches=mismatches(data, sid),
        groups=group_tables(results),
        comments=rest,
    )


def has_detail(data: ReportData) -> bool:
    """Whether any survey has detail for the appendix: published figures, results by group,
    or more comments than the body shows."""
    if data.survey_overview.empty:
        return False
    if not data.survey_published.empty:
        return True
    if (data.question_results["group_by"] != surveys.ALL).any():
        return True
    if not data.survey_settings.comments:
        return False
    return any(
        len(q.groups) > BODY_COMMENT_GROUPS
        for s in latest_surveys(data)
        for q in grouped_comments(data, s["survey_id"])
    )


def survey_detail(data: ReportData) -> Markup:
    """The appendix of each survey: figures as published (labelled so), results by group and
    the comments not in the body (pulse trends are in the appendix of the measures)."""
    settings = data.survey_settings
    details = [one_detail(data, s) for s in latest_surveys(data)]
    return render(
        "sections/survey_detail.html.j2",
        cell=SUPPRESSED_CELL,
        min_group_size=settings.min_group_size,
        surveys=[d for d in details if not d.empty],
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
        "As published: percent of all who answered, “Don't know” included (count); the "
        "shares in Survey results are recomputed from the rated answers",
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
    segments: pd.DataFrame, overall: pd.DataFrame, opts: pd.DataFrame, favourable: bool = True
) -> present.Figure:
    """Diverging stacked bars of every rated question, with the answers counted apart
    ("Don't know", skipped) beside them, and the shares as a table. Without ``favourable``
    (a pulse wave, whose percent favourable is in the table of measures) the text and table
    leave percent favourable out, so that each figure is shown once."""
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
        f"{len(rows)} rated {plural(len(rows), 'question')}: percent favourable of the rated "
        f"answers from {pct_text(worst['pct_favourable'])} ({worst['question_ref']}, base "
        f"{count_text(worst['base'])}) to {pct_text(best['pct_favourable'])} "
        f"({best['question_ref']}, base {count_text(best['base'])})."
        if favourable
        else f"{len(rows)} rated {plural(len(rows), 'question')}: the share of each answer; "
        "percent favourable, with its base and trend, is in the table of measures."
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
    columns |= {"favourable_text": "Favourable"} if favourable else {}
    columns |= {
        "base_text": "Base",
        "excluded_text": "Don't know",
        "skipped_text": "Skipped",
    }
    numeric = [c for c in columns if c not in ("question_ref", "question")]
    apart = rows[["label", "apart"]].rename(columns={"apart": "text"})
    items, stems = grid_items(table["question_ref"].tolist(), table["question"].tolist())
    table["question"] = items
    return present.figure(
        diverging_charts.diverging_chart(segments, apart),
        alt_text,
        table,
        "Answers per question, recomputed as a share of the base (rated answers: "
        "“Don't know” and skipped counted apart)" + "".join(f". {s}" for s in stems),
        columns,
        numeric=numeric,
    )


def grid_items(
    refs: list[str], questions: list[str], rows_at: list[int] | None = None
) -> tuple[list[str], list[str]]:
    """Questions asked as items of one grid (``stem — item``, as
    :data:`odreport.inputs.surveymonkey.GRID_SEPARATOR` joins them) shown by their item, with
    the stem said once: the questions as a table shows them, and a sentence per stem shared by
    two or more (``Q1a to Q1f are items of one question: “…”``, "to" when they are
    consecutive rows of the table; ``rows_at``: each question's row in it, by default their
    order)."""
    rows_at = list(range(len(refs))) if rows_at is None else rows_at
    stems: dict[str, list[int]] = {}
    for i, question in enumerate(questions):
        if GRID_SEPARATOR in question:
            stems.setdefault(question.rsplit(GRID_SEPARATOR, 1)[0], []).append(i)
    shown = list(questions)
    sentences = []
    for stem, rows in stems.items():
        if len(rows) < 2:
            continue
        for i in rows:
            shown[i] = questions[i].rsplit(GRID_SEPARATOR, 1)[1]
        at = [rows_at[i] for i in rows]
        consecutive = at == list(range(at[0], at[0] + len(at)))
        named = (
            f"{refs[rows[0]]} to {refs[rows[-1]]}"
            if consecutive and len(rows) > 2
            else ", ".join(refs[i] for i in rows[:-1]) + f" and {refs[rows[-1]]}"
        )
        sentences.append(f"{named} are items of one question: “{stem}”")
    return shown, sentences


SUPPRESSED_CELL = "suppressed"  # a suppressed result in the tables by group (why: above them)


def group_tables(results: pd.DataFrame, hidden: str = SUPPRESSED_CELL) -> tuple[GroupTable, ...]:
    """Percent favourable (base) per group and question, one table per grouping; a suppressed
    result shows ``hidden`` (by default the one word :data:`SUPPRESSED_CELL`: the appendix
    says once, above the table, what it stands for)."""
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
