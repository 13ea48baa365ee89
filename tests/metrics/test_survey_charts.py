"""Chart data of survey results: diverging bar segments and question labels."""

from __future__ import annotations

import pandas as pd

from odreport.metrics.survey_charts import diverging_segments, short_question
from odreport.metrics.survey_counts import ALL


def test_diverging_segments_centre_the_neutral_option():
    summary = pd.DataFrame(
        {
            "survey_id": ["s"],
            "question_ref": ["Q1"],
            "group_by": [ALL],
            "group": ["All"],
            "base": [10.0],
            "question": ["Q"],
        }
    )
    options = pd.DataFrame(
        {
            "survey_id": "s",
            "question_ref": "Q1",
            "group_by": ALL,
            "group": "All",
            "option": ["Disagree", "Neither", "Agree", "Don't know"],
            "option_order": [2, 3, 4, 6],
            "valence": ["unfavourable", "neutral", "favourable", "excluded"],
            "count": [2, 2, 6, 5],
        }
    )
    seg = diverging_segments(options, summary)
    assert seg["option"].tolist() == ["Disagree", "Neither", "Agree"]
    assert seg["start"].tolist() == [-30, -10, 10]
    assert seg["end"].tolist() == [-10, 10, 70]


def test_short_question_keeps_the_grid_item_and_cuts_long_text():
    assert short_question("Q4", "How satisfied are you — with your pay") == "Q4 with your pay"
    label = short_question("Q5", "x" * 60, limit=10)
    assert label == "Q5 " + "x" * 9 + "…"
