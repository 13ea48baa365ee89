"""Small surveys for the disclosure tests: one survey ``s1`` with answers of people in
directorates, teams and staff groups, and its figures as a report would publish them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from odreport.inputs.tables import read_inputs
from odreport.metrics import surveys
from odreport.metrics.surveys import SurveySettings
from support import REPO

SCALES = """scale,option,option_order,valence,source
agree,Disagree,1,unfavourable,t
agree,Agree,2,favourable,t
agree,Don't know,3,excluded,t
"""
QUESTIONS = """survey,question_ref,question,theme_ref,scale,higher_is_better,target,source
s1,Q1,I feel well informed,E,agree,yes,,t
s1,Q2,Anything else?,,text,,,t
"""


def survey_inputs(tmp_path: Path, people: list[tuple[str, str, str, int, int]]):
    """One survey ``s1``; ``people``: (directorate, team, staff group, agree, disagree)."""
    raw = tmp_path / "org"
    raw.mkdir(exist_ok=True)
    (raw / "surveys.csv").write_text(
        "survey_id,title,audience,fielded,respondents,population,series,illustrative,source\n"
        "s1,Staff survey,Staff,2020-01,,,,yes,t\n",
        encoding="utf-8",
    )
    (raw / "survey_scales.csv").write_text(SCALES, encoding="utf-8")
    (raw / "survey_questions.csv").write_text(QUESTIONS, encoding="utf-8")
    body = "survey_id,respondent_id,question_ref,answer,directorate,team,staff_group\n"
    n = 0
    for directorate, team, staff, agree, disagree in people:
        for answer in ["Agree"] * agree + ["Disagree"] * disagree:
            n += 1
            body += f"s1,r{n},Q1,{answer},{directorate},{team},{staff}\n"
    (raw / "survey_responses.csv").write_text(body, encoding="utf-8")
    return read_inputs(raw, REPO / "expectations")


def published(inputs, hide: set[tuple[str, str]]) -> dict[str, pd.DataFrame]:
    """Every figure of the survey, with the groups in ``hide`` suppressed (numbers blanked)."""
    summary, options = surveys.question_results(inputs, "2020-01", SurveySettings(min_group_size=1))
    keys = list(zip(summary["group_by"], summary["group"], strict=True))
    summary["suppressed"] = [k in hide for k in keys]
    numbers = ["responses", "favourable", "neutral", "unfavourable", "excluded", "base"]
    numbers += ["pct_favourable", "respondents", "skipped"]
    summary.loc[summary["suppressed"], numbers] = pd.NA
    shown = [k not in hide for k in zip(options["group_by"], options["group"], strict=True)]
    return {"survey_summary": summary, "survey_options": options[shown]}


# Directorate Corporate (40) has teams Governance (17), People (16) and Comms (7); directorate
# Delivery (30) has teams Field (25) and Hub (5). Comms and Hub together reach 12.
NESTED = [
    ("Corporate", "Governance", "", 11, 6),
    ("Corporate", "People", "", 10, 6),
    ("Corporate", "Comms", "", 3, 4),
    ("Delivery", "Field", "", 20, 5),
    ("Delivery", "Hub", "", 2, 3),
]
