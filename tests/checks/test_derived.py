"""Columns the suites derive before validating: text joined per distinct combination, the same
as joining row by row, blanks kept blank."""

from __future__ import annotations

import pandas as pd

from odreport.checks.derived import add_derived_columns, on_distinct, spec_columns
from odreport.inputs.tables import Inputs


def _suite(derived: dict) -> dict:
    return {"meta": {"derived_columns": derived}}


def test_joined_columns_are_blank_when_a_part_is_blank():
    frame = pd.DataFrame(
        {"framework": ["WRES", "WRES", None, "NHS"], "code": ["1", "1", "2", None]}, dtype=object
    )
    names = add_derived_columns(
        frame, _suite({"fc": {"concat": ["framework", "code"], "sep": ":"}}), Inputs(org="x")
    )
    assert names == ["fc"]
    assert frame["fc"].tolist() == ["WRES:1", "WRES:1", None, None]
    assert frame["fc"].dtype == object


def test_question_key_and_scale_of_survey_answers():
    questions = pd.DataFrame(
        {
            "survey": ["pulse", "pulse"],
            "question_ref": ["Q1", "Q2"],
            "question": ["Informed?", "Anything else?"],
            "theme_ref": ["E", None],
            "scale": ["agree", "text"],
            "higher_is_better": ["yes", None],
            "target": [None, None],
        },
        dtype=object,
    )
    surveys = pd.DataFrame({"survey_id": ["w1"], "series": ["pulse"]}, dtype=object)
    inputs = Inputs(org="x", tables={"survey_questions": questions, "surveys": surveys})
    frame = pd.DataFrame(
        {"survey_id": ["w1", "w1", "w1", None], "question_ref": ["Q1", "Q2", "Q9", "Q1"]},
        dtype=object,
    )
    suite = _suite(
        {
            "key": {"question_key": ["survey_id", "question_ref"]},
            "scale": {"question_scale": ["survey_id", "question_ref"]},
        }
    )
    add_derived_columns(frame, suite, inputs)
    assert frame["key"].tolist() == ["w1|Q1", "w1|Q2", "w1|Q9", None]
    assert frame["scale"].tolist() == ["agree", None, None, None]  # free text and unknown: blank


def test_worked_out_once_per_combination_gives_what_each_row_would():
    frame = pd.DataFrame({"a": ["x", "y", "x", None, "y"], "b": ["1", "2", "1", "2", None]}, dtype=object)
    calls = []

    def compute(part):
        calls.append(len(part))
        return part["a"].astype("string") + "-" + part["b"].astype("string")

    out = on_distinct(frame, ["a", "b"], compute)
    row_by_row = compute(frame).astype(object).where(lambda s: s.notna(), None)
    assert calls[0] == 4  # (x, 1), (y, 2), (None, 2), (y, None)
    assert [None if pd.isna(v) else v for v in out] == row_by_row.tolist()
    assert out.tolist()[:3] == ["x-1", "y-2", "x-1"]


def test_a_derivation_from_a_missing_column_is_blank_not_an_error():
    frame = pd.DataFrame({"framework": ["WRES"]}, dtype=object)
    add_derived_columns(frame, _suite({"fc": {"concat": ["framework", "code"]}}), Inputs(org="x"))
    assert frame["fc"].isna().all()
    assert spec_columns({"concat": ["framework", "code"]}) == ["framework", "code"]
