"""The five organisations' data, transcribed from their plans: counts and exact values.

Expected values are read off the source documents (each folder's SOURCES.md cites them).
"""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.metrics import surveys
from odreport.paths import Project
from odreport.publish.pipeline import load_and_validate
from support import ORGS, REPO

RAW = REPO / "data" / "raw"


def table(org: str, name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / org / f"{name}.csv", dtype=str, keep_default_na=False)


def per_theme(org: str) -> dict[str, int]:
    return table(org, "actions").groupby("theme_ref", sort=False).size().to_dict()


def test_rotherham_46_objectives_in_six_themes():
    assert per_theme("rotherham") == {"L": 8, "CF": 5, "S": 8, "W": 9, "E": 9, "C": 7}
    a = table("rotherham", "actions").set_index("action_ref")
    assert a.loc["L1", "timescale"] == "February 2016"
    assert a.loc["CF2", "timescale"] == "March 2016 onwards"
    assert a.loc["W6", "timescale"] == "April/May 2016"
    assert a.loc["L8", "timescale"] == "On-going"
    assert a.loc["E4", "detail"].endswith("might improve effectiveness and resilience")
    t = table("rotherham", "themes").set_index("theme_ref")
    assert t.loc["E", "lead"] == "Sue Cassin – Chief Nurse"
    assert t.loc["C", "lead"] == "Ian Atkinson – Deputy Chief Officer"
    assert table("rotherham", "audiences")["audience"].tolist() == [
        "Governing Body",
        "CCG Staff Team",
        "Member Practices",
        "Wider Partners",
    ]


def test_rotherham_practice_manager_survey():
    r = table("rotherham", "survey_results")
    assert r["question_ref"].nunique() == 14  # Q1–Q9 with the grid question as Q4a–Q4f
    q6 = r[(r["question_ref"] == "Q6") & (r["option"] == "Good")].iloc[0]
    assert (q6["percent"], q6["count"], q6["answered"]) == ("73.33", "11", "15")
    q8 = r[(r["question_ref"] == "Q8") & (r["option"] == "Not sure")].iloc[0]
    assert (q8["percent"], q8["count"]) == ("42.86", "6")
    assert len(table("rotherham", "survey_comments")) == 31
    assert table("rotherham", "surveys").iloc[0]["respondents"] == "15"


def test_rotherham_comment_naming_a_member_of_staff_is_shown_without_the_name():
    # Appendix 3b, Q7: "Currently Dawn holding constructive pre meeting ..."; redactions.csv
    # lists the name, so what is written for the report holds the comment without it
    comments = table("rotherham", "survey_comments")
    assert comments["comment"].str.contains(r"\bDawn\b").sum() == 1
    inputs = load_and_validate(Project(REPO), "rotherham").inputs
    shown = surveys.survey_tables(inputs, "2016-06", surveys.SurveySettings())
    written = shown["survey_comments"]["comment"]
    assert not written.str.contains("Dawn", case=False).any()
    assert written.str.startswith("Currently [name removed] holding constructive").sum() == 1


def test_rotherham_survey_scales_and_theme_links():
    s = table("rotherham", "survey_scales")
    pe = s[s["scale"] == "poor-excellent"].sort_values("option_order", key=lambda c: c.astype(int))
    assert pe["option"].tolist() == [
        "Very poor",
        "Poor",
        "Satisfactory",
        "Good",
        "Excellent",
        "Don't know",
    ]
    assert pe.loc[pe["valence"] == "favourable", "option"].tolist() == ["Good", "Excellent"]
    assert pe.loc[pe["valence"] == "excluded", "option"].tolist() == ["Don't know"]
    q = table("rotherham", "survey_questions").set_index("question_ref")
    assert q["theme_ref"][["Q4a", "Q4b", "Q4c", "Q4d", "Q4e", "Q4f"]].tolist() == [
        "L",
        "CF",
        "S",
        "W",
        "E",
        "C",
    ]
    assert q.loc[["Q1", "Q2", "Q6"], "theme_ref"].eq("E").all()
    assert sorted(q.index[q["scale"] == "text"]) == ["Q3", "Q5", "Q7", "Q9"]
    assert q.loc["Q8", "scale"] == "yes-no-not-sure"
    published = table("rotherham", "survey_results").drop_duplicates("question_ref")
    assert dict(zip(published["question_ref"], published["question"], strict=True)) == (
        q["question"].to_dict()
    )
    assert q["source"].str.startswith("Rotherham CCG OD Strategy 2015-2018, Appendix 3b").all()


