"""The audit's vocabulary: published cells read as numbers, flags and text; findings; results."""

from __future__ import annotations

import math

import pandas as pd

from odreport.metrics.disclosure_terms import (
    AuditResult,
    Finding,
    Target,
    close,
    flag,
    number,
    text,
)


def test_cells_read_back_from_csv_as_text_mean_what_they_say():
    assert number("12") == 12.0 and number(" ") is None and number(pd.NA) is None
    assert number(None) is None and number(3) == 3.0
    assert flag("True") and flag(" true ") and not flag("False") and not flag("")
    assert flag(True) and not flag(None) and not flag(pd.NA)
    assert text(None) == "" and text(pd.NA) == "" and text("Hub") == "Hub"
    assert close(100 * 3 / 7, 42.857142857142854) and not close(42.8, 42.9)


def test_a_finding_names_the_range_not_the_value():
    target = Target("s1", "Q1", "team", "Comms", "responses")
    finding = Finding(target, 7, 7)
    assert finding.line() == (
        "survey s1 Q1, team 'Comms': responses can be worked out from the published figures "
        "to between 7 and 7"
    )
    whole = Target("s1", "", "all", "all", "respondents")
    assert Finding(whole, 0, math.inf).line().endswith("between 0 and unbounded")
    assert Finding(None, 0, 0, "leak").line() == "leak"


def test_a_result_passes_only_without_findings():
    result = AuditResult(11)
    assert result.passed and result.min_width is None
    result.widths[Target("s1", "Q1", "team", "A", "responses")] = 23
    result.widths[Target("s1", "Q1", "team", "B", "responses")] = 30
    result.audited, result.equations = 2, 9
    assert result.min_width == 23
    assert result.describe() == (
        "2 suppressed figures audited against 9 published figures; narrowest range 23 "
        "(threshold 11); 0 problems"
    )
    result.findings.append(Finding(None, 0, 0, "leak"))
    assert not result.passed
