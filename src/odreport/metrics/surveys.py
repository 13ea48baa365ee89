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
numbers and NHS numbers redacted (:mod:`odreport.metrics.redaction`), and not at all when
comments are off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.questions import text as _text
from odreport.inputs.tables import Inputs
from odreport.metrics import disclosure, redaction, spc

DEFAULT_MIN_GROUP_SIZE = 11
GROUP_COLUMNS = {"directorate": "Directorate", "team": "Team", "staff_group": "Staff group"}
ALL = "all"
ALL_LABEL = "All respondents"
NOT_STATED = "Not stated"
FAVOURABLE, NEUTRAL, UNFAVOURABLE, EXCLUDED = "favourable", "neutral", "unfavourable", "excluded"
VALENCES = (UNFAVOURABLE, NEUTRAL, FAVOURABLE, EXCLUDED)
MIN_TREND_POINTS = spc.MIN_POINTS  # fewer waves: the points are listed, no process limits

# Simple forms of both, kept for checks of the demonstration data; comments are redacted by
# odreport.metrics.redaction (many more forms, NHS numbers too).
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# UK numbers: +44 or 0, then 9-10 more digits with optional spaces, dots, dashes or brackets.
PHONE_RE = re.compile(r"(?<![\w/])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.\-)]{0,2}\d){8,9}(?!\d)")
EMAIL_MARK, PHONE_MARK = redaction.EMAIL_MARK, redaction.PHONE_MARK


@dataclass(frozen=True)
class SurveySettings:
    """Report settings for surveys: the suppression threshold and whether comments show."""

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    comments: bool = True

    def __post_init__(self) -> None:
        if self.min_group_size < 1:
            raise ValueError("the minimum group size must be at least 1")


def suppressed_text(settings: SurveySettings) -> str:
    """What a reader sees instead of a suppressed group's numbers."""
    return f"suppressed (fewer than {settings.min_group_size} responses)"


def redact(text: str) -> str:
    """Replace e-mail addresses, telephone numbers and NHS numbers in a comment
    (:mod:`odreport.metrics.redaction`)."""
    return redaction.redact(text)


# --- question metadata -------------------------------------------------------------------


def _valences(inputs: Inputs) -> dict[tuple[str, str], tuple[str, int]]:
    scales = inputs.get("survey_scales")
    if scales is None:
        return {}
    return {
        (_text(r["scale"]), _text(r["option"])): (_text(r["valence"]), int(r["option_order"]))
        for _, r in scales.iterrows()
    }


# --- counting ----------------------------------------------------------------------------


