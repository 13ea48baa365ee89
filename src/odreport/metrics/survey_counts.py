"""Survey counts: the settings, names and counting rules every survey table shares.

Answers are counted per survey, question, grouping (``all``, directorate, team, staff group)
and group, from respondent-level rows (:func:`response_counts`) or from published aggregates
(:func:`published_counts`). A respondent belongs to the groups on their first row
(:func:`odreport.metrics.disclosure.respondent_groups`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from odreport.inputs.questions import text as _text
from odreport.inputs.tables import Inputs
from odreport.metrics import disclosure

DEFAULT_MIN_GROUP = 11
GROUP_COLUMNS = {"directorate": "Directorate", "team": "Team", "staff_group": "Staff group"}
ALL = "all"
ALL_LABEL = "All respondents"
NOT_STATED = "Not stated"
FAVOURABLE, NEUTRAL, UNFAVOURABLE, EXCLUDED = "favourable", "neutral", "unfavourable", "excluded"
VALENCES = (UNFAVOURABLE, NEUTRAL, FAVOURABLE, EXCLUDED)


@dataclass(frozen=True)
class SurveySettings:
    """Report settings for surveys: the suppression threshold and whether comments show."""

    min_group_size: int = DEFAULT_MIN_GROUP
    comments: bool = True

    def __post_init__(self) -> None:
        if self.min_group_size < 1:
            raise ValueError("the minimum group size must be at least 1")


def suppressed_text(settings: SurveySettings) -> str:
    """What a reader sees instead of a suppressed group's numbers."""
    return f"suppressed (fewer than {settings.min_group_size} responses)"



def valences(inputs: Inputs) -> dict[tuple[str, str], tuple[str, int]]:
    """Each scale option's valence and order: ``{(scale, option): (valence, option_order)}``."""
    scales = inputs.get("survey_scales")
    if scales is None:
        return {}
    return {
        (_text(r["scale"]), _text(r["option"])): (_text(r["valence"]), int(r["option_order"]))
        for _, r in scales.iterrows()
    }

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



def published_counts(results: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Counts from published aggregated results (percent × answered where no count), and
    the answers skipped per question."""
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



def natural_key(value: object) -> object:
    """Sort key: Q2 before Q10, 'Not stated' last."""
    text = str(value)
    if text == NOT_STATED:
        return "~"
    return re.sub(r"\d+", lambda m: m.group().zfill(6), text)
