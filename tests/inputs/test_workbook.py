"""Reading an Excel workbook: cells as a CSV export holds them, merged headers, unsaved
formulas, hidden sheets, control characters."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from odreport.inputs.schema import Column
from odreport.inputs.tables import ROW, read_inputs
from odreport.inputs.workbook import excel_value
from support import to_workbook


def _read(project, org="example"):
    return read_inputs(project.raw_dir(org), project.expectations)


def _lines(inputs):
    return [p.line() for p in inputs.problems]


def test_cells_become_the_text_a_csv_export_holds():
    month = Column("period", "month", False, "", "")
    text = Column("note", "text", False, "", "")
    assert excel_value(None, text) == ""
    assert excel_value(True, text) == "yes"
    assert excel_value(12.0, text) == "12"
    assert excel_value(12.5, text) == "12.5"
    assert excel_value(dt.datetime(2025, 9, 1), month) == "2025-09"
    assert excel_value(dt.datetime(2025, 9, 1), text) == "2025-09-01"
    assert excel_value(dt.datetime(2025, 9, 1, 14, 30), text) == "2025-09-01T14:30:00"
    assert excel_value(dt.date(2025, 9, 1), month) == "2025-09"


def test_workbook_gives_the_same_tables_as_csv(example_project, tmp_path):
    before = _read(example_project)
    to_workbook(example_project)
    after = _read(example_project)
    assert after.problems == []
    for name, frame in before.tables.items():
        pd.testing.assert_frame_equal(
            frame.drop(columns=ROW).reset_index(drop=True),
            after.tables[name].drop(columns=ROW).reset_index(drop=True),
        )


def test_workbook_merged_header_and_unsaved_formula(example_project):
    path = to_workbook(example_project)
    wb = openpyxl.load_workbook(path)
    wb["themes"].merge_cells("B1:C1")
    wb["actions"]["L2"] = "=1000*2"  # a formula never calculated by Excel has no saved value
    wb.save(path)
    lines = _lines(_read(example_project))
    assert (
        "data/raw/example/plan.xlsx[themes]:1: merged header cells B1:C1 (expected one column "
        "name per cell: unmerge them)"
    ) in lines
    assert (
        "data/raw/example/plan.xlsx[actions]:2:cost_gbp: formula without a saved value "
        "(found '=1000*2', expected a value: open and save the workbook in Excel)"
    ) in lines


def test_hidden_sheets_give_a_warning_naming_the_sheet(example_project):
    path = to_workbook(example_project)
    wb = openpyxl.load_workbook(path)
    wb["themes"].sheet_state = "hidden"
    wb.create_sheet("scratch").append(["notes"])
    wb["scratch"].sheet_state = "veryHidden"
    wb.save(path)
    inputs = _read(example_project)
    assert sorted(_lines(inputs)) == [
        "data/raw/example/plan.xlsx[scratch]: unknown very hidden sheet, ignored",
        "data/raw/example/plan.xlsx[themes]: hidden sheet, read as the themes table (unhide "
        "it, or remove it from the workbook if it is not meant to be read)",
    ]
    assert all(p.severity == "warning" for p in inputs.problems)
    assert inputs.tables["themes"]["theme_ref"].tolist() == ["LD", "EN"]


def test_control_characters_in_a_workbook_and_a_header(example_project):
    path = to_workbook(example_project)
    wb = openpyxl.load_workbook(path)
    wb["themes"]["B2"] = "Leader\u202eship"  # workbooks cannot hold C0 controls; bidi, yes
    wb["actions"]["D1"] = "act\u2067ion"
    wb.save(path)
    lines = _lines(_read(example_project))
    assert (
        "data/raw/example/plan.xlsx[themes]:2:theme: contains control character U+202E "
        "(right-to-left override), which is invisible and breaks the report "
        "(expected plain text: remove it)"
    ) in lines
    assert (
        "data/raw/example/plan.xlsx[actions]:1: column name 4 contains control character U+2067 "
        "(a bidirectional text control) (expected plain text: remove it)"
    ) in lines
