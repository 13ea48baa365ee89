"""Read an organisation's raw inputs (CSV files or one Excel workbook) into typed tables.

Reading is defensive: inputs are typed by hand from the input format (the suites' metadata),
never guessed. Every problem found while reading (encoding, separators, empty files,
duplicated or merged headers, values of the wrong type) becomes a
:class:`~odreport.inputs.problems.Problem` naming file, row and column; nothing raises on bad data.
A file that is not text (UTF-16, binary), a link to a file outside the organisation's folder,
and control characters in any cell (invisible, and fatal to the SVG charts: NUL, vertical
tab, form feed, right-to-left overrides) are critical problems too. Raw files are only ever
opened for reading. The cells come from :mod:`odreport.inputs.csvfile` (CSV) and
:mod:`odreport.inputs.workbook` (Excel); this module types them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from odreport.inputs.cells import RawTable, control_character
from odreport.inputs.csvfile import decode as _decode  # noqa: F401  (inputs.surveymonkey)
from odreport.inputs.csvfile import read_csv
from odreport.inputs.narrative import FOLDER, Narrative, read_narratives
from odreport.inputs.problems import CRITICAL, WARNING, Problem, fmt_value
from odreport.inputs.schema import Column, Table, load_tables
from odreport.inputs.workbook import WORKBOOK_NAME, read_workbook
from odreport.paths import PERIOD_RE

__all__ = [
    "ROW",
    "WORKBOOK_NAME",
    "Inputs",
    "control_character",
    "problems_for",
    "read_inputs",
]

ROW = "_row"  # the spreadsheet row number of each record (header = row 1)
_INT_RE = re.compile(r"^[+-]?\d+(\.0+)?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Inputs:
    """The typed tables of one organisation, where they came from, and what was wrong."""

    org: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # narrative/<period>.md by period (their files are in ``files`` as "narrative/<period>")
    narratives: dict[str, Narrative] = field(default_factory=dict)

    def get(self, name: str) -> pd.DataFrame | None:
        """The table ``name`` or ``None`` when the organisation does not provide it."""
        return self.tables.get(name)

    def display_name(self, name: str) -> str:
        """How a table's file is named in messages (path relative to the project)."""
        return _display(self.files[name]) + (
            f"[{name}]" if self.files[name].suffix == ".xlsx" else ""
        )


def _display(path: Path) -> str:
    parts = path.parts
    if "data" in parts:
        i = len(parts) - 1 - parts[::-1].index("data")
        return "/".join(parts[i:])
    return path.name


def read_inputs(raw_dir: Path, expectations_dir: Path) -> Inputs:
    """Read every input table of the organisation in ``raw_dir``."""
    tables = load_tables(expectations_dir)
    inputs = Inputs(org=raw_dir.name)
    workbook = raw_dir / WORKBOOK_NAME
    raw: dict[str, RawTable] = {}
    if workbook.exists() and _readable(workbook, raw_dir, inputs):
        raw.update(
            read_workbook(workbook, _display(workbook), tables, inputs.files, inputs.problems)
        )
    for path in sorted(raw_dir.glob("*.csv")):
        name = path.stem
        if not _readable(path, raw_dir, inputs):
            if name in tables:
                inputs.files[name] = path
            continue
        if name not in tables:
            inputs.problems.append(
                Problem(
                    _display(path),
                    None,
                    None,
                    f"unknown table, ignored (expected one of {', '.join(sorted(tables))})",
                    WARNING,
                )
            )
            continue
        if name in raw:
            inputs.problems.append(
                Problem(
                    _display(path),
                    None,
                    None,
                    f"table also in {WORKBOOK_NAME}; keep one of the two",
                )
            )
            continue
        inputs.files[name] = path
        parsed = read_csv(path, _display(path), inputs.problems)
        if parsed is not None:
            raw[name] = parsed
    for name, table in tables.items():
        if table.required and name not in inputs.files:
            inputs.problems.append(
                Problem(_display(raw_dir / f"{name}.csv"), None, None, "required file is missing")
            )
    for name, cells in raw.items():
        frame = _typed_frame(name, cells, tables[name], inputs)
        if frame is not None:
            inputs.tables[name] = frame
    narratives = read_narratives(raw_dir)  # the narrative people write (inputs.narrative)
    inputs.narratives = narratives.narratives
    inputs.files.update({f"{FOLDER}/{p}": n.path for p, n in narratives.narratives.items()})
    inputs.problems.extend(narratives.problems)
    return inputs


