"""Problems as the analyst reads them (one line) and as the report lists them."""

from __future__ import annotations

from odreport.inputs.problems import WARNING, Problem
from odreport.publish.pipeline import data_quality


def test_a_problem_names_file_row_column_and_message():
    p = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong (found 12)")
    assert p.line() == "data/raw/x/risks.csv:6:rating: rating is wrong (found 12)"
    assert Problem("data/raw/x/risks.csv", None, None, "no rows").line() == (
        "data/raw/x/risks.csv: no rows"
    )


def test_a_problem_standing_for_many_rows_says_how_many():
    p = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong", rows=5)
    assert p.line() == "data/raw/x/risks.csv:6:rating: rating is wrong [and 4 more rows]"


def test_the_reports_data_quality_table_keeps_the_count_of_rows():
    single = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong", WARNING)
    many = Problem("data/raw/x/plan.xlsx[actions]", 9, "lead", "lead is blank", WARNING, rows=12)
    assert data_quality([single, many]) == [
        {"table": "risks", "row": 6, "column": "rating", "message": "rating is wrong"},
        {
            "table": "actions",
            "row": 9,
            "column": "lead",
            "message": "lead is blank [and 11 more rows]",
        },
    ]


def test_control_characters_in_a_line_are_escaped():
    p = Problem("data/raw/x/a\u202e.csv", 2, "na\x1bme", "bad")
    assert p.line() == "data/raw/x/a\\u202e.csv:2:na\\u001bme: bad"


def test_free_text_is_described_not_shown():
    from odreport.inputs.problems import fmt_private

    assert fmt_private("Call Jo on 07700 900123") == "free text of 23 characters, not shown"
