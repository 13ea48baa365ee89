"""Read the tables of an Excel workbook (``plan.xlsx``, one sheet per table) into their cells.

Cells become the text a CSV export would hold (dates ISO, months ``YYYY-MM``, whole numbers
without ``.0``, booleans ``yes``/``no``). Merged header cells, formulas without a saved value,
hidden sheets and control characters are reported naming the sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odreport.inputs.cells import RawTable, control_problems
from odreport.inputs.problems import FREE_TEXT_COLUMNS, WARNING, Problem, fmt_private, fmt_value
from odreport.inputs.schema import Column, Table

WORKBOOK_NAME = "plan.xlsx"


def excel_value(value: object, col: Column | None) -> object:
    """A cell's value as the text a CSV export would hold (``""`` when empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        if col is not None and col.type == "month":
            return value.strftime("%Y-%m")
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return (
            value.strftime("%Y-%m")
            if col is not None and col.type == "month"
            else value.isoformat()
        )
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_workbook(
    path: Path, name: str, tables: dict[str, Table], files: dict[str, Path], problems: list[Problem]
) -> dict[str, RawTable]:
    """The cells of each known sheet of the workbook ``path`` (named ``name`` in messages),
    by table; each sheet read is recorded in ``files``, what is wrong added to ``problems``."""
    import openpyxl  # imported here: only needed for workbooks

    out: dict[str, RawTable] = {}
    try:
        values_wb = openpyxl.load_workbook(path, data_only=True)
        formula_wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:
        problems.append(Problem(name, None, None, f"not readable as an Excel workbook ({exc})"))
        return out
    for ws in values_wb.worksheets:
        sheet = ws.title.strip()
        where = f"{name}[{sheet}]"
        hidden = {"hidden": "hidden", "veryHidden": "very hidden"}.get(ws.sheet_state)
        if sheet not in tables:
            what = f"unknown {hidden} sheet" if hidden else "unknown sheet"
            problems.append(Problem(where, None, None, f"{what}, ignored", WARNING))
            continue
        if hidden:
            problems.append(
                Problem(
                    where,
                    None,
                    None,
                    f"{hidden} sheet, read as the {sheet} table (unhide it, or remove it "
                    "from the workbook if it is not meant to be read)",
                    WARNING,
                )
            )
        table = tables[sheet]
        files[sheet] = path
        fws = formula_wb[ws.title]
        merged = [r for r in ws.merged_cells.ranges if r.min_row == 1]
        for rng in merged:
            problems.append(
                Problem(
                    where,
                    1,
                    None,
                    f"merged header cells {rng.coord} (expected one column name "
                    "per cell: unmerge them)",
                )
            )
        if merged:
            continue
        grid = list(ws.iter_rows(values_only=True))
        if not grid:
            problems.append(Problem(where, None, None, "sheet is empty (expected a header row)"))
            continue
        header = [str(h).strip() if h is not None else "" for h in grid[0]]
        while header and header[-1] == "":
            header.pop()
        cols = [table.column(h) for h in header]
        rows, rownums = [], []
        for i, rec in enumerate(grid[1:], start=2):
            rec = list(rec[: len(header)]) + [None] * (len(header) - len(rec))
            for j, v in enumerate(rec):
                if v is None:
                    f = fws.cell(row=i, column=j + 1).value
                    if isinstance(f, str) and f.startswith("="):
                        private = header[j] in FREE_TEXT_COLUMNS.get(sheet, ())
                        found = fmt_private(f) if private else fmt_value(f)
                        problems.append(
                            Problem(
                                where,
                                i,
                                header[j],
                                f"formula without a saved value (found {found}, "
                                "expected a value: open and save the workbook in Excel)",
                            )
                        )
            vals = [excel_value(v, cols[j]) for j, v in enumerate(rec)]
            if any(str(v).strip() for v in vals):
                rows.append(vals)
                rownums.append(i)
        found = control_problems(where, header, rows, rownums)
        if found:
            problems.extend(found)
            continue
        out[sheet] = RawTable(header, rownums, rows=rows)
    return out
