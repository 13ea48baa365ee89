"""The illustrative staff survey as a SurveyMonkey export."""

from __future__ import annotations

import pandas as pd

from odreport.demo.survey_design import EXPORT_NAME
from odreport.demo.survey_export import staff_survey_export
from odreport.inputs.surveymonkey import METADATA_HEADERS
from support import REPO

RAW = REPO / "data" / "raw" / "nottingham"


def test_two_header_rows_then_one_row_per_respondent_the_same_for_the_same_seed():
    rows, people = staff_survey_export(7)
    assert rows == staff_survey_export(7)[0]
    assert rows != staff_survey_export(8)[0]
    assert len(rows) == people + 2
    assert rows[0][: len(METADATA_HEADERS)] == list(METADATA_HEADERS)
    assert {len(r) for r in rows} == {len(rows[0])}


def test_export_has_fake_personal_data_that_never_reaches_the_responses():
    export = pd.read_csv(RAW / EXPORT_NAME, dtype=str, keep_default_na=False, header=None)
    emails = export.iloc[2:, 5]
    assert emails.str.endswith("@example.invalid").all()
    assert export.iloc[2:, 4].str.startswith("192.0.2.").all()
    text = (RAW / "survey_responses.csv").read_text(encoding="utf-8")
    assert "@example.invalid" not in text
    assert "192.0.2." not in text
