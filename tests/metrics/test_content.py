"""Plan content that is not transcribed: counted per table, phrased for the report."""

from __future__ import annotations

import pandas as pd

from odreport.inputs.tables import Inputs, read_inputs
from odreport.metrics.content import (
    content_by_table,
    facts,
    intro,
    note,
    table_rows,
)


def _inputs(**tables: dict) -> Inputs:
    return Inputs(org="x", tables={name: pd.DataFrame(cols) for name, cols in tables.items()})


def _mixed() -> Inputs:
    # 3 themes: T3 illustrative. 5 objectives: none (no content column). 4 actions: A2 and
    # A4 illustrative, A3 reconstructed, A1 blank (transcribed). 2 milestones: one
    # reconstructed.
    return _inputs(
        themes={"theme_ref": ["T1", "T2", "T3"], "content": [None, "transcribed", "illustrative"]},
        objectives={"objective_ref": ["O1", "O2", "O3", "O4", "O5"]},
        actions={
            "action_ref": ["A1", "A2", "A3", "A4"],
            "content": [None, "illustrative", "reconstructed", "illustrative"],
        },
        milestones={
            "action_ref": ["A1", "A3"],
            "month": ["2025-06", "2025-09"],
            "content": ["transcribed", "reconstructed"],
        },
    )


def test_counts_and_references_per_table():
    tables = {t.table: t for t in content_by_table(_mixed(), "objective")}
    assert list(tables) == ["themes", "objectives", "actions", "milestones"]
    assert (tables["themes"].rows, tables["themes"].illustrative) == (3, ("T3",))
    assert tables["themes"].reconstructed == () and tables["themes"].transcribed == 2
    assert (tables["objectives"].rows, tables["objectives"].transcribed) == (5, 5)
    assert tables["actions"].noun == "objective"  # what the plan calls its tracked items
    assert tables["actions"].illustrative == ("A2", "A4")
    assert tables["actions"].reconstructed == ("A3",)
    assert tables["actions"].transcribed == 1
    assert tables["milestones"].reconstructed == ("A3 2025-09",)


def test_note_names_each_kind_with_its_share():
    assert note(content_by_table(_mixed())) == (
        "Not all of this plan is transcribed from its source document: 1 of 3 themes and "
        "2 of 4 actions are illustrative (written as an example, not taken from any source); "
        "1 of 4 actions and 1 of 2 milestones are reconstructed (rebuilt by the analyst where "
        "the source is incomplete). The data-quality section lists them."
    )


def test_note_for_one_row_and_for_a_whole_plan():
    one = _inputs(
        themes={"theme_ref": ["T1", "T2"]},
        actions={"action_ref": ["A1", "A2"], "content": ["reconstructed", None]},
    )
    assert note(content_by_table(one)) == (
        "Not all of this plan is transcribed from its source document: 1 of 2 actions is "
        "reconstructed (rebuilt by the analyst where the source is incomplete). The "
        "data-quality section lists them."
    )
    invented = _inputs(
        themes={"theme_ref": ["T1", "T2"], "content": ["illustrative"] * 2},
        actions={"action_ref": ["A1"], "content": ["illustrative"]},
    )
    assert note(content_by_table(invented)) == (
        "None of this plan is transcribed from a source document: both themes and the only "
        "action are illustrative (written as an example, not taken from any source). The "
        "data-quality section lists them."
    )


def test_everything_transcribed_says_nothing():
    plain = _inputs(themes={"theme_ref": ["T1"]}, actions={"action_ref": ["A1"]})
    assert facts(plain) == {"note": "", "intro": "", "tables": []}


def test_data_quality_rows_list_the_references():
    assert table_rows(content_by_table(_mixed())) == [
        {"table": "themes", "rows": 3, "reconstructed": "0", "illustrative": "1: T3"},
        {"table": "actions", "rows": 4, "reconstructed": "1: A3", "illustrative": "2: A2, A4"},
        {"table": "milestones", "rows": 2, "reconstructed": "1: A3 2025-09", "illustrative": "0"},
    ]
    assert (
        facts(_mixed())["intro"]
        == intro(content_by_table(_mixed()))
        == (
            "Rows of the plan not transcribed from its source document, by table. Reconstructed: "
            "rebuilt by the analyst where the source is incomplete; Illustrative: written as an "
            "example, not taken from any source."
        )
    )
    only = _inputs(themes={"theme_ref": ["T1"], "content": ["illustrative"]})
    assert intro(content_by_table(only)) == (
        "Rows of the plan not transcribed from its source document, by table. Illustrative: "
        "written as an example, not taken from any source."
    )


def test_template_rows_are_marked_illustrative(example_project):
    inputs = read_inputs(example_project.raw_dir("example"), example_project.expectations)
    assert facts(inputs)["tables"] == [
        {"table": "themes", "rows": 2, "reconstructed": "0", "illustrative": "2: LD, EN"},
        {
            "table": "actions",
            "rows": 4,
            "reconstructed": "0",
            "illustrative": "4: LD1, LD2, EN1, EN2",
        },
    ]