def _readable(path: Path, raw_dir: Path, inputs: Inputs) -> bool:
    """Whether ``path`` is a file inside the organisation's folder (a link to a file outside
    it, or to nothing, is a critical problem: inputs come from the folder only)."""
    where = _display(path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        inputs.problems.append(Problem(where, None, None, "is a link to a file that does not exist"))
        return False
    if not target.is_relative_to(raw_dir.resolve()):
        inputs.problems.append(
            Problem(
                where,
                None,
                None,
                "is a link to a file outside the organisation's folder (expected the file "
                "itself in the folder)",
            )
        )
        return False
    if not target.is_file():
        inputs.problems.append(Problem(where, None, None, "is not a file"))
        return False
    return True


# --- typing ------------------------------------------------------------------------------


def _typed_frame(name: str, cells: RawTable, table: Table, inputs: Inputs) -> pd.DataFrame | None:
    where = inputs.display_name(name)
    header = cells.header
    seen: set[str] = set()
    for h in header:
        if h == "":
            inputs.problems.append(
                Problem(where, 1, None, "a column has no name in the header row")
            )
            return None
        if h in seen:
            inputs.problems.append(
                Problem(where, 1, h, f"duplicated column name (found {fmt_value(h)} twice)")
            )
            return None
        seen.add(h)
    columns = cells.columns if cells.columns is not None else _columns(cells, where, inputs)
    frame = pd.DataFrame(
        {h: pd.Series(c, dtype=object) for h, c in zip(header, columns, strict=True)},
        index=pd.RangeIndex(len(cells.rownums)),
    )
    if not len(cells.rownums) and table.required:
        inputs.problems.append(Problem(where, None, None, "has a header but no data rows"))
    frame[ROW] = pd.Series(np.asarray(cells.rownums, dtype="int64"), dtype="int64")
    for col in table.columns:  # a column the format lets you leave out is read as blank
        if col.may_be_left_out and col.name not in frame.columns:
            frame[col.name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for col in table.columns:
        if col.name in frame.columns:
            frame[col.name] = _convert(frame, col, where, inputs)
    return frame


def _columns(cells: RawTable, where: str, inputs: Inputs) -> list[np.ndarray]:
    """The columns of records read as rows: a row longer than the header (with values in
    the extra cells) is a problem; short rows are padded; cells stripped, blanks ``None``."""
    width = len(cells.header)
    rows = cells.rows or []
    for rec, rn in zip(rows, cells.rownums, strict=True):
        if len(rec) > width and any(str(v).strip() for v in rec[width:]):
            inputs.problems.append(
                Problem(
                    where, rn, None, f"row has {len(rec)} values but the header has {width} columns"
                )
            )
    out = [np.empty(len(rows), dtype=object) for _ in range(width)]
    for i, rec in enumerate(rows):
        for j in range(width):
            out[j][i] = _blank(rec[j]) if j < len(rec) else None
    return out


def _blank(value: object) -> object:
    text = str(value)
    return None if text.strip() == "" else text.strip()


def _convert(frame: pd.DataFrame, col: Column, where: str, inputs: Inputs) -> pd.Series:
    values = frame[col.name]
    if col.type == "text":
        return values
    out = []
    bad: list[tuple[int, object]] = []
    for v, rn in zip(values, frame[ROW], strict=True):
        if v is None:
            out.append(None)
            continue
        text = str(v)
        parsed = _parse(text, col.type)
        if parsed is None:
            bad.append((rn, v))
        out.append(parsed)
    expected = {
        "int": "a whole number",
        "number": "a number",
        "date": "a date YYYY-MM-DD",
        "month": "a month YYYY-MM",
    }[col.type]
    for rn, v in bad:
        inputs.problems.append(
            Problem(where, rn, col.name, f"not {expected} (found {fmt_value(v)})")
        )
    if col.type == "int":
        return pd.Series(out, index=frame.index, dtype="Int64")
    if col.type == "number":
        return pd.Series(out, index=frame.index, dtype="Float64")
    if col.type == "date":
        return pd.Series(
            pd.to_datetime(pd.Series(out, index=frame.index, dtype=object)), index=frame.index
        )
    return pd.Series(out, index=frame.index, dtype=object)


def _parse(text: str, type_: str):
    text = text.strip()
    if type_ == "int":
        return int(float(text)) if _INT_RE.match(text) else None
    if type_ == "number":
        try:
            value = float(text)
        except ValueError:
            return None
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if type_ == "date":
        if not _DATE_RE.match(text):
            return None
        try:
            return pd.Timestamp(dt.date.fromisoformat(text))
        except ValueError:
            return None
    if type_ == "month":
        return text if PERIOD_RE.match(text) else None
    return text


def problems_for(inputs: Inputs, severity: str = CRITICAL) -> list[Problem]:
    """Problems of the given severity, in file and row order."""
    return sorted(p for p in inputs.problems if p.severity == severity)
