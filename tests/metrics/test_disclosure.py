"""Disclosure control: hand-worked tables the audit must pass or fail, and the two Nottingham
cases of issue 15 (a team worked out by subtraction, a directorate that is one team)."""

from __future__ import annotations

import pandas as pd
import pytest

from disclosure_support import NESTED, published, survey_inputs
from odreport.inputs.tables import read_inputs
from odreport.metrics import disclosure, surveys
from odreport.metrics.disclosure import DisclosureError
from odreport.metrics.surveys import SurveySettings
from support import REPO


def test_a_team_is_its_directorate_minus_the_teams_shown(tmp_path):
    """Suppressing Comms and Hub passes the per-breakdown rule (two groups, 12 together), but
    Comms = Corporate 40 - Governance 17 - People 16 = 7 exactly: the audit must fail."""
    inputs = survey_inputs(tmp_path, NESTED)
    tables = published(inputs, {("team", "Comms"), ("team", "Hub")})
    result = disclosure.audit(tables, inputs, 11)
    assert not result.passed
    ranges = {(f.target.group, f.target.measure): (f.low, f.high) for f in result.findings}
    assert ranges == {
        ("Comms", "responses"): (7, 7),
        ("Hub", "responses"): (5, 5),
        # suppressed in every question: their respondents are audited too
        ("Comms", "respondents"): (7, 7),
        ("Hub", "respondents"): (5, 5),
    }
    with pytest.raises(DisclosureError) as err:
        disclosure.audit_published(tables, inputs, 11)
    assert err.value.exit_code == 1
    assert "team 'Comms': responses can be worked out" in str(err.value)


def test_two_teams_of_one_directorate_hidden_together_are_protected(tmp_path):
    """Hiding People as well: Comms + People = 40 - 17 = 23, so Comms is anywhere in 0..23;
    Hub = Delivery 30 - Field 25 = 5 still, so Field must go too: Hub + Field = 30."""
    inputs = survey_inputs(tmp_path, NESTED)
    hide = {("team", "Comms"), ("team", "Hub"), ("team", "People")}
    result = disclosure.audit(published(inputs, hide), inputs, 11)
    assert [f.target.group for f in result.findings] == ["Hub", "Hub"]
    result = disclosure.audit(published(inputs, hide | {("team", "Field")}), inputs, 11)
    assert result.passed
    assert result.widths[disclosure.Target("s1", "Q1", "team", "Comms", "responses")] == 23
    assert result.widths[disclosure.Target("s1", "Q1", "team", "Hub", "responses")] == 30
    # suppressed in every question: their respondents are audited too, with the same ranges
    assert result.widths[disclosure.Target("s1", "", "team", "Comms", "respondents")] == 23
    assert result.audited == 8


