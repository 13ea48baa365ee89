"""The diverging stacked bar's answer colours (odreport.report.diverging_charts)."""

from __future__ import annotations

import pandas as pd

from odreport.report import diverging_charts


def test_answer_colours_darken_towards_each_end_of_the_scale():
    segments = pd.DataFrame(
        {
            "option": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
            "valence": ["unfavourable", "unfavourable", "neutral", "favourable", "favourable"],
            "option_order": [1, 2, 3, 4, 5],
        }
    )
    colours = diverging_charts.option_colours(segments)
    assert colours == {
        "Strongly disagree": diverging_charts.DIVERGING["unfavourable"][0],
        "Disagree": diverging_charts.DIVERGING["unfavourable"][1],
        "Neither": diverging_charts.DIVERGING["neutral"][0],
        "Agree": diverging_charts.DIVERGING["favourable"][0],
        "Strongly agree": diverging_charts.DIVERGING["favourable"][1],
    }


def test_a_question_label_is_at_most_two_lines_cut_with_an_ellipsis():
    # wrapped at 20 characters: "Q1a I would" / "recommend the CCG as" / "a place to work"
    label = diverging_charts.question_label("Q1a I would recommend the CCG as a place to work")
    assert label == "Q1a I would\nrecommend the CCG…"
    assert all(len(line) <= diverging_charts.QUESTION_CHARS for line in label.split("\n"))
    assert diverging_charts.question_label("Q2 My views count") == "Q2 My views count"
    assert diverging_charts.question_label("Q3 I am heard by my line manager") == (
        "Q3 I am heard by my\nline manager"
    )
