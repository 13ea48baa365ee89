"""Survey analytics: counts, percent favourable, suppression, comments, trends (tiny inputs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from odreport.inputs.tables import read_inputs
from odreport.metrics import surveys
from odreport.metrics.surveys import ALL, SurveySettings
from support import REPO

SCALES = """scale,option,option_order,valence,source
agree,Strongly disagree,1,unfavourable,t
agree,Disagree,2,unfavourable,t
agree,Neither agree nor disagree,3,neutral,t
agree,Agree,4,favourable,t
agree,Strongly agree,5,favourable,t
agree,Don't know,6,excluded,t
"""
QUESTIONS = """survey,question_ref,question,theme_ref,scale,higher_is_better,target,source
pulse,Q1,I feel well informed,E,agree,yes,60,t
pulse,Q2,I would recommend this place to work,L,agree,yes,,t
pulse,Q3,Anything else?,,text,,,t
"""


def _write(raw: Path, name: str, text: str) -> None:
    (raw / f"{name}.csv").write_text(text, encoding="utf-8")


def _inputs(tmp_path: Path, responses: list[tuple], waves=(("w1", "2020-01"),), population=""):
    raw = tmp_path / "org"
    raw.mkdir(exist_ok=True)
    surveys_csv = (
        "survey_id,title,audience,fielded,respondents,population,series,illustrative,source\n"
    )
    for sid, month in waves:
        surveys_csv += f"{sid},Pulse {month},Staff,{month},,{population},pulse,yes,t\n"
    _write(raw, "surveys", surveys_csv)
    _write(raw, "survey_scales", SCALES)
    _write(raw, "survey_questions", QUESTIONS)
    body = "survey_id,respondent_id,question_ref,answer,directorate,team,staff_group\n"
    body += "".join(
        ",".join(f'"{v}"' if "," in str(v) else str(v) for v in row) + "\n" for row in responses
    )
    _write(raw, "survey_responses", body)
    return read_inputs(raw, REPO / "expectations")


def _people(survey: str, directorate: str, n: int, answer: str, start: int = 0) -> list[tuple]:
    return [
        (survey, f"{directorate}{i + start}", "Q1", answer, directorate, "", "") for i in range(n)
    ]


def test_percent_favourable_leaves_dont_know_and_skipped_out_of_the_base(tmp_path):
    rows = (
        _people("w1", "A", 6, "Agree")
        + _people("w1", "A", 2, "Disagree", 6)
        + _people("w1", "A", 2, "Neither agree nor disagree", 8)
        + _people("w1", "A", 3, "Don't know", 10)
    )
    rows.append(("w1", "A99", "Q2", "Agree", "A", "", ""))  # answered Q2 only: skipped Q1
    summary, options = surveys.question_results(
        _inputs(tmp_path, rows), "2020-01", SurveySettings(min_group_size=1)
    )
    q1 = summary[(summary["question_ref"] == "Q1") & (summary["group_by"] == ALL)].iloc[0]
    assert (q1["favourable"], q1["neutral"], q1["unfavourable"], q1["excluded"]) == (6, 2, 2, 3)
    assert q1["base"] == 10 and q1["pct_favourable"] == 60
    assert q1["respondents"] == 14 and q1["skipped"] == 1
    agree = options[(options["question_ref"] == "Q1") & (options["option"] == "Agree")]
    assert agree["percent"].iloc[0] == pytest.approx(100 * 6 / 13)


def test_a_small_group_and_its_smallest_neighbour_are_suppressed(tmp_path):
    rows = (
        _people("w1", "Big", 30, "Agree")
        + _people("w1", "Mid", 20, "Disagree")
        + _people("w1", "Tiny", 5, "Agree")
    )
    summary, options = surveys.question_results(
        _inputs(tmp_path, rows), "2020-01", SurveySettings()
    )
    q1 = summary[(summary["question_ref"] == "Q1") & (summary["group_by"] == "directorate")]
    hidden = dict(zip(q1["group"], q1["suppressed"], strict=True))
    # Tiny alone would be total minus the others: Mid is hidden too
    assert hidden == {"Big": False, "Mid": True, "Tiny": True}
    assert (
        q1.loc[q1["suppressed"], ["responses", "favourable", "pct_favourable"]].isna().all().all()
    )
    shown = set(options.loc[options["group_by"] == "directorate", "group"])
    assert shown == {"Big"}


def test_whole_survey_below_threshold_shows_nothing_and_no_comments(tmp_path):
    rows = [*_people("w1", "A", 8, "Agree"), ("w1", "A0", "Q3", "Great team", "A", "", "")]
    inputs = _inputs(tmp_path, rows)
    tables = surveys.survey_tables(inputs, "2020-01", SurveySettings())
    assert tables["survey_summary"]["suppressed"].all()
    assert tables["survey_options"].empty
    assert tables["survey_comments"].empty
    assert tables["survey_overview"]["respondents"].isna().all()


def test_comments_are_redacted_and_can_be_turned_off(tmp_path):
    rows = _people("w1", "A", 12, "Agree")
    rows.append(("w1", "A1", "Q3", "Ring me on 0115 123 4567 or jo.bloggs@nhs.net", "A", "", ""))
    rows.append(("w1", "A2", "Q3", "<script>alert(1)</script>", "A", "", ""))
    inputs = _inputs(tmp_path, rows)
    shown = surveys.survey_tables(inputs, "2020-01", SurveySettings())["survey_comments"]
    assert shown["comment"].tolist() == [
        "Ring me on [telephone number removed] or [e-mail address removed]",
        "<script>alert(1)</script>",  # kept as data; escaped when rendered
    ]
    assert shown["question"].iloc[0] == "Anything else?"
    off = surveys.survey_tables(inputs, "2020-01", SurveySettings(comments=False))
    assert off["survey_comments"].empty


def test_comments_are_redacted_of_the_names_redactions_lists(tmp_path):
    rows = _people("w1", "A", 12, "Agree")
    rows.append(("w1", "A1", "Q3", "Thanks to DAWN and to Sarah  Whittle", "A", "", ""))
    rows.append(("w1", "A2", "Q3", "Dawning realisation: more time needed", "A", "", ""))
    inputs = _inputs(tmp_path, rows)
    assert surveys.names_listed(inputs) == 0
    _write(
        tmp_path / "org",
        "redactions",
        "text,note,source\nDawn,staff member,review\nSarah Whittle,,review\n",
    )
    inputs = read_inputs(tmp_path / "org", REPO / "expectations")
    assert surveys.names_listed(inputs) == 2
    shown = surveys.survey_tables(inputs, "2020-01", SurveySettings())["survey_comments"]
    assert shown["comment"].tolist() == [
        "Thanks to [name removed] and to [name removed]",
        "Dawning realisation: more time needed",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123 please", "call [telephone number removed] please"),
        ("+44 (0)20 7946 0018", "[telephone number removed]"),
        ("(0114) 496 0999 ext", "[telephone number removed] ext"),
        ("01632-960-001", "[telephone number removed]"),
        ("mail a.b-c@example.co.uk now", "mail [e-mail address removed] now"),
        ("met on 12/03/2020, 25 staff, 2019-2020 budget £90,000", None),
        ("ref 123456", None),
    ],
)
def test_redact(text, expected):
    assert surveys.redact(text) == (expected if expected is not None else text)


def test_series_questions_cover_every_wave_and_give_trends(tmp_path):
    waves = [(f"w{i}", f"2020-{i:02d}") for i in range(1, 7)]
    rows = []
    for i, (sid, _) in enumerate(waves):
        n_agree = 10 + 2 * i
        rows += [
            (sid, f"r{j}", "Q1", "Agree" if j < n_agree else "Disagree", "A", "", "")
            for j in range(30)
        ]
        rows += [
            (sid, f"r{j}", "Q2", "Agree" if j % 2 else "Disagree", "A", "", "") for j in range(30)
        ]
    inputs = _inputs(tmp_path, rows, waves=waves)
    assert surveys.question_map(inputs)[("w4", "Q1")]["target"] == 60
    tables = surveys.survey_tables(inputs, "2020-05", SurveySettings())
    trend = tables["survey_trends"]
    q1 = trend[trend["measure"] == "Q1"]
    assert q1["wave"].tolist() == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert q1["value"].round(2).tolist() == [round(100 * (10 + 2 * i) / 30, 2) for i in range(5)]
    result = surveys.trend_analysis(q1)
    assert result is not None and result.trial
    assert result.assurance == "hits and misses" or result.assurance.startswith("consistently")
    theme = trend[trend["measure"] == "theme:E"]
    assert theme["value"].tolist() == q1["value"].tolist()  # one question: the same score
    ev = tables["survey_evidence"]
    assert set(ev["question_ref"]) == {"Q1", "Q2"}
    assert ev.loc[ev["question_ref"] == "Q1", "fielded"].iloc[0] == "2020-05"


def test_published_results_give_counts_from_percentages(repo_project):
    inputs = read_inputs(repo_project.raw_dir("rotherham"), repo_project.expectations)
    summary, options = surveys.question_results(inputs, "2016-06", SurveySettings())
    q1 = options[(options["question_ref"] == "Q1")].set_index("option")["count"]
    # Appendix 3b prints percentages only for Q1: 20.00, 66.67, 13.33 of 15 answered
    assert q1.to_dict() == {
        "Very poor": 0,
        "Poor": 0,
        "Satisfactory": 3,
        "Good": 10,
        "Excellent": 2,
    }
    q2 = summary[summary["question_ref"] == "Q2"].iloc[0]
    assert (q2["responses"], q2["skipped"]) == (14, 1)