def test_rotherham_percent_favourable_from_the_published_results():
    from odreport.inputs.tables import read_inputs
    from odreport.metrics import surveys

    inputs = read_inputs(RAW / "rotherham", REPO / "expectations")
    summary, _ = surveys.question_results(inputs, "2016-06", surveys.SurveySettings())
    overall = summary[summary["group_by"] == "all"].set_index("question_ref")
    # Appendix 3b: Q6 Good 11 + Excellent 0 of 15; Q4e Good 8 + Excellent 2 of 15;
    # Q4f Good 8 + Excellent 1 of 15, 4 of them Don't know (out of the base).
    assert round(float(overall.loc["Q6", "pct_favourable"]), 2) == 73.33
    assert round(float(overall.loc["Q4e", "pct_favourable"]), 2) == 66.67
    assert (overall.loc["Q4f", "base"], overall.loc["Q4f", "excluded"]) == (11, 4)
    assert round(float(overall.loc["Q4f", "pct_favourable"]), 2) == 81.82


def test_nottingham_pulse_waves_follow_the_timeline():
    sent = table("nottingham", "milestones")
    sent = sent[(sent["action_ref"] == "TL5") & sent["milestone"].str.startswith("Send out")]
    s = table("nottingham", "surveys")
    pulse = s[s["series"] == "pulse"].sort_values("fielded")
    within_timeline = pulse[pulse["fielded"] <= sent["month"].max()]
    assert within_timeline["fielded"].tolist() == sorted(sent["month"])
    assert set(s["illustrative"]) == {"yes"}
    q = table("nottingham", "survey_questions")
    themes = set(table("nottingham", "themes")["theme_ref"])
    pulse_q = q[q["survey"] == "pulse"]
    assert set(pulse_q["theme_ref"]) - {""} == themes  # every theme evidenced
    assert (pulse_q["scale"] == "text").sum() == 1


def test_darlington_actions_risks_assessment_budget():
    assert per_theme("darlington") == {
        "PA1": 6,
        "PA2": 7,
        "PA3": 10,
        "PA4": 7,
        "PA5": 3,
        "PA6": 5,
        "PA7": 3,
    }
    a = table("darlington", "actions").set_index("action_ref")
    assert a.loc["PA3.3", "cost"] == "£1000 per day @ half a day per month"
    assert a.loc["PA3.6", "timescale"] == "First draft end May 2012 Final draft end October 2012"
    assert a.loc["PA4.3", "cost_gbp"] == "2000"
    real = table("darlington", "progress").query("illustrative == 'no'")
    assert set(real["period"]) == {"2012-06"}
    assert real["status"].value_counts().to_dict() == {
        "In progress": 28,
        "Not started": 5,
        "Complete": 3,
        "Under development": 2,
        "Proposed": 1,
    }
    risks = table("darlington", "risks").set_index("risk_ref")
    assert len(risks) == 9
    assert risks.loc["R5", ["severity", "likelihood", "rating", "rag"]].tolist() == [
        "4",
        "4",
        "12",
        "Red",
    ]
    scores = table("darlington", "assessments").set_index("code")["score"].to_dict()
    assert scores == {"1": "32", "2": "40", "3": "30", "4": "24", "5": "40", "6": "34"}
    assert (
        table("darlington", "maturity_levels")["name"].tolist()[0] == "Not a CCG priority, as yet"
    )
    assert table("darlington", "budget").iloc[0]["amount_gbp"] == "90000"


def test_dorset_objectives_and_framework_mapping():
    assert per_theme("dorset") == {"1": 6, "2": 3, "3": 3, "4": 3, "6": 5}
    a = table("dorset", "actions").set_index("action_ref")
    assert a.loc["1.1", ["lead", "timescale"]].tolist() == ["Quality Directorate", "Ongoing"]
    assert a.loc["1.2", "timescale"] == "September – December 2014"
    assert a.loc["4.1", ["lead", "timescale"]].tolist() == ["Corporate team", "July 2014"]
    m = table("dorset", "mappings")
    assert sorted(m[(m["ref"] == "2") & (m["framework"] == "FoE")]["code"]) == ["1", "2", "5"]
    assert len(table("dorset", "themes")) == 6


