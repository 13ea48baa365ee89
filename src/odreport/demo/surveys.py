"""Seeded illustrative staff surveys for demonstration (Nottingham's pulse and staff surveys).

Nottingham and Nottinghamshire CCGs' OD strategy plans quarterly pulse surveys and an annual
staff survey (Appendix 1, Engagement: "Administer Pulse Surveys (quarterly) and Staff Surveys
(annually)"; OD Timeline row "Pulse Survey and Staff Survey": "Send out survey and analyse
results" in August 2019, December 2019 and April 2020) but publishes no results. The results
here are generated, deterministically from a seed, and every survey row says so
(``illustrative`` = yes, ``source`` names the script and seed).

What the generated data is built to show:

- five pulse waves (series ``pulse``): the timeline's three months, then quarterly to October
  2020, the last demonstration reporting period;
- one question (clear objectives, theme T5) improves after the merger: its latest waves are
  special-cause improvement on an XmR chart; the others vary by common cause only;
- directorates of very different sizes, two of them with fewer than 11 respondents, so
  small-number suppression shows;
- free-text comments, some holding an (illustrative) e-mail address or UK telephone number,
  so redaction shows; every comment is plausible staff text (hostile strings, such as
  ``<script>``, belong in the tests, never in demonstration data a report prints);
- the annual staff survey as a SurveyMonkey export (personal-data columns filled with
  obviously fake values), converted by :mod:`odreport.inputs.surveymonkey` like a real one.

All functions are pure except :func:`write_demo_surveys`, which writes the files. Each draw
uses its own ``random.Random`` seeded from the seed and a label, so nothing depends on global
state. :func:`generate_responses` builds a large synthetic input set quickly (vectorised) for
benchmarks.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from odreport.demo.survey_answers import long_form, pulse_answers, pulse_waves
from odreport.demo.survey_benchmark import generate_responses
from odreport.demo.survey_design import (
    AGREE_OPTIONS,
    DIRECTORATES,
    EXPORT_NAME,
    PLAN,
    POPULATION,
    PRIVACY_COMMENT,
    PULSE_QUESTIONS,
    PULSE_WAVES,
    QUESTION_COLUMNS,
    SCALE,
    SCALE_COLUMNS,
    SERIES,
    STAFF_FIELDED,
    STAFF_QUESTIONS,
    STAFF_SURVEY,
    STAFF_WHY,
    SURVEY_COLUMNS,
    question_row,
)
from odreport.demo.survey_export import staff_survey_export
from odreport.inputs.surveymonkey import (
    convert,
    merge_responses,
    write_responses,
)

__all__ = [  # the demonstration's tables and files, and what the tests check them against
    "DIRECTORATES",
    "EXPORT_NAME",
    "PRIVACY_COMMENT",
    "PULSE_QUESTIONS",
    "STAFF_SURVEY",
    "generate_responses",
    "pulse_responses",
    "survey_tables",
    "write_demo_surveys",
]


def survey_tables(seed: int, source: str) -> dict[str, pd.DataFrame]:
    """surveys, survey_scales and survey_questions of the demonstration (no responses)."""
    _, counts = pulse_waves(seed)
    _, staff_n = staff_survey_export(seed)
    surveys = [
        {
            "survey_id": w.survey_id,
            "title": f"Staff pulse survey {pd.Period(w.fielded).strftime('%B %Y')}",
            "audience": "All CCG staff",
            "fielded": w.fielded,
            "respondents": counts[w.survey_id],
            "population": POPULATION,
            "series": SERIES,
            "illustrative": "yes",
            "source": f"{source}; cadence from {PLAN}, {w.why}",
        }
        for w in PULSE_WAVES
    ]
    surveys.append(
        {
            "survey_id": STAFF_SURVEY,
            "title": "Annual staff survey 2019",
            "audience": "All CCG staff",
            "fielded": STAFF_FIELDED,
            "respondents": staff_n,
            "population": POPULATION,
            "series": "",
            "illustrative": "yes",
            "source": f"{source}; cadence from {PLAN}, {STAFF_WHY}",
        }
    )
    scales = [
        {
            "scale": SCALE,
            "option": option,
            "option_order": i,
            "valence": valence,
            "source": f"{source}: a 5-point agreement scale, Don't know kept out of the base",
        }
        for i, (option, valence) in enumerate(AGREE_OPTIONS, start=1)
    ]
    questions = [
        question_row(owner, q, source)
        for owner, group in ((SERIES, PULSE_QUESTIONS), (STAFF_SURVEY, STAFF_QUESTIONS))
        for q in group
    ]
    return {
        "surveys": pd.DataFrame(surveys, columns=SURVEY_COLUMNS),
        "survey_scales": pd.DataFrame(scales, columns=SCALE_COLUMNS),
        "survey_questions": pd.DataFrame(questions, columns=QUESTION_COLUMNS),
    }


def pulse_responses(seed: int) -> pd.DataFrame:
    """Respondent-level rows of every pulse wave."""
    people, _ = pulse_waves(seed)
    answers = pulse_answers(seed, people)
    parts = [
        long_form(w.survey_id, p, {ref: answers[ref][i] for ref in answers})
        for i, (w, p) in enumerate(zip(PULSE_WAVES, people, strict=True))
    ]
    return pd.concat(parts, ignore_index=True)


def write_demo_surveys(raw_dir: Path, seed: int, source: str) -> dict[str, int]:
    """Write the survey inputs and the staff survey's SurveyMonkey export into ``raw_dir``.

    The staff survey's rows in ``survey_responses.csv`` come from converting the export with
    :func:`odreport.inputs.surveymonkey.convert`, as an analyst's import would. Returns rows written
    per file.
    """
    tables = survey_tables(seed, source)
    for name, frame in tables.items():
        frame.to_csv(raw_dir / f"{name}.csv", index=False, lineterminator="\n")
    export = raw_dir / EXPORT_NAME
    export.parent.mkdir(parents=True, exist_ok=True)
    rows, _ = staff_survey_export(seed)
    with export.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    staff = convert(export, STAFF_SURVEY, tables["survey_questions"])
    responses = merge_responses(pulse_responses(seed), STAFF_SURVEY, staff)
    write_responses(responses, raw_dir / "survey_responses.csv")
    counts = {f"{name}.csv": len(frame) for name, frame in tables.items()}
    counts["survey_responses.csv"] = len(responses)
    counts[EXPORT_NAME] = len(rows) - 2
    return counts
