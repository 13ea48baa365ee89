"""Survey analytics: results per question and group, small-number suppression, comments, trends.

Two kinds of input give the same results:

- aggregated results as published (``survey_results``: question, option, percent, count,
  answered, skipped), as in Rotherham's Appendix 3b;
- respondent-level answers (``survey_responses``: one row per respondent and question, with
  optional grouping columns), as a pulse-survey tool exports them (a SurveyMonkey export is
  converted to this form by :mod:`odreport.inputs.surveymonkey`).

Question metadata (``survey_questions``) links each question to a plan theme and an answer
scale (``survey_scales``) saying which options are favourable, neutral, unfavourable or
excluded from the base ("Don't know"). Percent favourable is favourable / (favourable +
neutral + unfavourable); excluded and skipped answers are counted apart.

**Suppression** happens here, before anything is written to ``data/processed``: a group with
fewer than ``min_group_size`` responses to a question has no numbers at all, and further
groups of the same breakdown are suppressed until nothing suppressed can be worked out by
subtraction from the total (at least two suppressed groups, together at or above the
threshold), and across groupings and questions until the audit of
:mod:`odreport.metrics.disclosure` passes over every table published together. Comments are
kept only for surveys whose respondents reach the threshold, with e-mail addresses, telephone
numbers, NHS numbers and the names ``redactions.csv`` lists redacted
(:mod:`odreport.metrics.redaction`), and not at all when comments are off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.tables import Inputs
from odreport.metrics import disclosure, redaction
from odreport.metrics.suppression import blank_suppressed as _blank_suppressed
from odreport.metrics.suppression import suppress
from odreport.metrics.survey_charts import diverging_segments, short_question
from odreport.metrics.survey_counts import (
    ALL,
    ALL_LABEL,
    DEFAULT_MIN_GROUP_SIZE,
    EXCLUDED,
    FAVOURABLE,
    GROUP_COLUMNS,
    NEUTRAL,
    NOT_STATED,
    UNFAVOURABLE,
    VALENCES,
    SurveySettings,
    published_counts,
    response_counts,
    suppressed_text,
    surveys_in_period,
    text_answers,
)
from odreport.metrics.survey_counts import natural_key as _natural
from odreport.metrics.survey_counts import valences as _valences
from odreport.metrics.survey_trends import (
    MIN_TREND_POINTS,
    evidence,
    trend_analysis,
    trend_sentence,
    trends,
)

__all__ = [  # the survey names the rest of the package uses, defined here or beside
    "ALL",
    "ALL_LABEL",
    "DEFAULT_MIN_GROUP_SIZE",
    "EMAIL_RE",
    "EXCLUDED",
    "FAVOURABLE",
    "GROUP_COLUMNS",
    "MIN_TREND_POINTS",
    "NEUTRAL",
    "NOT_STATED",
    "OPTION_COLUMNS",
    "PHONE_MARK",
    "PHONE_RE",
    "UNFAVOURABLE",
    "VALENCES",
    "SurveySettings",
    "comments",
    "diverging_segments",
    "evidence",
    "names_listed",
    "published_mismatches",
    "published_results",
    "question_map",
    "question_results",
    "redact",
    "redaction_names",
    "response_counts",
    "short_question",
    "suppress",
    "suppressed_text",
    "survey_overview",
    "survey_tables",
    "surveys_in_period",
    "trend_analysis",
    "trend_sentence",
    "trends",
]

EMAIL_RE = redaction.EMAIL_RE  # the e-mail addresses comments are redacted of
# A simple written form of UK numbers (+44 or 0, then 9-10 more digits with optional spaces,
# dots, dashes or brackets), for checks of the demonstration data: comments are redacted of
# telephone numbers by libphonenumber (odreport.metrics.redaction), which has no pattern.
PHONE_RE = re.compile(r"(?<![\w/])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.\-)]{0,2}\d){8,9}(?!\d)")
EMAIL_MARK, PHONE_MARK = redaction.EMAIL_MARK, redaction.PHONE_MARK


def redact(text: str, names: re.Pattern[str] | None = None) -> str:
    """Replace e-mail addresses, telephone numbers, NHS numbers and the listed names
    (``names``, :func:`redaction_names`) in a comment (:mod:`odreport.metrics.redaction`)."""
    return redaction.redact(text, names)


def redaction_names(inputs: Inputs) -> re.Pattern[str] | None:
    """The names ``redactions.csv`` lists, as one pattern for :func:`redact` (None when the
    table is absent or empty)."""
    table = inputs.get("redactions")
    if table is None or table.empty:
        return None
    return redaction.name_pattern(str(t) for t in table["text"].dropna())


def names_listed(inputs: Inputs) -> int:
    """How many names and phrases ``redactions.csv`` lists for comments to be redacted of."""
    table = inputs.get("redactions")
    return 0 if table is None else int(table["text"].notna().sum())


def question_results(
    inputs: Inputs,
    period: str,
    settings: SurveySettings,
    extra: frozenset[tuple[str, str, str, str]] = frozenset(),
    built: Mapping[str, disclosure.SurveySystem] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per survey, question and group: responses, base, favourable counts and percent
    favourable (``summary``), and the distribution over options (``options``), suppressed.

    ``extra`` names groups ``(survey_id, question_ref, group_by, group)`` to suppress as well
    (those :func:`odreport.metrics.disclosure.more_suppression` asks for); ``built``, the
    surveys' :func:`odreport.metrics.disclosure.systems` when already made.
    """
    shown = set(surveys_in_period(inputs, period).get("survey_id", pd.Series(dtype=object)))
    meta = question_map(inputs)
    valence = _valences(inputs)
    counts, skipped_published = [], None
    results = inputs.get("survey_results")
    if results is not None and not results.empty:
        results = results[results["survey_id"].isin(shown)]
        pub, skipped_published = published_counts(results)
        counts.append(pub)
    responses = inputs.get("survey_responses")
    people = pd.DataFrame(columns=["survey_id", "group_by", "group", "respondents"])
    if responses is not None and not responses.empty:
        fielded = responses["survey_id"].isin(shown)
        if not fielded.all():  # (a million rows are not copied for nothing)
            responses = responses[fielded]
        text_q = {k for k, m in meta.items() if m["scale"] == TEXT_SCALE}
        rc = response_counts(responses, text_q)
        heads = rc["question_ref"] == ""
        people = rc[heads].rename(columns={"count": "respondents"})[
            ["survey_id", "group_by", "group", "respondents"]
        ]
        counts.append(rc[~heads])
    if not counts:
        return _empty_summary(), _empty_options()
    counts = pd.concat(counts, ignore_index=True)
    counts["count"] = counts["count"].astype(int)
    scale = [
        meta.get((s, q), {}).get("scale", "")
        for s, q in zip(counts["survey_id"], counts["question_ref"], strict=True)
    ]
    looked = [valence.get((sc, o), ("", 0)) for sc, o in zip(scale, counts["option"], strict=True)]
    counts["valence"] = [v for v, _ in looked]
    counts["option_order"] = [o for _, o in looked]
    # published options with no scale row keep the published order
    if results is not None and not results.empty:
        order = results.set_index(["survey_id", "question_ref", "option"])["option_order"].to_dict()
        counts["option_order"] = [
            o or int(order.get((s, q, opt), 0) or 0)
            for o, s, q, opt in zip(
                counts["option_order"],
                counts["survey_id"],
                counts["question_ref"],
                counts["option"],
                strict=True,
            )
        ]
    keys = ["survey_id", "question_ref", "group_by", "group"]
    summary = counts.groupby(keys, sort=False)["count"].sum().rename("responses").reset_index()
    for v in VALENCES:
        part = counts[counts["valence"] == v].groupby(keys, sort=False)["count"].sum().rename(v)
        summary = summary.merge(part, on=keys, how="left")
        summary[v] = summary[v].fillna(0).astype(int)
    rated = summary[[FAVOURABLE, NEUTRAL, UNFAVOURABLE]].sum(axis=1)
    has_scale = [
        bool(meta.get((s, q), {}).get("scale"))
        for s, q in zip(summary["survey_id"], summary["question_ref"], strict=True)
    ]
    summary["base"] = rated.where(has_scale)
    summary["pct_favourable"] = (100 * summary[FAVOURABLE] / summary["base"]).where(
        summary["base"] > 0
    )
    summary = summary.merge(people, on=["survey_id", "group_by", "group"], how="left")
    summary["skipped"] = summary["respondents"] - summary["responses"]
    if skipped_published is not None:
        pub_skip = summary.set_index(["survey_id", "question_ref"]).index.map(
            skipped_published.to_dict()
        )
        summary["skipped"] = summary["skipped"].fillna(pd.Series(pub_skip, index=summary.index))
    for col in ("question", "theme_ref"):
        summary[col] = [
            meta.get((s, q), {}).get(col, "")
            for s, q in zip(summary["survey_id"], summary["question_ref"], strict=True)
        ]
    if results is not None and not results.empty:
        published_text = (
            results.drop_duplicates(["survey_id", "question_ref"])
            .set_index(["survey_id", "question_ref"])["question"]
            .to_dict()
        )
        summary["question"] = [
            t or published_text.get((s, q), "")
            for t, s, q in zip(
                summary["question"], summary["survey_id"], summary["question_ref"], strict=True
            )
        ]
    summary = suppress(summary, settings.min_group_size)
    if extra:
        cells = zip(
            summary["survey_id"],
            summary["question_ref"],
            summary["group_by"],
            summary["group"],
            strict=True,
        )
        summary.loc[[c in extra for c in cells], "suppressed"] = True
    if built is None:
        built = disclosure.systems(inputs, shown)
    summary["suppressed"] = disclosure.suppress_across(summary, built, settings.min_group_size)
    options = counts.merge(summary[[*keys, "suppressed", "responses"]], on=keys, how="left")
    options = options[~options["suppressed"]].copy()
    options["percent"] = 100 * options["count"] / options["responses"]
    options = options.drop(columns=["suppressed", "responses"])
    summary = _blank_suppressed(summary)
    order = {g: i for i, g in enumerate([ALL, *GROUP_COLUMNS])}
    summary = summary.sort_values(
        ["survey_id", "question_ref", "group_by", "group"],
        key=lambda s: s.map(order) if s.name == "group_by" else s.map(_natural),
    ).reset_index(drop=True)
    options = options.sort_values(
        ["survey_id", "question_ref", "group_by", "group", "option_order"]
    ).reset_index(drop=True)
    return summary, options[list(OPTION_COLUMNS)]