def test_nottingham_objectives_timeline_and_deliverables():
    assert len(table("nottingham", "themes")) == 7
    assert len(table("nottingham", "objectives")) == 15
    a = table("nottingham", "actions").set_index("action_ref")
    assert sum(r.startswith("TL") for r in a.index) == 26
    assert a.loc["TL2", ["theme_ref", "category", "lead"]].tolist() == [
        "T4",
        "Staff",
        "Gemma Waring",
    ]
    assert a.loc["O1", "timescale"] == "2019 to 2021" and a.loc["O2", "timescale"] == "2019 to 2020"
    m = table("nottingham", "mappings")
    assert sorted(m[(m["ref"] == "O6") & (m["framework"] == "KD")]["code"], key=int) == [
        "3",
        "6",
        "10",
    ]
    assert (table("nottingham", "frameworks")["framework"] == "KD").sum() == 10


def test_south_staffordshire_programmes_and_wcc_scores():
    assert len(table("south-staffordshire", "themes")) == 5
    assert len(table("south-staffordshire", "objectives")) == 15
    assert len(table("south-staffordshire", "actions")) == 58
    s = table("south-staffordshire", "assessments")
    first = s.drop_duplicates("code")
    assert len(first) == 10
    assert first["score"].tolist() == ["2", "2", "1", "2", "1", "1", "1", "1", "2", "2"]
    targets = s[s["code"].isin(["5", "6"]) & (s["target"] == "3")]
    assert targets["target_date"].tolist() == ["2009", "2009"]
    a = table("south-staffordshire", "actions").set_index("action_ref")
    assert a.loc["PA1.1", ["lead", "timescale"]].tolist() == ["CEO/NED", "6 months"]


@pytest.mark.parametrize("org", ORGS)
def test_every_organisation_validates_and_cites_its_source(org):
    checked = load_and_validate(Project(REPO), org)
    for name, frame in checked.inputs.tables.items():
        if name == "survey_responses":  # no source column: cited by the survey's row
            cited = checked.inputs.tables["surveys"].set_index("survey_id")["source"]
            assert frame["survey_id"].map(cited).notna().all(), (org, name)
            continue
        assert frame["source"].notna().all(), (org, name)
    assert (RAW / org / "SOURCES.md").exists()


def test_published_inconsistencies_are_warnings_not_edits():
    dar = [w.line() for w in load_and_validate(Project(REPO), "darlington").warnings]
    assert (
        "data/raw/darlington/risks.csv:6:rating: rating is not severity × likelihood (found 12, expected 16)"
        in dar
    )
    rot = [w.line() for w in load_and_validate(Project(REPO), "rotherham").warnings]
    assert any(
        "answered + skipped is not the number of respondents" in w and "found 5, expected 15" in w
        for w in rot
    )


# --- corrections (issue 16), each read off the source document -----------------------------


def test_nottingham_o4_has_its_fifth_action_from_section_6():
    a = table("nottingham", "actions").set_index("action_ref")
    detail = a.loc["O4", "detail"]
    assert detail.startswith("Offer coaching/mentoring and workshops/action learning")
    assert detail.endswith(
        "Develop talent management and succession plans through the appraisal and personal "
        "development process to ensure that the capacity and capability needs within the "
        "integrated strategic commissioners and the locality place based commissioners are met"
    )
    assert "section 6" in a.loc["O4", "source"]


def test_rotherham_uses_the_2015_2018_copy_of_appendix_2():
    a = table("rotherham", "actions").set_index("action_ref")
    assert a.loc["L6", "detail"].split("\n") == [
        "Review the talent management policy to ensure fit for purpose",
        "Complete skills audit",
        "Agree an approach to talent management and identify initial cohort",
        "Discuss and agree approach to career development coaching as part of PDR process",
    ]
    assert a["source"].str.endswith("(the copy headed 2015-2018)").all()
    sources = (RAW / "rotherham" / "SOURCES.md").read_text(encoding="utf-8")
    assert "The **2015-2018 copy is used**" in sources


