"""Data quality and provenance sections: warnings arrive as Problem objects."""

from __future__ import annotations

from odreport.inputs.problems import WARNING, Problem
from odreport.report import audit
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


def test_table_name_is_the_same_for_csv_and_workbook():
    assert audit.table_name("data/raw/x/risks.csv") == "risks"
    assert audit.table_name("data/raw/x/plan.xlsx[risks]") == "risks"


def test_the_data_quality_table_keeps_the_count_of_rows():
    single = Problem("data/raw/x/risks.csv", 6, "rating", "rating is wrong", WARNING)
    many = Problem("data/raw/x/plan.xlsx[actions]", 9, "lead", "lead is blank", WARNING, rows=12)
    assert audit.warning_rows([single, many]).to_dict("records") == [
        {"table": "risks", "row": 6, "column": "rating", "message": "rating is wrong"},
        {
            "table": "actions",
            "row": 9,
            "column": "lead",
            "message": "lead is blank [and 11 more rows]",
        },
    ]


def test_warnings_are_listed_with_their_place(facts):
    facts["data_quality"] = [
        Problem("data/raw/x/plan.xlsx[risks]", 4, "rating", "rating: not S × L", WARNING, 3),
        Problem("data/raw/x/surveys.csv", None, None, HOSTILE, WARNING),
    ]
    html = audit.data_quality(report_data(facts))
    assert html.startswith("<p>2 warnings: the inputs are usable, but these rows are")
    assert (
        '<tr><td>risks</td><td class="num">4</td><td>rating</td>'
        "<td>rating: not S × L [and 2 more rows]</td></tr>" in html
    )
    assert '<tr><td>surveys</td><td class="num"></td><td></td><td>&lt;script&gt;' in html
    assert "<script" not in html and "<img" not in html


def test_one_warning_and_none(facts):
    facts["data_quality"] = [Problem("data/raw/x/risks.csv", 2, "rag", "odd", WARNING)]
    assert audit.data_quality(report_data(facts)).startswith("<p>1 warning: ")
    facts["data_quality"] = []
    html = audit.data_quality(report_data(facts))
    assert html == "<p>All inputs passed every data-quality check.</p>"


def test_known_gaps_in_the_source_prevent_the_all_passed_sentence(facts, make_rows):
    notes = make_rows(
        "source_notes",
        {"note_ref": "N1", "table": "actions", "ref": "5", "kind": "gap"}
        | {"note": "Theme 5 was lost from the source text.", "source": "SOURCES.md"},
        {"note_ref": "N2", "table": "actions", "ref": "4.3", "kind": "not stated"}
        | {"note": HOSTILE, "source": "SOURCES.md"},
    )
    html = audit.data_quality(report_data(facts, source_notes=notes))
    assert "All inputs passed" not in html
    assert html.startswith(
        "<p>Every input passed its data-quality checks, but the checks cannot see what the "
        "source document lacks.</p><p>2 notes on the source document, 1 of them a known gap: "
        "content of the plan the inputs do not have, so the figures above do not cover it.</p>"
    )
    assert (
        '<th scope="row">N1</th><td>actions</td><td>5</td><td>gap: content of the plan the '
        "inputs do not have</td><td>Theme 5 was lost from the source text.</td>" in html
    )
    assert "<script" not in html and "&lt;script&gt;" in html


def test_provenance_lists_version_parameters_and_checksums(example):
    html = audit.provenance(example)
    assert html.startswith('<div class="provenance"><dl class="meta"><dt>Code version</dt>')
    assert (
        "<dt>Parameter min_group_size</dt><dd>11</dd><dt>Parameter org</dt><dd>exampleshire</dd>"
        "<dt>Parameter period</dt><dd>2016-03</dd><dt>pandas</dt><dd>3.1.1</dd>" in html
    )
    assert f"<td>data/raw/exampleshire/actions.csv</td><td>{'ab' * 32}</td>" in html
    assert "<caption>Notebook and expectation suites</caption>" in html
    assert html.endswith("</table></div></div>")