def test_survey_tables_suppress_until_the_audit_passes(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    summary = tables["survey_summary"]
    hidden = set(summary.loc[summary["suppressed"], "group"])
    assert hidden == {"Comms", "People", "Hub", "Field"}
    assert disclosure.audit_published(tables, inputs, 11).passed


def test_a_team_that_is_a_whole_directorate_is_hidden_with_it(tmp_path):
    """Directorate Strategy is exactly team Plans: hiding one and not the other hides nothing."""
    people = [
        ("Strategy", "Plans", "", 20, 7),
        ("Ops", "North", "", 30, 10),
        ("Ops", "South", "", 25, 10),
        ("Exec", "", "", 3, 2),
    ]
    inputs = survey_inputs(tmp_path, people)
    tables = published(inputs, {("directorate", "Exec"), ("directorate", "Strategy")})
    result = disclosure.audit(tables, inputs, 11)
    got = {(f.target.group_by, f.target.group): (f.low, f.high) for f in result.findings}
    assert got[("directorate", "Strategy")] == (27, 27)  # team Plans shows the same 27
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    summary = tables["survey_summary"]
    flags = dict(zip(summary["group"], summary["suppressed"], strict=True))
    assert flags["Strategy"] == flags["Plans"]
    assert disclosure.audit_published(tables, inputs, 11).passed


def test_staff_groups_crossing_teams_are_part_of_the_system(tmp_path):
    """Teams A (20) and B (6) cross staff groups X and Y; hiding B and the small staff group Y
    (6 = B exactly) looks safe per breakdown only if each has a partner: the audit sees that
    B's people are all of Y's."""
    people = [("D", "A", "X", 12, 8), ("D", "B", "Y", 4, 2), ("E", "C", "X", 9, 6)]
    inputs = survey_inputs(tmp_path, people)
    tables = published(
        inputs, {("team", "B"), ("team", "C"), ("staff_group", "Y"), ("directorate", "E")}
    )
    result = disclosure.audit(tables, inputs, 11)
    assert not result.passed  # Y = all - X = 41 - 35 = 6, and B is inside Y alone
    protected = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    assert disclosure.audit_published(protected, inputs, 11).passed


def test_a_suppressed_group_with_a_number_left_fails(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    tables = published(inputs, set())
    tables["survey_summary"].loc[tables["survey_summary"]["group"] == "Hub", "suppressed"] = True
    result = disclosure.audit(tables, inputs, 11)
    assert any("Hub" in f.line() and "yet responses" in f.line() for f in result.findings)
    assert any("survey_options" in f.line() for f in result.findings)


def test_trends_and_evidence_may_only_repeat_published_results(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    assert disclosure.audit(tables, inputs, 11).passed
    evidence = tables["survey_evidence"].copy()
    evidence.loc[:, "base"] = evidence["base"] - 1
    tables = {**tables, "survey_evidence": evidence}
    result = disclosure.audit(tables, inputs, 11)
    assert [f.line() for f in result.findings] == [
        "survey_evidence s1 Q1: differs from the published result"
    ]


def test_whole_survey_below_the_threshold_is_unbounded_and_passes(tmp_path):
    inputs = survey_inputs(tmp_path, [("A", "", "", 3, 2), ("B", "", "", 2, 1)])
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    result = disclosure.audit_published(tables, inputs, 11)
    assert result.min_width == float("inf")


def test_valences_come_from_the_question_scales(tmp_path):
    inputs = survey_inputs(tmp_path, NESTED)
    valences = disclosure.answer_valences(inputs)
    assert valences[("s1", "Q1", "Agree")] == "favourable"
    assert valences[("s1", "Q1", "Don't know")] == "excluded"


# --- the Nottingham cases of issue 15 ---------------------------------------------------------


@pytest.fixture(scope="module")
def nottingham():
    inputs = read_inputs(REPO / "data" / "raw" / "nottingham", REPO / "expectations")
    everything, _ = surveys.question_results(inputs, "2021-03", SurveySettings(min_group_size=1))
    before = surveys.suppress(everything.drop(columns="suppressed"), 11)  # per breakdown only
    tables = surveys.survey_tables(inputs, "2021-03", SurveySettings())
    return inputs, everything, before, tables


def _row(frame: pd.DataFrame, survey: str, question: str, group: str) -> pd.Series:
    hit = frame[
        (frame["survey_id"] == survey)
        & (frame["question_ref"] == question)
        & (frame["group"] == group)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


def test_nottingham_pulse_team_by_subtraction_was_possible_and_is_not_now(nottingham):
    inputs, everything, before, tables = nottingham
    teams = ["Governance", "HR and OD", "Communications and Engagement"]
    parent = _row(before, "pulse-2020-10", "Q1", "Corporate Services")
    shown = [_row(before, "pulse-2020-10", "Q1", t) for t in teams]
    # before: Corporate Services 40, Governance 17, HR and OD 16 shown; the third suppressed
    assert [bool(r["suppressed"]) for r in [parent, *shown]] == [False, False, False, True]
    base = parent["base"] - shown[0]["base"] - shown[1]["base"]
    favourable = parent["favourable"] - shown[0]["favourable"] - shown[1]["favourable"]
    truth = _row(everything, "pulse-2020-10", "Q1", teams[2])
    assert (base, favourable) == (40 - 17 - 16, 24 - 11 - 10) == (truth["base"], 3)
    # now: another team of the directorate is hidden too, and no range is narrower than 11
    summary = tables["survey_summary"]
    now = [_row(summary, "pulse-2020-10", "Q1", t) for t in teams]
    assert now[2]["suppressed"] and (now[0]["suppressed"] or now[1]["suppressed"])
    result = disclosure.audit_published(tables, inputs, 11)
    target = disclosure.Target("pulse-2020-10", "Q1", "team", teams[2], "responses")
    assert result.widths[target] >= 11


def test_nottingham_staff_survey_directorate_is_not_shown_as_its_one_team(nottingham):
    inputs, _, before, tables = nottingham
    old = [
        _row(before, "staff-2019", "Q1a", g) for g in ("Strategy and Transformation", "Strategy")
    ]
    assert [bool(r["suppressed"]) for r in old] == [True, False]  # the same 27 people
    assert old[1]["responses"] == 27
    summary = tables["survey_summary"]
    now = [
        _row(summary, "staff-2019", q, g)
        for q in ("Q1a", "Q2")
        for g in ("Strategy and Transformation", "Strategy")
    ]
    assert all(bool(r["suppressed"]) for r in now)
    result = disclosure.audit_published(tables, inputs, 11)
    assert result.passed and result.min_width >= 11
    assert result.audited > 0


def test_the_audit_reads_tables_back_from_csv_as_published(tmp_path):
    """What data/processed holds (and so report.ipynb, report.html and the public version)."""
    inputs = survey_inputs(tmp_path, NESTED)
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    folder = tmp_path / "processed"
    folder.mkdir()
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    back = {p.stem: pd.read_csv(p) for p in folder.glob("*.csv")}
    assert disclosure.audit_published(back, inputs, 11).passed
    text = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in folder.glob("*.csv")}
    assert disclosure.audit_published(text, inputs, 11).passed
    summary = back["survey_summary"]
    summary.loc[summary["group"] == "People", ["responses", "suppressed"]] = [16, False]
    with pytest.raises(DisclosureError, match="team 'Comms': responses can be worked out"):
        disclosure.audit_published(back, inputs, 11)
