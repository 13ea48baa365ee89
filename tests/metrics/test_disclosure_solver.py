"""The audit's linear programmes: ranges of suppressed figures, cached per process."""

from __future__ import annotations

from disclosure_support import NESTED, published, survey_inputs
from odreport.metrics import disclosure, disclosure_solver, published_equations
from odreport.metrics.disclosure_terms import AuditResult


def _solved(tmp_path, hide):
    inputs = survey_inputs(tmp_path, NESTED)
    system = disclosure.systems(inputs, ["s1"])["s1"]
    equations = published_equations.survey_equations(
        system, published(inputs, hide), disclosure.answer_valences(inputs)
    )
    result = AuditResult(11)
    disclosure_solver.solve(system, equations, 11, result)
    return system, equations, result


def test_a_team_worked_out_by_subtraction_has_a_range_of_one_value(tmp_path):
    """Comms = Corporate 40 - Governance 17 - People 16 = 7; Hub = 30 - 25 = 5."""
    _, _, result = _solved(tmp_path, {("team", "Comms"), ("team", "Hub")})
    assert {(f.target.group, f.target.measure): (f.low, f.high) for f in result.findings} == {
        ("Comms", "responses"): (7, 7),
        ("Hub", "responses"): (5, 5),
        ("Comms", "respondents"): (7, 7),
        ("Hub", "respondents"): (5, 5),
    }


def test_protected_groups_have_wide_ranges_and_solving_again_costs_nothing(tmp_path):
    hide = {("team", "Comms"), ("team", "People"), ("team", "Hub"), ("team", "Field")}
    system, equations, result = _solved(tmp_path, hide)
    assert result.passed
    assert sorted(result.widths.values()) == [23, 23, 23, 23, 30, 30, 30, 30]
    again = AuditResult(11)
    disclosure_solver.solve(system, equations, 11, again)
    assert again.widths == result.widths and again.linear_programmes == 0
