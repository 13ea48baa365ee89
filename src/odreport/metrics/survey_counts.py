"""Survey counts: the settings, names and counting rules every survey table shares.

Answers are counted per survey, question, grouping (``all``, directorate, team, staff group)
and group, from respondent-level rows (:func:`response_counts`) or from published aggregates
(:func:`published_counts`). A respondent belongs to the groups on their first row
(:func:`odreport.metrics.disclosure.respondent_groups`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from odreport.inputs.questions import text as _text

if TYPE_CHECKING:  # for type hints only: no import at run time
    from odreport.inputs.tables import Inputs

DEFAULT_MIN_GROUP_SIZE = 11
GROUP_COLUMNS = {"directorate": "Directorate", "team": "Team", "staff_group": "Staff group"}
ALL = "all"
ALL_LABEL = "All respondents"
NOT_STATED = "Not stated"
FAVOURABLE, NEUTRAL, UNFAVOURABLE, EXCLUDED = "favourable", "neutral", "unfavourable", "excluded"
VALENCES = (UNFAVOURABLE, NEUTRAL, FAVOURABLE, EXCLUDED)


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
    ``question_ref`` blank) so skipped answers can be counted. Rows come in the order of
    their values (survey, question, group, option), answers before respondents, grouping by
    grouping. A respondent belongs to one group of each grouping: the one on their first row
    (the rule of :func:`odreport.metrics.disclosure.respondent_groups`). Rows without a survey
    or question are not counted; answers to free-text questions neither.

    Counted on integer codes of the values (sorted as the values), so a million rows take a
    fraction of a second.
    """
    columns = ["survey_id", "question_ref", "group_by", "group", "option", "count"]
    if responses.empty:
        return pd.DataFrame(columns=columns)
    survey, question, answer = (
        _Coded(responses[c]) for c in ("survey_id", "question_ref", "answer")
    )
    # each row's respondent, and each respondent's first row
    person = (
        responses.groupby(["survey_id", "respondent_id"], sort=False, dropna=False)
        .ngroup()
        .to_numpy()
    )
    first_rows = np.flatnonzero(~pd.Series(person).duplicated().to_numpy())
    first_of = first_rows[person]
    text = _is_text(survey, question, text_questions)
    closed = np.flatnonzero(
        ~text & (answer.codes >= 0) & (survey.codes >= 0) & (question.codes >= 0)
    )
    people = first_rows[survey.codes[first_rows] >= 0]
    parts = []
    for group_by in [ALL, *GROUP_COLUMNS]:
        if group_by == ALL:
            labels = np.array([ALL_LABEL], dtype=object)
            group = np.zeros(len(responses), dtype=np.int64)
        elif group_by in responses and responses[group_by].notna().any():
            grouping = _Coded(responses[group_by])
            group, labels = grouping.filled(NOT_STATED, first_of)
        else:
            continue
        keys = (survey.codes[closed], question.codes[closed], group[closed], answer.codes[closed])
        sizes = (len(survey.labels), len(question.labels), len(labels), len(answer.labels))
        found, count = _counted(keys, sizes)
        s, q, g, a = np.unravel_index(found, sizes)
        parts.append(
            _frame(
                survey.labels[s], question.labels[q], group_by, labels[g], answer.labels[a], count
            )
        )
        sizes = (len(survey.labels), len(labels))
        found, count = _counted((survey.codes[people], group[people]), sizes)
        s, g = np.unravel_index(found, sizes)
        blank = np.full(len(found), "", dtype=object)
        parts.append(_frame(survey.labels[s], blank, group_by, labels[g], blank, count))
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _counted(keys: tuple[np.ndarray, ...], sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct combinations of ``keys`` (as flat indices, in order) and their counts."""
    flat = np.ravel_multi_index(keys, sizes)
    cells = int(np.prod(sizes, dtype=np.int64))
    if cells <= 4 * len(flat) + 1_000_000:  # few combinations possible: count them all
        count = np.bincount(flat, minlength=cells)
        found = np.flatnonzero(count)
        return found, count[found]
    return np.unique(flat, return_counts=True)


def text_answers(responses: pd.DataFrame, text_questions: set[tuple[str, str]]) -> np.ndarray:
    """Whether each row of ``responses`` answers a free-text question: its ``(survey_id,
    question_ref)`` is in ``text_questions`` (a boolean array)."""
    coded = (_Coded(responses[c]) for c in ("survey_id", "question_ref"))
    return _is_text(*coded, text_questions)


def _is_text(survey: _Coded, question: _Coded, text_questions: set[tuple[str, str]]) -> np.ndarray:
    """:func:`text_answers` from the coded columns."""
    pairs = (survey.codes + 1) * (len(question.labels) + 1) + (question.codes + 1)
    found, where = np.unique(pairs, return_inverse=True)
    s, q = np.divmod(found, len(question.labels) + 1)
    text = np.array(
        [
            si > 0 and qi > 0 and (survey.labels[si - 1], question.labels[qi - 1]) in text_questions
            for si, qi in zip(s, q, strict=True)
        ],
        dtype=bool,
    )
    return text[where.reshape(-1)] if len(found) else np.zeros(len(pairs), dtype=bool)


class _Coded:
    """A column as integer codes (``-1`` for a blank) and the sorted values they stand for."""

    def __init__(self, values: pd.Series) -> None:
        codes, labels = pd.factorize(values, sort=True)
        self.codes = np.asarray(codes, dtype=np.int64)
        self.labels = np.asarray(labels, dtype=object)

    def filled(self, blank: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The codes of ``rows`` with blanks as the value ``blank``, and the values (sorted)."""
        codes = self.codes[rows]
        if not (codes < 0).any():
            return codes, self.labels
        labels = np.array(sorted({*self.labels, blank}), dtype=object)
        position = {v: i for i, v in enumerate(labels)}
        remap = np.array([position[v] for v in [*self.labels, blank]], dtype=np.int64)
        return remap[codes], labels  # code -1 (blank) takes the last entry: ``blank``


def _frame(survey, question, group_by: str, group, option, count) -> pd.DataFrame:
    """Counted rows as a frame of text columns (pandas' ``str``) and an integer count."""
    return pd.DataFrame(
        {
            "survey_id": pd.Series(survey, dtype="str"),
            "question_ref": pd.Series(question, dtype="str"),
            "group": pd.Series(group, dtype="str"),
            "option": pd.Series(option, dtype="str"),
            "count": pd.Series(count, dtype="int64"),
            "group_by": pd.Series([group_by] * len(count), dtype="str"),
        }
    )


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