def test_darlington_population_and_leads_from_the_source_column():
    org = table("darlington", "organisation").iloc[0]
    assert org["population"] == "100400"  # "approximately 100,400" (section 1)
    a = table("darlington", "actions").set_index("action_ref")
    assert a.loc["PA1.4", "lead"] == "CO, Executive team"
    assert a.loc["PA3.10", "lead"] == "CFO"
    assert a.loc["PA3.8", "lead"] == "Chair"
    assert a.loc["PA6.3", "lead"] == "NHSI, CNO, GP quality lead"
    # the Source column names only providers or support: no lead named
    assert a.loc["PA4.4", ["resource", "lead"]].tolist() == ["NECS", ""]
    assert (a["lead"] != "").sum() == 25
    assert ((a["lead"] == "") | (a["lead"] == a["resource"])).all()


def test_south_staffordshire_priority_actions_follow_the_document():
    o = table("south-staffordshire", "objectives").set_index("objective_ref")
    assert o.index.tolist() == [f"PA{n}" for n in range(1, 16)]
    assert o.loc["PA12", "objective"] == "Improve the PCT WCC Competency assessment"
    assert o.loc["PA5", "objective"] == "Team coaching and Patient Safety training for the Board"
    a = table("south-staffordshire", "actions").set_index("action_ref")
    assert a.loc["PA12.1", ["lead", "timescale", "category"]].tolist() == [
        "Director Commissioning and Strategy",
        "3 months – 3 years",
        "Improve WCC competency assessment",
    ]
    assert (a["objective_ref"] == a.index.str.split(".").str[0]).all()
    # rows placed under the priority action their content belongs to
    assert a.loc["PA4.1", ["action", "lead", "category"]].tolist() == [
        "Structured system to embed public engagement into commissioning process",
        "Director Commissioning and Strategy Locality Directors",
        "Public Engagement programme",
    ]
    assert a.loc["PA8.6", "action"] == "Hold public events"
    assert a.loc["PA8.7", "action"] == "Patient involvement in JSNA"
    assert a.loc[["PA8.6", "PA8.7"], "category"].eq("Listening to the patient experience").all()
    assert a.loc["PA8.9", ["action", "category"]].tolist() == [
        "Develop and implement a customer care programme for independent contractors and providers",
        "Customer care training",
    ]
    assert a.loc["PA9.1", "category"] == "Build a culture of innovation"
    per_action = a.groupby("objective_ref", sort=False).size().tolist()
    assert per_action == [2, 7, 4, 3, 2, 3, 3, 9, 4, 4, 2, 4, 3, 2, 6]
    org = table("south-staffordshire", "organisation").iloc[0]
    assert org["plan_date"] == "2009-03-30"  # Refresh Version One (30/03/09)


def test_south_staffordshire_programme_competency_mapping():
    m = table("south-staffordshire", "mappings")
    assert set(m["framework"]) == {"WCC"}
    codes = m.groupby("ref")["code"].apply(lambda c: sorted(c, key=int)).to_dict()
    assert codes == {
        "P1": ["1", "2", "3"],
        "P2": ["1", "2", "4", "7"],
        "P3": ["3", "5", "8", "9"],
        "P4": ["4", "8"],
        "P5": [str(c) for c in range(1, 11)],
    }
    assert m["source"].str.contains("section 9.2").all()


@pytest.mark.parametrize("org", ORGS)
def test_known_gaps_in_each_source_are_recorded(org):
    notes = table(org, "source_notes")
    assert len(notes) >= 4
    assert notes["note_ref"].is_unique
    assert notes["source"].str.startswith("SOURCES.md").all()


def test_dorset_gap_is_a_source_note():
    notes = table("dorset", "source_notes").set_index("note_ref")
    assert notes.loc["N1", ["table", "ref", "kind"]].tolist() == ["actions", "5", "gap"]
    assert "objectives 4.4 onwards" in notes.loc["N1", "note"]


@pytest.mark.parametrize("org", ORGS)
def test_every_timescale_is_understood(org):
    checked = load_and_validate(Project(REPO), org)
    assert not [w for w in checked.warnings if w.column == "timescale"]
