"""The large synthetic survey input set for benchmarks."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.demo.survey_benchmark import generate_responses
from odreport.inputs.tables import Inputs
from odreport.metrics import surveys


@pytest.mark.parametrize("n_rows", [1, 17, 1000, 12_345])
def test_generate_responses_gives_exactly_n_rows_deterministically(n_rows):
    first = generate_responses(n_rows, seed=3)
    again = generate_responses(n_rows, seed=3)
    assert len(first["survey_responses"]) == n_rows
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, again[name])
    keys = first["survey_responses"][["survey_id", "respondent_id", "question_ref"]]
    assert not keys.duplicated().any()


def test_generated_benchmark_inputs_are_valid_and_analysable():
    tables = generate_responses(5000, seed=11)
    inputs = Inputs(org="benchmark", tables=tables)
    summary, _ = surveys.question_results(inputs, "2099-12", surveys.SurveySettings())
    overall = summary[summary["group_by"] == "all"]
    counted = overall.groupby("survey_id")["respondents"].max()
    declared = tables["surveys"].set_index("survey_id")["respondents"]
    assert counted.astype(int).to_dict() == declared.astype(int).to_dict()
    assert overall["pct_favourable"].between(0, 100).all()
