"""The illustrative annual staff survey as a SurveyMonkey export: two header rows and one row
per respondent, personal-data columns filled with obviously fake values."""

from __future__ import annotations

import pandas as pd

from odreport.demo.survey_answers import (
    closed_answers,
    comment_answers,
    respondents,
    seeded_rng,
)
from odreport.demo.survey_design import (
    PERSONAL_COMMENTS,
    STAFF_COMMENTS,
    STAFF_GRID,
    STAFF_QUESTIONS,
    STAFF_SURVEY,
    TEXT,
)
from odreport.inputs.surveymonkey import METADATA_HEADERS


def staff_survey_export(seed: int) -> tuple[list[list[str]], int]:
    """The annual staff survey as SurveyMonkey's two header rows and one row per respondent.

    Personal-data columns hold obviously fake values (reserved example domain, documentation
    IP range, "Test" names); the converter drops them.
    """
    rate = seeded_rng(seed, STAFF_SURVEY, "rate").uniform(0.55, 0.70)
    people = respondents(seed, STAFF_SURVEY, rate)
    rng = seeded_rng(seed, STAFF_SURVEY, "answers")
    grid = [q for q in STAFF_QUESTIONS if q.ref.startswith("Q1")]
    single = [q for q in STAFF_QUESTIONS if not q.ref.startswith("Q1")]
    answers = {
        q.ref: closed_answers(people, q.level, q.neutral, rng)
        for q in STAFF_QUESTIONS
        if q.scale != TEXT
    }
    answers["Q3"] = comment_answers(people, STAFF_COMMENTS, (PERSONAL_COMMENTS[0],), rng)
    header_1 = [
        *METADATA_HEADERS,
        "Directorate",
        "Team",
        "Staff group",
        STAFF_GRID,
        *[""] * (len(grid) - 1),
        *[q.text for q in single],
    ]
    header_2 = [""] * len(METADATA_HEADERS) + ["Response"] * 3
    header_2 += [q.text.split(" — ", 1)[1] for q in grid]
    header_2 += ["Open-Ended Response" if q.scale == TEXT else "Response" for q in single]
    rows = [header_1, header_2]
    respondent = 11_480_000_000
    for i, person in people.iterrows():
        respondent += rng.randint(3, 40)
        day, minute = 1 + rng.randint(0, 30), rng.randint(0, 44)
        took = rng.randint(3, 15)
        rows.append(
            [
                str(respondent),
                "250000001",
                f"10/{day:02d}/2019 09:{minute:02d}:00 AM",
                f"10/{day:02d}/2019 09:{minute + took:02d}:00 AM",
                f"192.0.2.{i % 250 + 1}",
                f"test.respondent{i + 1:04d}@example.invalid",
                "Test",
                f"Respondent{i + 1:04d}",
                "illustrative",
                person["directorate"],
                _blank_if_missing(person["team"]),
                _blank_if_missing(person["staff_group"]),
                *[answers[q.ref][i] or "" for q in grid],
                *[answers[q.ref][i] or "" for q in single],
            ]
        )
    return rows, len(people)


def _blank_if_missing(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
