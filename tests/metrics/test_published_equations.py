"""Published survey figures as equations over the survey's counts, and the checks of figures
derived from others."""

from __future__ import annotations

import pandas as pd

from disclosure_support import NESTED, published, survey_inputs
from odreport.metrics import disclosure, published_equations


def _equations(tmp_path, hide):
    inputs = survey_inputs(tmp_path, NESTED)
    system = disclosure.systems(inputs, ["s1"])["s1"]
    tables = published(inputs, hide)
    valences = disclosure.answer_valences(inputs)
    return system, tables, published_equations.survey_equations(system, tables, valences)


def test_every_equation_holds_for_the_true_counts(tmp_path):
    system, _, out = _equations(tmp_path, {("team", "Comms"), ("team", "Hub")})
    assert out.findings == []
    assert out.equations
    for cols, value, label in out.equations:
        assert system.truth[cols].sum() == value, label
    targets = [(t.group, t.measure) for t, _ in out.targets]
    # suppressed in the one question: responses and, as in every question, respondents
    assert targets == [
        ("Comms", "responses"),
        ("Hub", "responses"),
        ("Comms", "respondents"),
        ("Hub", "respondents"),
    ]


def test_a_suppressed_group_with_a_number_left_is_a_leak(tmp_path):
    _, tables, _ = _equations(tmp_path, set())
    summary = tables["survey_summary"]
    summary.loc[summary["group"] == "Hub", "suppressed"] = True
    inputs = survey_inputs(tmp_path, NESTED)
    system = disclosure.systems(inputs, ["s1"])["s1"]
    out = published_equations.survey_equations(system, tables, disclosure.answer_valences(inputs))
    lines = [f.line() for f in out.findings]
    assert any("Hub" in line and "yet responses" in line for line in lines)
    assert any("survey_options" in line for line in lines)


def test_a_trend_must_repeat_the_published_overall_result():
    summary = pd.DataFrame(
        {
            "survey_id": ["s1", "s1"],
            "question_ref": ["Q1", "Q2"],
            "group_by": ["all", "all"],
            "group": ["all", "all"],
            "suppressed": [False, True],
            "pct_favourable": [60.0, None],
            "base": [50.0, None],
            "favourable": [30.0, None],
            "theme_ref": ["E", "E"],
        }
    )
    trends = pd.DataFrame(
        {
            "survey_id": ["s1", "s1", "s1"],
            "measure": ["Q1", "Q2", "theme:E"],
            "value": [60.0, 40.0, 60.0],
            "base": [50.0, 10.0, 50.0],
        }
    )
    found = published_equations.derived_findings(
        {"survey_summary": summary, "survey_trends": trends}
    )
    # Q1 repeats the published result; theme E pools only Q1 (Q2 is suppressed): 30 / 50
    assert [f.line() for f in found] == ["survey_trends s1 Q2: repeats a suppressed result"]
