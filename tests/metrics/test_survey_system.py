"""One survey's unknown counts: combinations of groups, answers per option, respondents."""

from __future__ import annotations

import pandas as pd

from disclosure_support import NESTED, survey_inputs
from odreport.metrics import disclosure, survey_system, surveys


def test_a_respondent_belongs_to_the_groups_of_their_first_row():
    rows = pd.DataFrame(
        {
            "survey_id": ["s", "s", "s"],
            "respondent_id": ["r1", "r1", "r2"],
            "question_ref": ["Q1", "Q2", "Q1"],
            "answer": ["a", "b", "a"],
            "directorate": ["A", "B", "B"],
            "team": [None, "T", None],
            "staff_group": [None, None, None],
        }
    )
    out = survey_system.respondent_groups(rows)
    assert out["directorate"].tolist() == ["A", "A", "B"]
    assert out["team"].isna().tolist() == [True, True, True]


def test_constants_agree_with_the_survey_tables():
    assert survey_system.ALL == surveys.ALL
    assert survey_system.NOT_STATED == surveys.NOT_STATED
    assert tuple(surveys.GROUP_COLUMNS) == survey_system.GROUPINGS


def test_the_true_counts_are_the_answers(tmp_path):
    """NESTED: Comms has 3 agree and 4 disagree; 70 people in all, 40 of them in Corporate."""
    system = disclosure.systems(survey_inputs(tmp_path, NESTED), ["s1"])["s1"]
    assert system.questions == ["Q1"]
    assert [c[1] for c in system.combos] == ["Comms", "Governance", "People", "Field", "Hub"]
    assert system.truth[system.answer_columns("Q1", "team", "Comms", ["Agree"])].sum() == 3
    assert system.truth[system.answer_columns("Q1", "team", "Comms")].sum() == 7
    assert system.truth[system.respondent_columns("directorate", "Corporate")].sum() == 40
    assert system.truth[system.respondent_columns(survey_system.ALL, "all")].sum() == 70
    # every combination's answers and non-answers add up to its respondents
    for cols, coef, value in system.structure():
        assert system.truth[cols] @ coef == value


def test_a_survey_without_answers_has_no_system(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    assert disclosure.systems(inputs, ["no-such-survey"]) == {}
