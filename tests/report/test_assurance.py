"""Framework coverage, maturity and risk sections, with figures worked by hand."""

from __future__ import annotations

import pytest

from odreport.report import assurance
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


@pytest.fixture
def coverage(make_rows):
    # FoE: D1 has an action not off track; D2's only action is off track; D3 has none.
    # 7S: one domain, covered.
    return make_rows(
        "coverage",
        {"framework": "FoE", "code": "D1", "name": "Leadership", "actions": 2},
        {"framework": "FoE", "code": "D2", "name": "Finance", "actions": 1, "off_track": 1}
        | {"gap": "only off-track actions"},
        {"framework": "FoE", "code": "D3", "name": HOSTILE, "gap": "no action"},
        {"framework": "7S", "code": "S1", "name": "Strategy", "actions": 1},
    )


def test_coverage_counts_domains_and_gaps_per_framework(facts, coverage):
    html = assurance.coverage(report_data(facts, coverage=coverage))
    assert (
        "<p>Framework of Excellence domains: 1 of 3 have at least one action not off track; "
        "2 are gaps.</p>" in html
    )
    assert "<p>McKinsey 7S categories: 1 of 1 have at least one action not off track.</p>" in html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_one_gap_is_a_gap(facts, coverage):
    html = assurance.coverage(report_data(facts, coverage=coverage.drop(index=2)))
    assert "1 of 2 have at least one action not off track; 1 is a gap.</p>" in html


def test_unknown_framework_codes_are_named_as_domains():
    assert assurance.framework_name("FoE") == "Framework of Excellence domains"
    assert assurance.framework_name("XYZ") == "XYZ domains"


def test_maturity_counts_targets_met(facts, make_rows):
    # D1 scores 32 against a target of 60 (not met); D2 scores 70 against 60 (met).
    assessments = make_rows(
        "assessments",
        *[
            {"framework": "AUTH", "code": c, "domain": d, "assessed": "2011", "score": s}
            | {"scale": "percent", "target": 60, "target_date": "2013", "maturity_level": lvl}
            for c, d, s, lvl in (("1", "Clinical focus", 32.0, 2), ("2", "Engagement", 70.0, None))
        ],
    )
    html = assurance.maturity(report_data(facts, assessments=assessments))
    alt = "2 AUTH domains assessed in 2011: scores from 32% to 70%; 1 of 2 targets already met."
    assert f'aria-label="{alt}"' in html
    assert '<td class="num">32</td><td class="num">2</td><td class="num">60</td>' in html
    assert '<td class="num">70</td><td class="num"></td>' in html  # no maturity level


def test_risk_counts_red_ratings_before_and_after_mitigation(facts, make_rows):
    # R1 5×3 = 15 (red), residual 4×2 = 8; R2 4×4 = 16 (red), residual 3×5 = 15 (red);
    # R3 2×2 = 4, no residual rating.
    risks = make_rows(
        "risks",
        *[
            {"risk_ref": ref, "risk": text, "severity": s, "likelihood": lk, "rating": s * lk}
            | {"residual_severity": rs, "residual_likelihood": rl, "residual_rating": rr}
            for ref, text, s, lk, rs, rl, rr in (
                ("R1", "Capacity", 5, 3, 4, 2, 8),
                ("R2", HOSTILE, 4, 4, 3, 5, 15),
                ("R3", "Morale", 2, 2, None, None, None),
            )
        ],
    )
    html = assurance.risk(report_data(facts, risks=risks))
    alt = "3 risks: 2 rated red (15 or more) before mitigation, 1 after mitigation."
    assert f"<figcaption>{alt}</figcaption>" in html
    assert "<caption>Risk register as published</caption>" in html
    # the heat map's data: inherent 5 × 3 holds R1
    assert '<td>Inherent</td><td class="num">5</td><td class="num">3</td>' in html
    assert "<script" not in html and "<img" not in html
