"""Counting survey answers per survey, question and group, worked out by hand."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from odreport.metrics import disclosure
from odreport.metrics.survey_counts import (
    ALL,
    ALL_LABEL,
    NOT_STATED,
    SurveySettings,
    natural_key,
    response_counts,
    suppressed_text,
    text_answers,
)

ROWS = [  # survey, respondent, question, answer, directorate
    ("s", "R1", "Q1", "Agree", "Ops"),
    ("s", "R1", "Q2", "Disagree", "Finance"),  # R1 counts in Ops: the group of their first row
    ("s", "R1", "Q3", "More staff please", "Ops"),  # free text: not counted
    ("s", "R2", "Q1", "Agree", None),  # R2 states no directorate
    ("s", "R2", "Q2", None, None),  # skipped
    ("s", "R3", "Q1", "Disagree", "Ops"),
]


def _responses() -> pd.DataFrame:
    frame = pd.DataFrame(
        ROWS, columns=["survey_id", "respondent_id", "question_ref", "answer", "directorate"]
    )
    return frame.astype(object).where(frame.notna(), None)


def test_answers_and_respondents_per_group():
    counts = response_counts(_responses(), {("s", "Q3")})
    rows = sorted(
        (r.group_by, r.group, r.question_ref, r.option, r.count)
        for r in counts.itertuples(index=False)
    )
    assert rows == sorted(
        [
            (ALL, ALL_LABEL, "Q1", "Agree", 2),
            (ALL, ALL_LABEL, "Q1", "Disagree", 1),
            (ALL, ALL_LABEL, "Q2", "Disagree", 1),
            (ALL, ALL_LABEL, "", "", 3),  # respondents
            ("directorate", "Ops", "Q1", "Agree", 1),
            ("directorate", "Ops", "Q1", "Disagree", 1),
            ("directorate", "Ops", "Q2", "Disagree", 1),  # R1's answer, under Ops
            ("directorate", "Ops", "", "", 2),
            ("directorate", NOT_STATED, "Q1", "Agree", 1),
            ("directorate", NOT_STATED, "", "", 1),
        ]
    )
    assert list(counts.columns) == ["survey_id", "question_ref", "group_by", "group", "option", "count"]
    assert counts["count"].dtype == "int64"


def test_rows_come_in_the_order_of_their_values():
    counts = response_counts(_responses(), {("s", "Q3")})
    assert counts["group_by"].tolist()[:4] == [ALL] * 4
    answers = counts[(counts["group_by"] == "directorate") & (counts["option"] != "")]
    keys = list(zip(answers["question_ref"], answers["group"], answers["option"], strict=True))
    assert keys == sorted(keys)


def test_no_responses_give_no_counts():
    assert response_counts(_responses().iloc[0:0], set()).empty


def test_free_text_answers_are_recognised_by_survey_and_question():
    frame = _responses()
    assert text_answers(frame, {("s", "Q3")}).tolist() == [False, False, True, False, False, False]
    assert not text_answers(frame, {("other", "Q3")}).any()


def test_natural_order_and_settings():
    assert sorted(["Q10", "Not stated", "Q2"], key=natural_key) == ["Q2", "Q10", "Not stated"]
    assert suppressed_text(SurveySettings(min_group_size=5)) == (
        "suppressed (fewer than 5 responses)"
    )


def _counted_row_by_row(responses: pd.DataFrame, text: set) -> pd.DataFrame:
    """The counts worked out the plain way: each row's groups from the respondent's first row
    (disclosure.respondent_groups), then a pandas group-by per grouping."""
    frame = disclosure.respondent_groups(responses)
    keys = zip(frame["survey_id"], frame["question_ref"], strict=True)
    closed = frame[pd.Series([k not in text for k in keys], index=frame.index) & frame["answer"].notna()]
    people = frame.drop_duplicates(["survey_id", "respondent_id"])
    parts = []
    for group_by in [ALL, "directorate", "team"]:
        label = ALL_LABEL if group_by == ALL else None
        c = closed.assign(group=label if label else closed[group_by].fillna(NOT_STATED))
        p = people.assign(group=label if label else people[group_by].fillna(NOT_STATED))
        answers = c.groupby(["survey_id", "question_ref", "group", "answer"]).size()
        heads = p.groupby(["survey_id", "group"]).size()
        parts += [
            answers.rename("count").reset_index().rename(columns={"answer": "option"}),
            heads.rename("count").reset_index().assign(question_ref="", option=""),
        ]
        parts[-2]["group_by"] = parts[-1]["group_by"] = group_by
    columns = ["survey_id", "question_ref", "group_by", "group", "option", "count"]
    return pd.concat(parts, ignore_index=True)[columns]


@pytest.mark.parametrize("seed", range(5))
def test_counted_on_codes_as_counted_row_by_row(seed):
    rng = random.Random(seed)
    rows = []
    for person in range(rng.randint(1, 60)):
        survey = rng.choice(["s1", "s2"])
        for question in rng.sample(["Q1", "Q2", "Q10", "Q3"], rng.randint(1, 4)):
            rows.append(
                (
                    survey,
                    f"R{person}",
                    question,
                    rng.choice(["Agree", "Disagree", "Don't know", None, "free text"]),
                    rng.choice(["Ops", "Finance", None]),
                    rng.choice(["a", "b", None]),
                )
            )
    columns = ["survey_id", "respondent_id", "question_ref", "answer", "directorate", "team"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame = frame.where(frame.notna(), None)
    text = {("s1", "Q3"), ("s2", "Q3")}
    got = response_counts(frame, text)
    expected = _counted_row_by_row(frame, text)
    if frame["team"].isna().all():
        expected = expected[expected["group_by"] != "team"]
    if frame["directorate"].isna().all():
        expected = expected[expected["group_by"] != "directorate"]
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False
    )
