"""Seeded answers of the illustrative surveys."""

from __future__ import annotations

from odreport.demo.survey_answers import (
    closed_answers,
    long_form,
    percent_favourable,
    respondents,
    seeded_rng,
)
from odreport.demo.survey_design import DIRECTORATES


def test_the_same_seed_and_label_draw_the_same_people():
    a, b = respondents(5, "w1", 0.6), respondents(5, "w1", 0.6)
    assert a.equals(b)
    assert not a.equals(respondents(5, "w2", 0.6))
    assert set(a["directorate"]) == {d.name for d in DIRECTORATES}
    assert a["respondent_id"].iloc[0] == "R0001" and a["respondent_id"].is_unique


def test_percent_favourable_leaves_dont_know_and_blanks_out_of_the_base():
    answers = ["Agree", "Strongly agree", "Disagree", "Don't know", None]
    assert percent_favourable(answers) == 100 * 2 / 3


def test_closed_answers_hit_the_designed_share_of_the_base():
    people = respondents(3, "w1", 0.6)
    answers = closed_answers(people, 60.0, 20.0, seeded_rng(3, "Q1"))
    assert len(answers) == len(people)
    base = [a for a in answers if a not in (None, "Don't know")]
    favourable = sum(a in ("Agree", "Strongly agree") for a in base)
    assert favourable == round(0.6 * len(base))


def test_long_form_has_a_row_per_respondent_and_question():
    people = respondents(3, "w1", 0.6).head(2)
    frame = long_form("s", people, {"Q1": ["Agree", None], "Q2": [None, "Disagree"]})
    assert frame["respondent_id"].tolist() == ["R0001", "R0001", "R0002", "R0002"]
    assert frame["question_ref"].tolist() == ["Q1", "Q2", "Q1", "Q2"]
    assert frame["answer"].fillna("").tolist() == ["Agree", "", "", "Disagree"]
