"""The input format lives in the suites; the data dictionary is generated from them."""

from __future__ import annotations

import json
import re

import pytest

from odreport.inputs.schema import (
    COLUMN_TYPES,
    PARAMETER_WORDS,
    column_rules,
    condition_words,
    data_dictionary_markdown,
    load_tables,
    parameter_words,
)
from support import REPO


def test_data_dictionary_is_up_to_date():
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(REPO / "expectations") + "\n", (
        "run `make docs` and commit docs/data-dictionary.md"
    )


def test_every_suite_declares_its_columns_and_checks_them():
    tables = load_tables(REPO / "expectations")
    assert {"organisation", "themes", "actions", "progress"} <= {
        n for n, t in tables.items() if t.required
    }
    for name, table in tables.items():
        assert table.columns, name
        assert all(c.type in COLUMN_TYPES for c in table.columns)
        first = table.suite["expectations"][0]
        assert first["type"] == "expect_table_columns_to_match_set"
        assert first["kwargs"]["column_set"] == table.column_names
        # every row cites its source, or (respondent-level rows) the survey's row does
        assert "source" in table.column_names or table.suite["meta"].get("source_in") == "surveys"


def test_suites_hold_no_generated_ids_or_timestamps():
    for path in sorted((REPO / "expectations").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        suite = json.loads(text)
        assert "id" not in suite and "great_expectations_version" not in suite.get("meta", {})
        assert all("id" not in e for e in suite["expectations"]), path.name


# --- the data dictionary, checked against tables written by hand ---------------------------

# progress.csv as expectations/progress.json defines it, written by hand from the suite:
# column: (type, value required, allowed, example).
PROGRESS = {
    "period": (
        "month",
        "yes",
        "a month whose first day is on or after the plan's start date (plan_start in "
        "organisation.csv) and on or before the plan's end date (plan_end in organisation.csv)",
        "2016-03",
    ),
    "action_ref": ("text", "yes", "an action_ref in actions.csv", "L1"),
    "status": (
        "text",
        "yes",
        "Not started, Proposed, Under development, In progress, Ongoing, Complete; "
        "must be Complete when percent_complete is 100",
        "In progress",
    ),
    "rag": (
        "text",
        "no",
        "Blue, Green, Amber, Red, Grey; must be Blue when status is Complete",
        "Amber",
    ),
    "percent_complete": ("number", "no", "0 to 100; must be 100 when status is Complete", "60"),
    "due_date": (
        "date",
        "no",
        "on or after the plan's start date (plan_start in organisation.csv)",
        "2016-06-30",
    ),
    "commentary": ("text", "no", "", "Draft prepared and shared for comment."),
    "illustrative": ("text", "yes", "yes, no", "no"),
    "source": (
        "text",
        "yes",
        "",
        "Darlington CCG OD Plan Phase 2.2 (June 2012), Appendix One (Status and Comments columns)",
    ),
}


def _dictionary_rows(markdown: str, table: str) -> dict[str, tuple[str, str, str, str]]:
    """The column rows of one table in the generated Markdown: name → (type, required,
    allowed, example)."""
    section = markdown.split(f"## {table}.csv", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| column "):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        name, type_, required, allowed, _description, example = cells
        rows[name] = (type_, required, allowed.replace("\\|", "|"), example)
    return rows


def test_dictionary_shows_progress_rules_in_full():
    rows = _dictionary_rows(data_dictionary_markdown(REPO / "expectations"), "progress")
    assert rows == PROGRESS


def test_dictionary_shows_the_content_column_and_the_folder_rule():
    markdown = data_dictionary_markdown(REPO / "expectations")
    for table in ("themes", "objectives", "actions", "milestones"):
        assert _dictionary_rows(markdown, table)["content"][:3] == (
            "text",
            "no (may be left out)",
            "transcribed, reconstructed, illustrative",
        )
    assert _dictionary_rows(markdown, "organisation")["org_id"][2] == (
        "matching `^[a-z0-9][a-z0-9-]*$`; the name of the organisation's folder in data/raw/"
    )


def test_conditional_warnings_are_listed_with_their_condition():
    risks = column_rules(load_tables(REPO / "expectations")["risks"])
    assert risks["rag"] == [
        "Red, Amber, Green",
        "should be Red when rating is at least 15 (otherwise a warning)",
        "should be Amber when rating is between 8 and 12 (otherwise a warning)",
        "should be Green when rating is at most 6 (otherwise a warning)",
    ]


def test_no_parameter_is_printed_raw_in_the_docs():
    for path in sorted((REPO / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "$PARAMETER" not in text and "{'" not in text, path.name


def test_every_suite_parameter_has_words():
    from odreport.checks.validate import suite_parameters
    from odreport.inputs.tables import Inputs

    used = set()
    for table in load_tables(REPO / "expectations").values():
        for exp in table.suite["expectations"]:
            for value in exp["kwargs"].values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    used.add(value["$PARAMETER"])
    assert used <= set(PARAMETER_WORDS)
    assert set(PARAMETER_WORDS) == set(suite_parameters(Inputs(org="x")))
    assert parameter_words({"$PARAMETER": "plan_start"}).startswith("the plan's start date")
    with pytest.raises(ValueError):
        parameter_words({"$PARAMETER": "no_such_parameter"})


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ('status == "Complete"', "status is Complete"),
        ("percent_complete == 100", "percent_complete is 100"),
        ("rating >= 8 and rating <= 12", "rating is between 8 and 12"),
        ("rating <= 6", "rating is at most 6"),
        ("rating > 3 and status != 'Complete'", "rating is more than 3 and status is not Complete"),
    ],
)
def test_condition_words(condition, words):
    assert condition_words(condition) == words


def test_a_condition_not_understood_is_an_error():
    with pytest.raises(ValueError):
        condition_words("rating.between(1, 3)")


_TYPES = {
    "text": lambda v: True,
    "int": lambda v: re.fullmatch(r"[+-]?\d+", v) is not None,
    "number": lambda v: re.fullmatch(r"[+-]?\d+(\.\d+)?", v) is not None,
    "date": lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None,
    "month": lambda v: re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v) is not None,
}


def test_every_column_has_a_valid_example():
    """An example for every column, of its type, meeting the column's own unconditional rules
    (value lists, patterns, fixed ranges)."""
    for table in load_tables(REPO / "expectations").values():
        for col in table.columns:
            where = f"{table.name}.{col.name}"
            assert col.example, f"{where}: no example"
            assert _TYPES[col.type](col.example), f"{where}: {col.example!r} is not {col.type}"
        for exp in table.suite["expectations"]:
            kw = exp["kwargs"]
            col = table.column(kw.get("column", ""))
            if col is None or "row_condition" in kw:
                continue
            value, where = col.example, f"{table.name}.{col.name}"
            if exp["type"] == "expect_column_values_to_be_in_set" and isinstance(
                kw["value_set"], list
            ):
                assert value in [str(v) for v in kw["value_set"]], where
            elif exp["type"] == "expect_column_values_to_match_regex":
                assert re.search(kw["regex"], value), where
            elif exp["type"] == "expect_column_values_to_not_match_regex":
                assert not re.search(kw["regex"], value), where
            elif exp["type"] == "expect_column_values_to_be_between":
                low, high = kw.get("min_value"), kw.get("max_value")
                if not isinstance(low, dict) and low is not None:
                    assert float(value) >= low, where
                if not isinstance(high, dict) and high is not None:
                    assert float(value) <= high, where


def test_columns_that_may_be_left_out_are_optional():
    tables = load_tables(REPO / "expectations")
    left_out = {(t.name, c.name) for t in tables.values() for c in t.columns if c.may_be_left_out}
    content = {(t, "content") for t in ("themes", "objectives", "actions", "milestones")}
    papers = {("papers", c.name) for c in tables["papers"].columns}  # a cover sheet's fields
    papers -= {("papers", "meeting_date"), ("papers", "source")}
    why_removed = {("redactions", "note")}  # for whoever keeps the list; never shown
    assert left_out == content | {("organisation", "plan_date")} | papers | why_removed
    assert not any(tables[t].column(c).required for t, c in left_out)