OPTION_COLUMNS = (
    "survey_id",
    "question_ref",
    "group_by",
    "group",
    "option",
    "option_order",
    "valence",
    "count",
    "percent",
)
"""Columns of the per-option survey table, in order."""


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "survey_id",
            "question_ref",
            "group_by",
            "group",
            "responses",
            *VALENCES,
            "base",
            "pct_favourable",
            "respondents",
            "skipped",
            "question",
            "theme_ref",
            "suppressed",
        ]
    )


def _empty_options() -> pd.DataFrame:
    return pd.DataFrame(columns=list(OPTION_COLUMNS))


def survey_overview(
    inputs: Inputs, period: str, summary: pd.DataFrame, settings: SurveySettings
) -> pd.DataFrame:
    """One row per survey shown: audience, when, respondents and response rate."""
    surveys = surveys_in_period(inputs, period)
    if surveys.empty:
        return pd.DataFrame()
    out = surveys[
        [
            "survey_id",
            "title",
            "audience",
            "fielded",
            "series",
            "respondents",
            "population",
            "illustrative",
            "source",
        ]
    ].copy()
    counted = summary[summary["group_by"] == ALL].groupby("survey_id")["respondents"].max()
    out["respondents"] = (
        out["respondents"].astype("Float64").fillna(out["survey_id"].map(counted).astype("Float64"))
    )
    rate = 100 * out["respondents"] / out["population"].astype("Float64")
    out["response_rate"] = rate.where(out["population"].notna())
    too_few = out["respondents"] < settings.min_group_size
    out["suppressed"] = too_few.fillna(False).astype(bool)
    out.loc[out["suppressed"], ["respondents", "response_rate"]] = pd.NA
    out["_order"] = out["fielded"].fillna("")
    return out.sort_values(["_order", "survey_id"]).drop(columns="_order").reset_index(drop=True)