def surveys_in_period(inputs: Inputs, period: str) -> pd.DataFrame:
    """Surveys fielded in or before ``period`` (undated surveys are always included)."""
    surveys = inputs.get("surveys")
    if surveys is None:
        return pd.DataFrame()
    fielded = surveys["fielded"].fillna("")
    out = surveys[(fielded == "") | (fielded <= period)].copy()
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def response_counts(responses: pd.DataFrame, text_questions: set[tuple[str, str]]) -> pd.DataFrame:
    """Counts of each answer per survey, question and group, from respondent-level rows.

    Returns ``survey_id, question_ref, group_by, group, option, count`` plus, per survey and
    group, the number of respondents (``option`` blank, ``group_by`` and ``group`` set,
    ``question_ref`` blank) so skipped answers can be counted.
    """
    cols = ["survey_id", "respondent_id", "question_ref", "answer", *GROUP_COLUMNS]
    # a respondent belongs to one group of each grouping: the one on their first row
    frame = disclosure.respondent_groups(responses[[c for c in cols if c in responses]].copy())
    keys = list(zip(frame["survey_id"], frame["question_ref"], strict=True))
    is_text = pd.Series([k in text_questions for k in keys], index=frame.index, dtype=bool)
    closed = frame[~is_text & frame["answer"].notna()]
    people = frame.drop_duplicates(["survey_id", "respondent_id"])
    parts = []
    for group_by in [ALL, *GROUP_COLUMNS]:
        if group_by == ALL:
            closed_g = closed.assign(group=ALL_LABEL)
            people_g = people.assign(group=ALL_LABEL)
        elif group_by in frame and frame[group_by].notna().any():
            closed_g = closed.assign(group=closed[group_by].fillna(NOT_STATED))
            people_g = people.assign(group=people[group_by].fillna(NOT_STATED))
        else:
            continue
        answers = (
            closed_g.groupby(["survey_id", "question_ref", "group", "answer"], observed=True)
            .size()
            .rename("count")
            .reset_index()
            .rename(columns={"answer": "option"})
        )
        heads = people_g.groupby(["survey_id", "group"]).size().rename("count").reset_index()
        heads["question_ref"], heads["option"] = "", ""
        parts += [answers.assign(group_by=group_by), heads.assign(group_by=group_by)]
    columns = ["survey_id", "question_ref", "group_by", "group", "option", "count"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _published_counts(results: pd.DataFrame) -> pd.DataFrame:
    """Counts from published aggregated results (percent × answered where no count)."""
    closed = results[results["option"].notna()].copy()
    derived = (
        closed["percent"].astype("Float64") * closed["answered"].astype("Float64") / 100
    ).round()
    closed["count"] = closed["count"].astype("Float64").fillna(derived)
    closed = closed[closed["count"].notna()]
    out = closed[["survey_id", "question_ref", "option", "count"]].assign(
        group_by=ALL, group=ALL_LABEL
    )
    skipped = (
        results.groupby(["survey_id", "question_ref"])["skipped"]
        .max()
        .astype("Float64")
        .rename("skipped")
    )
    return out, skipped


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
        pub, skipped_published = _published_counts(results)
        counts.append(pub)
    responses = inputs.get("survey_responses")
    people = pd.DataFrame(columns=["survey_id", "group_by", "group", "respondents"])
    if responses is not None and not responses.empty:
        responses = responses[responses["survey_id"].isin(shown)]
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


def _natural(value: object) -> object:
    """Sort key: Q2 before Q10, 'Not stated' last."""
    text = str(value)
    if text == NOT_STATED:
        return "~"
    return re.sub(r"\d+", lambda m: m.group().zfill(6), text)


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


# --- suppression -------------------------------------------------------------------------


def suppress(summary: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Mark the groups whose numbers must not be shown (column ``suppressed``).

    Primary: fewer than ``min_group_size`` responses. Secondary, within each breakdown (one grouping
    column of one question): while a reader could work out the suppressed groups from the
    total and the groups shown (one suppressed group, or suppressed groups that together have
    fewer than ``min_group_size`` responses), the smallest group still shown is suppressed as well.
    """
    out = summary.copy()
    out["suppressed"] = out["responses"] < min_group_size
    for _, idx in out.groupby(["survey_id", "question_ref", "group_by"]).groups.items():
        part = out.loc[idx]
        if (part["group_by"] == ALL).all():
            continue
        hidden = set(part.index[part["suppressed"]])
        while hidden and len(hidden) < len(part):
            total_hidden = int(part.loc[list(hidden), "responses"].sum())
            if len(hidden) >= 2 and total_hidden >= min_group_size:
                break
            shown = part.drop(index=list(hidden)).sort_values(["responses", "group"])
            hidden.add(shown.index[0])
        out.loc[list(hidden), "suppressed"] = True
    # a whole-survey total below the threshold hides every breakdown of it too
    overall_hidden = set(
        map(
            tuple,
            out.loc[
                (out["group_by"] == ALL) & out["suppressed"], ["survey_id", "question_ref"]
            ].values,
        )
    )
    if overall_hidden:
        keys = list(zip(out["survey_id"], out["question_ref"], strict=True))
        out.loc[[k in overall_hidden for k in keys], "suppressed"] = True
    out["suppressed"] = out["suppressed"].astype(bool)
    return out


def _blank_suppressed(summary: pd.DataFrame) -> pd.DataFrame:
    """Remove every number of a suppressed group (nothing of it reaches data/processed)."""
    out = summary.copy()
    numbers = ["responses", *VALENCES, "base", "pct_favourable", "respondents", "skipped"]
    for col in numbers:
        out[col] = out[col].astype("Float64")
    out.loc[out["suppressed"], numbers] = pd.NA
    return out


# --- surveys, comments, trends, evidence ---------------------------------------------------


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
        keys = list(zip(responses["survey_id"], responses["question_ref"], strict=True))
        text = [meta.get(k, {}).get("scale") == TEXT_SCALE for k in keys]
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
    out["comment"] = out["comment"].map(lambda c: redact(str(c)))
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


def trends(inputs: Inputs, overview: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Percent favourable per wave for every question and theme of each series.

    Rows: ``series, measure, measure_label, theme_ref, wave, survey_id, value, base`` with
    ``measure`` a question_ref or ``theme:<theme_ref>`` (pooled over the theme's questions).
    Suppressed waves have no value.
    """
    columns = [
        "series",
        "measure",
        "measure_label",
        "theme_ref",
        "wave",
        "survey_id",
        "value",
        "base",
        "higher_is_better",
        "target",
    ]
    if overview.empty:
        return pd.DataFrame(columns=columns)
    waves = overview[overview["series"].notna() & overview["fielded"].notna()]
    if waves.empty:
        return pd.DataFrame(columns=columns)
    meta = question_map(inputs)
    overall = summary[summary["group_by"] == ALL].set_index(["survey_id", "question_ref"])
    themes = inputs.get("themes")
    theme_names = (
        dict(zip(themes["theme_ref"], themes["theme"], strict=True)) if themes is not None else {}
    )
    rows = []
    for series, part in waves.groupby("series", sort=True):
        part = part.sort_values("fielded")
        refs = sorted({q for (s, q) in meta if s in set(part["survey_id"])}, key=_natural)
        for ref in refs:
            for _, wave in part.iterrows():
                m = meta.get((wave["survey_id"], ref))
                if m is None or m["scale"] == TEXT_SCALE:
                    continue
                value, base = pd.NA, pd.NA
                if (wave["survey_id"], ref) in overall.index:
                    r = overall.loc[(wave["survey_id"], ref)]
                    value, base = r["pct_favourable"], r["base"]
                rows.append(
                    {
                        "series": series,
                        "measure": ref,
                        "measure_label": f"{ref} {m['question']}",
                        "theme_ref": m["theme_ref"],
                        "wave": wave["fielded"],
                        "survey_id": wave["survey_id"],
                        "value": value,
                        "base": base,
                        "higher_is_better": m["higher_is_better"],
                        "target": m["target"],
                    }
                )
        for theme_ref in sorted(
            {
                m["theme_ref"]
                for (s, _), m in meta.items()
                if s in set(part["survey_id"]) and m["theme_ref"]
            }
        ):
            for _, wave in part.iterrows():
                refs_t = [
                    q
                    for (s, q), m in meta.items()
                    if s == wave["survey_id"]
                    and m["theme_ref"] == theme_ref
                    and m["scale"] != TEXT_SCALE
                ]
                keys = [
                    (wave["survey_id"], q)
                    for q in refs_t
                    if (wave["survey_id"], q) in overall.index
                ]
                got = overall.loc[keys] if keys else overall.iloc[0:0]
                got = got[~got["suppressed"].astype(bool)] if len(got) else got
                base = got["base"].sum() if len(got) else 0
                value = 100 * got[FAVOURABLE].sum() / base if base else pd.NA
                rows.append(
                    {
                        "series": series,
                        "measure": f"theme:{theme_ref}",
                        "measure_label": f"Theme score: {theme_names.get(theme_ref, theme_ref)}",
                        "theme_ref": theme_ref,
                        "wave": wave["fielded"],
                        "survey_id": wave["survey_id"],
                        "value": value if base else pd.NA,
                        "base": base if base else pd.NA,
                        "higher_is_better": True,
                        "target": None,
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def trend_analysis(points: pd.DataFrame) -> spc.XmR | None:
    """The XmR analysis of one measure's waves (``None`` under :data:`MIN_TREND_POINTS`)."""
    points = points[points["value"].notna()]
    if len(points) < MIN_TREND_POINTS:
        return None
    first = points.iloc[0]
    return spc.xmr(
        points["value"].astype(float).tolist(),
        points["wave"].tolist(),
        improvement="up" if bool(first["higher_is_better"]) else "down",
        target=None if pd.isna(first["target"]) else float(first["target"]),
    )


def evidence(
    inputs: Inputs, overview: pd.DataFrame, summary: pd.DataFrame, trend: pd.DataFrame
) -> pd.DataFrame:
    """Per plan theme, the latest result of every survey question that evidences it."""
    columns = [
        "theme_ref",
        "survey_id",
        "survey",
        "fielded",
        "question_ref",
        "question",
        "pct_favourable",
        "base",
        "trend",
    ]
    if overview.empty or summary.empty:
        return pd.DataFrame(columns=columns)
    overall = summary[(summary["group_by"] == ALL) & (summary["theme_ref"] != "")]
    latest = overview.copy()
    latest["key"] = latest["series"].fillna(latest["survey_id"])
    latest = latest.sort_values(["key", "fielded"], na_position="first").drop_duplicates(
        "key", keep="last"
    )
    rows = overall.merge(latest[["survey_id", "title", "fielded", "series"]], on="survey_id")
    out = []
    for _, r in rows.iterrows():
        text = ""
        if pd.notna(r["series"]):
            pts = trend[(trend["series"] == r["series"]) & (trend["measure"] == r["question_ref"])]
            text = trend_sentence(pts)
        out.append(
            {
                "theme_ref": r["theme_ref"],
                "survey_id": r["survey_id"],
                "survey": r["title"],
                "fielded": r["fielded"],
                "question_ref": r["question_ref"],
                "question": r["question"],
                "pct_favourable": r["pct_favourable"],
                "base": r["base"],
                "trend": text,
            }
        )
    frame = pd.DataFrame(out, columns=columns)
    frame["_q"] = frame["question_ref"].map(_natural)
    return (
        frame.sort_values(["theme_ref", "survey_id", "_q"])
        .drop(columns="_q")
        .reset_index(drop=True)
    )


def trend_sentence(points: pd.DataFrame) -> str:
    """A short reading of a measure's waves: XmR variation of the latest wave when there are
    enough points, else the change since the previous wave."""
    shown = points[points["value"].notna()]
    if len(shown) < 2:
        return ""
    result = trend_analysis(shown)
    if result is not None:
        last = result.points.iloc[-1]
        limits = "trial limits" if result.trial else "process limits"
        return f"{len(shown)} waves; latest: {last['variation']} ({limits})"
    a, b = shown.iloc[-2], shown.iloc[-1]
    change = float(b["value"]) - float(a["value"])
    return f"{change:+.0f} points since {a['wave']} ({len(shown)} waves)"


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
    counts, _ = _published_counts(rows)
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


# --- chart data ----------------------------------------------------------------------------

_SIDE_RANK = {UNFAVOURABLE: 0, NEUTRAL: 1, FAVOURABLE: 2}


def short_question(ref: str, question: str, limit: int = 48) -> str:
    """A question's label for a chart axis: its ref and the grid item or the start of the text."""
    text = question.split(" — ")[-1] if " — " in question else question
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{ref} {text}".strip()


def diverging_segments(options: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Bar segments for a diverging stacked bar of each question (one group's results).

    Each option's share of the base (favourable + neutral + unfavourable) becomes a segment
    from ``start`` to ``end`` on a −100…100 axis: unfavourable options left of zero, favourable
    right, neutral centred on zero. Excluded options ("Don't know") and skipped answers are not
    segments; they are reported beside the bars.
    """
    columns = [
        "question_ref",
        "label",
        "option",
        "valence",
        "option_order",
        "percent",
        "start",
        "end",
        "rank",
    ]
    rated = options[options["valence"].isin(list(_SIDE_RANK))].copy()
    if rated.empty:
        return pd.DataFrame(columns=columns)
    bases = summary.set_index(["survey_id", "question_ref", "group_by", "group"])["base"]
    rows = []
    for key, part in rated.groupby(["survey_id", "question_ref", "group_by", "group"], sort=False):
        base = bases.get(key)
        if base is None or pd.isna(base) or not base:
            continue
        part = part.assign(rank=part["valence"].map(_SIDE_RANK)).sort_values(
            ["rank", "option_order"]
        )
        shares = 100 * part["count"] / float(base)
        left = -(
            shares[part["valence"] == UNFAVOURABLE].sum()
            + shares[part["valence"] == NEUTRAL].sum() / 2
        )
        question = summary.loc[
            (summary["survey_id"] == key[0]) & (summary["question_ref"] == key[1]), "question"
        ].iloc[0]
        for (_, opt), share in zip(part.iterrows(), shares, strict=True):
            rows.append(
                {
                    "question_ref": key[1],
                    "label": short_question(key[1], str(question)),
                    "option": opt["option"],
                    "valence": opt["valence"],
                    "option_order": int(opt["option_order"]),
                    "percent": float(share),
                    "start": float(left),
                    "end": float(left + share),
                    "rank": int(opt["rank"]),
                }
            )
            left += share
    return pd.DataFrame(rows, columns=columns)
