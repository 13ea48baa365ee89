"""Failed expectation results phrased as problems: one line per row up to three rows, one line
with a count beyond; free-text values described, never shown; renamed columns recognised."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from odreport.checks.messages import MAX_ROWS_LISTED, problems_from_result
from odreport.errors import OdReportError


def _result(kind: str, kwargs: dict, result: dict, meta: dict | None = None, severity="critical"):
    config = SimpleNamespace(type=kind, kwargs=kwargs, meta=meta or {}, severity=severity)
    return SimpleNamespace(expectation_config=config, exception_info={}, result=result)


def _lines(res, frame=None, **kw):
    frame = frame if frame is not None else pd.DataFrame()
    return [p.line() for p in problems_from_result(res, "t.csv", frame, **kw)]


def test_each_row_is_named_up_to_three_then_counted():
    kwargs = {"column": "rag", "value_set": ["Green", "Red"]}
    meta = {"message": "not an allowed value"}
    few = _result(
        "expect_column_values_to_be_in_set",
        kwargs,
        {"unexpected_index_list": [4, 2], "unexpected_list": ["Gren", "Gren"]},
        meta,
    )
    assert _lines(few) == [
        "t.csv:2:rag: not an allowed value (found 'Gren', expected one of Green, Red)",
        "t.csv:4:rag: not an allowed value (found 'Gren', expected one of Green, Red)",
    ]
    rows = list(range(10, 10 + MAX_ROWS_LISTED + 2))
    many = _result(
        "expect_column_values_to_be_in_set",
        kwargs,
        {"unexpected_index_list": rows, "unexpected_list": ["Gren"] * len(rows)},
        meta,
    )
    (line,) = _lines(many)
    assert line.startswith("t.csv:10:rag: not an allowed value (found 'Gren'")
    assert line.endswith("[and 4 more rows]")


def test_free_text_values_are_described_unless_an_option():
    res = _result(
        "expect_column_values_to_be_in_set",
        {"column": "answer", "value_set": {"$PARAMETER": "scale_options"}},
        {"unexpected_index_list": [2, 3], "unexpected_list": ["call me 07700 900123", "Agree"]},
        {"message": "not an option", "expected_many": "an option of the scale"},
    )
    lines = _lines(res, private=("answer",), printable=frozenset({"Agree"}))
    assert not any("07700" in line for line in lines)
    assert "t.csv:3:answer: not an option (found 'Agree', expected an option of the scale)" in lines


def test_a_renamed_column_is_one_problem_not_missing_plus_unknown():
    res = _result(
        "expect_table_columns_to_match_set",
        {"column_set": ["theme_ref", "lead"]},
        {"details": {"mismatched": {"missing": ["theme_ref"], "unexpected": ["Theme Ref"]}}},
    )
    assert _lines(res) == [
        "t.csv:1:theme_ref: column renamed (found 'Theme Ref', expected 'theme_ref')"
    ]


def test_a_check_that_could_not_run_is_an_error_not_bad_data():
    res = _result("expect_column_values_to_not_be_null", {"column": "x"}, {})
    res.exception_info = {"raised_exception": True, "exception_message": "boom"}
    with pytest.raises(OdReportError, match="could not run"):
        _lines(res)