def comments(inputs: Inputs, overview: pd.DataFrame, settings: SurveySettings) -> pd.DataFrame:
    """Free-text comments under their question, redacted, for surveys at or above the threshold.

    Empty when comments are turned off (public version of the report).
    """
    columns = ["survey_id", "question_ref", "question", "comment"]
    if not settings.comments or overview.empty:
        return pd.DataFrame(columns=columns)
    allowed = set(
        overview.loc[~overview["suppressed"] & overview["respondents"].notna(), "survey_id"]
    )
    meta = question_map(inputs)
    parts = []
    published = inputs.get("survey_comments")
    if published is not None and not published.empty:
        parts.append(published[["survey_id", "question_ref", "comment"]])
    responses = inputs.get("survey_responses")
    if responses is not None and not responses.empty:
        text_q = {k for k, m in meta.items() if m.get("scale") == TEXT_SCALE}
        text = text_answers(responses, text_q)
        free = responses[
            pd.Series(text, index=responses.index, dtype=bool) & responses["answer"].notna()
        ]
        parts.append(
            free[["survey_id", "question_ref", "answer"]].rename(columns={"answer": "comment"})
        )
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out = out[out["survey_id"].isin(allowed) & out["comment"].notna()].copy()
    names = redaction_names(inputs)
    out["comment"] = out["comment"].map(lambda c: redact(str(c), names))
    results = inputs.get("survey_results")
    published_text = {}
    if results is not None:
        published_text = (
            results.drop_duplicates(["survey_id", "question_ref"])
            .set_index(["survey_id", "question_ref"])["question"]
            .to_dict()
        )
    out["question"] = [
        meta.get((s, q), {}).get("question") or published_text.get((s, q), "")
        for s, q in zip(out["survey_id"], out["question_ref"], strict=True)
    ]
    out["_q"] = out["question_ref"].map(_natural)
    return (
        out.sort_values(["survey_id", "_q"], kind="stable")
        .drop(columns="_q")[columns]
        .reset_index(drop=True)
    )


