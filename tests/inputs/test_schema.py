"""The input format lives in the suites; the data dictionary is generated from them."""

from __future__ import annotations

import json

from odreport.inputs.schema import COLUMN_TYPES, data_dictionary_markdown, load_tables
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
