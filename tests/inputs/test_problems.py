"""Problems as the analyst reads them (one line). (As the report lists them:
tests/report/test_audit.py.)"""

from __future__ import annotations

from odreport.inputs.problems import Problem


def test_a_problem_names_file_row_column_and_message():
    p = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong (found 12)")
    assert p.line() == "data/raw/x/risks.csv:6:rating: rating is wrong (found 12)"
    assert Problem("data/raw/x/risks.csv", None, None, "no rows").line() == (
        "data/raw/x/risks.csv: no rows"
    )


def test_a_problem_standing_for_many_rows_says_how_many():
    p = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong", rows=5)
    assert p.line() == "data/raw/x/risks.csv:6:rating: rating is wrong [and 4 more rows]"



def test_control_characters_in_a_line_are_escaped():
    p = Problem("data/raw/x/a\u202e.csv", 2, "na\x1bme", "bad")
    assert p.line() == "data/raw/x/a\\u202e.csv:2:na\\u001bme: bad"


def test_free_text_is_described_not_shown():
    from odreport.inputs.problems import fmt_private

    assert fmt_private("Call Jo on 07700 900123") == "free text of 23 characters, not shown"
