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


def test_maturity_judges_each_target_and_states_the_assessments_age(facts, make_rows):
    # At 31 March 2016: D1 scores 32 against 60 by 2013 (passed: missed); D2 scores 70
    # against 60 (met); D3 scores 50 against 60 by 2017 (not yet due). Assessed in 2011: 51
    # months before March 2016, counted from the end of 2011.
    assessments = make_rows(
        "assessments",
        *[
            {"framework": "AUTH", "code": c, "domain": d, "assessed": "2011", "score": s}
            | {"scale": "percent", "target": 60, "target_date": due, "maturity_level": lvl}
            | {"assessment_age_months": 51, "target_status": status}
            for c, d, s, lvl, due, status in (
                ("1", "Clinical focus", 32.0, 2, "2013", "missed"),
                ("2", "Engagement", 70.0, None, "2013", "met"),
                ("3", "Planning", 50.0, None, "2017", "not yet due"),
            )
        ],
    )
    html = assurance.maturity(report_data(facts, assessments=assessments))
    alt = (
        "3 AUTH domains assessed in 2011: scores from 32% to 70%; 3 targets: 1 met, 1 missed, "
        "1 not yet due."
    )
    assert f'aria-label="{alt}"' in html
    assert (
        "<p>The AUTH assessment dates from 2011: it is 51 months old at the reporting date "
        "(counted from the end of the year); its targets are judged on it.</p>" in html
    )
    assert (
        '<td class="num">32</td><td class="num">2</td><td class="num">60</td><td>2013</td>'
        "<td>missed</td>" in html
    )
    assert '<td class="num">70</td><td class="num"></td>' in html  # no maturity level


def test_an_assessment_of_a_month_and_its_age(facts, make_rows):
    assessments = make_rows(
        "assessments",
        {"framework": "WCC", "code": "1", "domain": "Lead", "assessed": "2009-03", "score": 2.0}
        | {"scale": "level", "target": 2.0, "target_date": "2010", "target_status": "met"}
        | {"assessment_age_months": 15},
    )
    data = report_data(facts, assessments=assessments)
    html = assurance.maturity(data)
    assert "<p>The WCC assessment dates from March 2009: it is 15 months old at the " in html
    assert assurance.assessment_ages(data) == "March 2009, 15 months old"


def _risks(make_rows, *rows):
    return make_rows(
        "risks",
        *[
            {"risk_ref": ref, "risk": text, "severity": s, "likelihood": lk, "rating": rating}
            | {"rag": rag, "residual_severity": rs, "residual_likelihood": rl}
            | {"residual_rating": rr, "residual_rag": rrag}
            for ref, text, s, lk, rating, rag, rs, rl, rr, rrag in rows
        ],
    )


def test_risk_counts_the_published_rag_as_the_register_does(facts, make_rows):
    # R1 5×3 = 15 Red, residual 4×2 = 8 Amber; R2 4×4 = 16 Red, residual 3×5 = 15 Red;
    # R3 2×2 = 4 Green, no residual rating
    risks = _risks(
        make_rows,
        ("R1", "Capacity", 5, 3, 15, "Red", 4, 2, 8, "Amber"),
        ("R2", HOSTILE, 4, 4, 16, "Red", 3, 5, 15, "Red"),
        ("R3", "Morale", 2, 2, 4, "Green", None, None, None, ""),
    )
    html = assurance.risk(report_data(facts, risks=risks))
    assert html.startswith(
        "<p>3 risks, RAG as published in the register: 2 Red, 1 Green before mitigation; "
        "1 Red, 1 Amber after mitigation.</p>"
    )
    assert "Check against the source" not in html  # every published value agrees
    # the heat map's data: inherent 5 × 3 holds R1
    assert '<td>Inherent</td><td class="num">5</td><td class="num">3</td>' in html
    assert "<script" not in html and "<img" not in html
    register = assurance.risk_register(report_data(facts, risks=risks))
    assert "<caption>Risk register as published</caption>" in register


def test_a_published_rating_that_disagrees_is_shown_as_published_and_flagged(facts, make_rows):
    # Darlington's R5 as published: severity 4, likelihood 4, rating 12 (4 × 4 is 16), RAG Red
    # (the band of 12 is Amber); residual 4 × 3 = 12 Amber agrees
    risks = _risks(
        make_rows,
        ("R1", "Capacity", 5, 3, 15, "Red", 4, 2, 8, "Amber"),
        ("R5", "Skills", 4, 4, 12, "Red", 4, 3, 12, "Amber"),
    )
    html = assurance.risk(report_data(facts, risks=risks))
    # counted as the register shows them: both Red
    assert "RAG as published in the register: 2 Red before mitigation; 2 Amber after" in html
    assert (
        "<li>R5: its published rating, 12, is not severity × likelihood (4 × 4 = 16); the heat "
        "map places it in the 4 × 4 cell (Red); its published RAG, Red, is not the band of its "
        "published rating (Amber for 12).</li>" in html
    )
    assert [r for r in assurance.risk_disagreements(risks) if r.startswith("R1")] == []
