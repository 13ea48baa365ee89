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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd
from markupsafe import Markup

from odreport.metrics import spc, surveys
from odreport.metrics.derive import period_label, period_short
from odreport.report import diverging_charts, present, spc_charts
from odreport.report.data import ReportData
from odreport.report.making_data_count import Measure, xmr_note
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
    rows = rows.sort_values("order", kind="stable")
    columns = dict(EVIDENCE_COLUMNS)
    if not (rows["trend"] != "").any():
        columns.pop("trend")
    table = present.table(
        rows,
        "Survey questions evidencing each theme",
        {"theme": "Theme"} | columns,
        row_header="question_ref",
    )
    without = [
        f"{r} {names[r]}" for r in data.themes["theme_ref"] if r not in set(rows["theme_ref"])
    ]
    return render("sections/survey_evidence.html.j2", table=table, without="; ".join(without))


# --- survey results ----------------------------------------------------------------------------

BODY_COMMENT_GROUPS = 3  # comment groups per question in the body; the rest in the appendix
SIMILAR = 0.9  # comments this similar (difflib ratio of their normalised text) are one group


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
class CommentGroup:
    """Identical or near-identical comments, counted once: the first one written, and how
    many respondents wrote it (or nearly)."""

    text: str
    count: int

    @property
    def said(self) -> str:
        """``4 respondents said: “…”``; a single comment as it is."""
        if self.count == 1:
            return self.text
        return f"{self.count} respondents said: “{self.text}”"


@dataclass(frozen=True)
class CommentsOn:
    """The comments given to one question, grouped (:func:`group_comments`)."""

    question_ref: str
    question: str
    comments: int  # comments written
    groups: tuple[CommentGroup, ...]


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


@dataclass(frozen=True)
class TrendMeasure:
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
    measures: tuple[TrendMeasure, ...]


def normalised(comment: str) -> str:
    """A comment as compared for grouping: case folded, punctuation and repeated spaces
    dropped."""
    words = re.sub(r"[^\w\s]", " ", comment.casefold())
    return " ".join(words.split())


def group_comments(comments: Sequence[str], similar: float = SIMILAR) -> list[CommentGroup]:
    """Comments grouped: identical comments after :func:`normalised`, or near-identical ones
    (a :class:`difflib.SequenceMatcher` ratio of at least ``similar`` with the group's first
    comment), are one group. Groups come most frequent first, then in the order first written;
    each shows its first comment as written."""
    groups: list[list] = []  # [key, first text, count]
    for comment in comments:
        key = normalised(comment)
        for group in groups:
            if key == group[0] or SequenceMatcher(None, key, group[0]).ratio() >= similar:
                group[2] += 1
                break
        else:
            groups.append([key, comment, 1])
    order = sorted(range(len(groups)), key=lambda i: (-groups[i][2], i))
    return [CommentGroup(groups[i][1], groups[i][2]) for i in order]


def grouped_comments(data: ReportData, sid: str) -> list[CommentsOn]:
    """The survey's comments (redacted) under their question, grouped."""
    com = data.survey_comments[data.survey_comments["survey_id"] == sid]
    return [
        CommentsOn(
            str(ref),
            part["question"].iloc[0],
            len(part),
            tuple(group_comments(part["comment"].tolist())),
        )
        for ref, part in com.groupby("question_ref", sort=False)
    ]


def split_comments(
    questions: list[CommentsOn], first: int = BODY_COMMENT_GROUPS
) -> tuple[tuple[CommentsOn, ...], tuple[CommentsOn, ...]]:
    """The first ``first`` groups of each question (the body) and the rest (the appendix)."""
    body, rest = [], []
    for q in questions:
        body.append(CommentsOn(q.question_ref, q.question, q.comments, q.groups[:first]))
        if len(q.groups) > first:
            rest.append(CommentsOn(q.question_ref, q.question, q.comments, q.groups[first:]))
    return tuple(body), tuple(rest)


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
    particulars.append(("Source", survey["source"]))
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