def published_mismatches(inputs: Inputs, overview: pd.DataFrame) -> pd.DataFrame:
    """Published questions whose answered + skipped is not the survey's respondents (the
    report shows them as published, and says so). Counts of whole surveys only, so nothing
    here can undo suppression: a suppressed survey gives no rows."""
    columns = ["survey_id", "question_ref", "question", "answered", "skipped", "respondents"]
    results = inputs.get("survey_results")
    if results is None or results.empty or overview.empty:
        return pd.DataFrame(columns=columns)
    shown = overview[~overview["suppressed"]]
    declared = shown.set_index("survey_id")["respondents"]
    per_question = results.groupby(["survey_id", "question_ref"], sort=False).agg(
        question=("question", "first"), answered=("answered", "max"), skipped=("skipped", "max")
    )
    per_question = per_question.reset_index()
    per_question = per_question[per_question["survey_id"].isin(declared.index)]
    per_question["respondents"] = per_question["survey_id"].map(declared)
    total = per_question["answered"].astype("Float64") + per_question["skipped"].astype("Float64")
    wrong = per_question[total.notna() & (total != per_question["respondents"].astype("Float64"))]
    return wrong[columns].reset_index(drop=True)


def published_results(inputs: Inputs, overview: pd.DataFrame) -> pd.DataFrame:
    """Aggregated results as the source published them (percent of those who answered, count,
    answered, skipped), for surveys shown in the report; counts not stated are percent ×
    answered, rounded. A suppressed survey gives no rows."""
    columns = ["survey_id", "question_ref", "question", "option", "option_order", "percent"]
    columns += ["count", "answered", "skipped"]
    results = inputs.get("survey_results")
    if results is None or results.empty or overview.empty:
        return pd.DataFrame(columns=columns)
    shown = set(overview.loc[~overview["suppressed"], "survey_id"])
    rows = results[results["survey_id"].isin(shown) & results["option"].notna()].copy()
    counts, _ = published_counts(rows)
    rows["count"] = counts["count"].reindex(rows.index)
    return rows[columns].reset_index(drop=True)


def survey_tables(inputs: Inputs, period: str, settings: SurveySettings) -> dict[str, pd.DataFrame]:
    """Every survey table the report needs, suppressed and redacted, ready to write.

    The tables are audited together (:func:`odreport.metrics.disclosure.audit_published`);
    while the audit finds a suppressed figure that could be worked out, more groups are
    suppressed and the tables made again. A figure still exposed stops the run
    (:class:`~odreport.metrics.disclosure.DisclosureError`, exit code 1).
    """
    shown = set(surveys_in_period(inputs, period).get("survey_id", pd.Series(dtype=object)))
    built = disclosure.systems(inputs, shown)
    extra: set[tuple[str, str, str, str]] = set()
    while True:
        tables = _survey_tables(inputs, period, settings, frozenset(extra), built)
        try:
            disclosure.audit_published(tables, inputs, settings.min_group_size, built)
        except disclosure.DisclosureError as exc:
            more = set()
            if exc.result is not None:
                more = disclosure.more_suppression(
                    exc.result, tables["survey_summary"], inputs, built
                )
            if not more - extra:
                raise
            extra |= more
            continue
        return tables


def _survey_tables(
    inputs: Inputs,
    period: str,
    settings: SurveySettings,
    extra: frozenset[tuple[str, str, str, str]],
    built: Mapping[str, disclosure.SurveySystem],
) -> dict[str, pd.DataFrame]:
    summary, options = question_results(inputs, period, settings, extra, built)
    overview = survey_overview(inputs, period, summary, settings)
    trend = trends(inputs, overview, summary)
    return {
        "survey_overview": overview,
        "survey_summary": summary,
        "survey_options": options,
        "survey_comments": comments(inputs, overview, settings),
        "survey_trends": trend,
        "survey_evidence": evidence(inputs, overview, summary, trend),
        "survey_checks": published_mismatches(inputs, overview),
        "survey_published": published_results(inputs, overview),
    }
