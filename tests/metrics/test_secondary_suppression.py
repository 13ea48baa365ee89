"""Secondary suppression across groupings and questions, and after a failed audit."""

from __future__ import annotations

from disclosure_support import NESTED, published, survey_inputs
from odreport.metrics import disclosure, secondary_suppression


def test_a_lone_team_and_its_small_partner_take_a_sibling_with_them(tmp_path):
    """Comms (7) and Hub (5) are below 11: each directorate's other teams would give them away,
    so the smallest sibling shown is hidden too (People 16 in Corporate, Field 25 in Delivery)."""
    inputs = survey_inputs(tmp_path, NESTED)
    built = disclosure.systems(inputs, ["s1"])
    summary = published(inputs, {("team", "Comms"), ("team", "Hub")})["survey_summary"]
    flags = secondary_suppression.suppress_across(summary, built, 11)
    hidden = set(summary.loc[flags, "group"])
    assert hidden == {"Comms", "Hub", "People", "Field"}


def test_after_a_failed_audit_the_smallest_sibling_is_next(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    tables = published(inputs, {("team", "Comms"), ("team", "Hub")})
    result = disclosure.audit(tables, inputs, 11)
    assert not result.passed
    built = disclosure.systems(inputs, ["s1"])
    more = secondary_suppression.more_suppression(result, tables["survey_summary"], built)
    assert more == {("s1", "Q1", "team", "People"), ("s1", "Q1", "team", "Field")}
    assert disclosure.more_suppression(result, tables["survey_summary"], inputs) == more