def pulse_series(data: ReportData) -> list[Series]:
    """The trends of each pulse series with data."""
    ov = data.survey_overview
    out = []
    for name, waves in ov[ov["series"] != ""].groupby("series", sort=False):
        trend = data.survey_trends[data.survey_trends["series"] == name]
        if not trend.empty:
            out.append(Series(str(name), len(waves), series_measures(trend)))
    return out


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
    return present.figure(
        diverging_charts.diverging_chart(segments, apart),
        alt_text,
        table,
        "Answers per question, recomputed as a share of the base (rated answers: "
        "“Don't know” and skipped counted apart)",
        columns,
        numeric=numeric,
    )


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


def series_measures(trend: pd.DataFrame) -> tuple[TrendMeasure, ...]:
    """Every measure of a series shown as a trend; a theme with one question is left out (its
    score is that question's)."""
    return tuple(trend_measure(points) for points in shown_measures(trend))


def shown_measures(trend: pd.DataFrame) -> list[pd.DataFrame]:
    """The waves of each measure of a series that is shown (a theme score with one question is
    that question's, so it is left out)."""
    questions = trend[~trend["measure"].str.startswith("theme:")]
    per_theme = questions.groupby("theme_ref")["measure"].nunique()
    out = []
    for measure, points in trend.groupby("measure", sort=False):
        if str(measure).startswith("theme:") and per_theme.get(points["theme_ref"].iloc[0], 0) < 2:
            continue
        out.append(points)
    return out


TREND_TITLE = "Percent favourable"


def pulse_xmr(points: pd.DataFrame) -> spc.XmR | None:
    """The XmR analysis of one measure's waves (percent favourable, an independent measure
    each wave): limits clipped to 0–100%; ``None`` when :func:`odreport.metrics.spc.xmr_fitness`
    does not allow it (too few waves shown)."""
    shown = points[points["value"].notna()]
    if not spc.xmr_fitness(spc.INDEPENDENT, len(shown)).fit:
        return None
    first = shown.iloc[0]
    return spc.xmr(
        shown["value"].astype(float).tolist(),
        [period_short(w) for w in shown["wave"]],
        improvement="up" if bool(first["higher_is_better"]) else "down",
        target=None if pd.isna(first["target"]) else float(first["target"]),
        lower_bound=0,
        upper_bound=100,
    )


def trend_measure(points: pd.DataFrame) -> TrendMeasure:
    """One measure's waves: an XmR chart when it may be read as one
    (:func:`pulse_xmr`), else the values listed."""
    label = points["measure_label"].iloc[0]
    shown = points[points["value"].notna()]
    result = pulse_xmr(points)
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
        return TrendMeasure(
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
    figure = present.figure(
        spc_charts.xmr_chart(result, TREND_TITLE, target=result.target, trial=result.trial),
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
    return TrendMeasure(label, figure, None, "")


def pulse_measures(data: ReportData) -> list[Measure]:
    """Each pulse-survey measure as a row of the table of measures: latest wave, variation
    and assurance icons (when it may be read as an XmR chart), target."""
    out = []
    for name in dict.fromkeys(data.survey_trends["series"]):
        trend = data.survey_trends[data.survey_trends["series"] == name]
        for points in shown_measures(trend):
            shown = points[points["value"].notna()]
            label = points["measure_label"].iloc[0]
            target = points["target"].iloc[0]
            target_text = "none" if pd.isna(target) else pct_text(target)
            if shown.empty:
                continue
            last = shown.iloc[-1]
            latest = (
                f"{pct_text(last['value'])} in {period_short(last['wave'])} "
                f"(base {count_text(last['base'])})"
            )
            result = pulse_xmr(points)
            if result is None:
                reason = spc.xmr_fitness(spc.INDEPENDENT, len(shown)).reason
                assurance = "no target" if pd.isna(target) else "none: no process limits"
                out.append(
                    Measure(
                        label,
                        latest,
                        None,
                        f"Not charted as SPC: {reason}.",
                        None,
                        assurance,
                        target_text,
                        "",
                    )
                )
                continue
            icon = spc.variation_icon(result)
            assured = spc.assurance_icon(result)
            out.append(
                Measure(
                    label,
                    latest,
                    icon,
                    icon.label,
                    assured,
                    assured.label if assured else "no target",
                    target_text,
                    xmr_note(result, "%"),
                )
            )
    return out
