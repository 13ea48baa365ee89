"""Read an organisation's raw inputs (CSV files or one Excel workbook) into typed tables.

Reading is defensive: inputs are typed by hand. Every problem found while reading (encoding,
separators, empty files, duplicated or merged headers, values of the wrong type) becomes a
:class:`~odreport.inputs.problems.Problem` naming file, row and column; nothing raises on bad data.
A file that is not text (UTF-16, binary), a link to a file outside the organisation's folder,
and control characters in any cell (invisible, and fatal to the SVG charts: NUL, vertical
tab, form feed, right-to-left overrides) are critical problems too. Raw files are only ever
opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from odreport.inputs.narrative import FOLDER, Narrative, read_narratives
from odreport.inputs.problems import (
    CRITICAL,
    FREE_TEXT_COLUMNS,
    WARNING,
    Problem,
    fmt_private,
    fmt_value,
)
from odreport.inputs.schema import Column, Table, load_tables
from odreport.paths import PERIOD_RE

WORKBOOK_NAME = "plan.xlsx"
ROW = "_row"  # the spreadsheet row number of each record (header = row 1)

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no text cell may hold: C0 and C1 controls except tab, line feed and carriage
return; DEL; bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069)."""
CONTROL_NAMES = {
    0x00: "null",
    0x0B: "vertical tab, a line break pasted from Word",
    0x0C: "form feed, a page break",
    0x1B: "escape",
    0x7F: "delete",
    0x202E: "right-to-left override",
    0x202D: "left-to-right override",
}
SAVE_AS_CSV = "save as 'CSV UTF-8 (Comma delimited)'"
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
    raw: dict[str, tuple[list[str], list[list[object]], list[int]]] = {}
    if workbook.exists() and _readable(workbook, raw_dir, inputs):
        raw.update(_read_workbook(workbook, tables, inputs))
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
        parsed = _read_csv(path, inputs)
        if parsed is not None:
            raw[name] = parsed
    for name, table in tables.items():
        if table.required and name not in inputs.files:
            inputs.problems.append(
                Problem(_display(raw_dir / f"{name}.csv"), None, None, "required file is missing")
            )
    for name, (header, rows, rownums) in raw.items():
        frame = _typed_frame(name, header, rows, rownums, tables[name], inputs)
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


def control_character(text: str) -> str | None:
    """A description of the first control character in ``text``, or ``None`` when clean."""
    found = CONTROL_RE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    label = CONTROL_NAMES.get(code) or (
        "a bidirectional text control" if code >= 0x202A else "a control character"
    )
    return f"U+{code:04X} ({label})"


def _control_problems(where: str, header: list[str], rows, rownums, inputs: Inputs) -> bool:
    """Add a critical problem for each cell holding a control character (its text is not
    shown: it may be a free-text answer); return whether any was found."""
    found = False
    for j, h in enumerate(header):
        what = control_character(str(h))
        if what:
            found = True
            inputs.problems.append(
                Problem(
                    where,
                    1,
                    None,
                    f"column name {j + 1} contains control character {what} "
                    "(expected plain text: remove it)",
                )
            )
    for rec, rn in zip(rows, rownums, strict=True):
        for j, value in enumerate(rec):
            what = control_character(str(value)) if value is not None else None
            if what:
                found = True
                column = header[j] if j < len(header) and not control_character(header[j]) else None
                inputs.problems.append(
                    Problem(
                        where,
                        rn,
                        column,
                        f"contains control character {what}, which is invisible and breaks "
                        "the report (expected plain text: remove it)",
                    )
                )
    return found


def _not_text(data: bytes) -> str | None:
    """Why ``data`` is not a CSV text file (UTF-16, binary), or ``None``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        return f"file is UTF-16 text, not UTF-8 (expected UTF-8: {SAVE_AS_CSV})"
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    head = data[:8192]
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls > len(head) // 20:
        return f"file is not text (found binary data, expected CSV text: {SAVE_AS_CSV})"
    return None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is zero."""
    head = data[:400]
    if len(head) < 4:
        return False
    pairs = len(head) // 2
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    return max(even, odd) >= 0.4 * pairs and min(even, odd) <= 0.05 * pairs


# --- CSV ---------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # text saved from Excel on Windows


def _read_csv(path: Path, inputs: Inputs):
    name = _display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        inputs.problems.append(Problem(name, None, None, f"could not be read ({exc.strerror})"))
        return None
    if not data.strip():
        inputs.problems.append(Problem(name, None, None, "file is empty (expected a header row)"))
        return None
    why = _not_text(data)
    if why:
        inputs.problems.append(Problem(name, None, None, why))
        return None
    text = _decode(data)
    first = text.splitlines()[0] if text.splitlines() else ""
    if first.count(";") > 0 and first.count(",") == 0:
        inputs.problems.append(
            Problem(
                name,
                1,
                None,
                "columns are separated by semicolons (found ';', expected ',': "
                "save as 'CSV UTF-8 (Comma delimited)')",
            )
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        inputs.problems.append(Problem(name, reader.line_num, None, f"not readable as CSV ({exc})"))
        return None
    header = [h.strip() for h in records[0]]
    body = records[1:]
    rownums = []
    rows = []
    line = 2
    for rec in body:
        if any(v.strip() for v in rec):
            rows.append(rec)
            rownums.append(line)
        line += 1
    if CONTROL_RE.search(text) and _control_problems(name, header, rows, rownums, inputs):
        return None
    return header, rows, rownums


# --- Excel -------------------------------------------------------------------------------


def _excel_value(value: object, col: Column | None) -> object:
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


def _read_workbook(path: Path, tables: dict[str, Table], inputs: Inputs):
    import openpyxl  # imported here: only needed for workbooks

    name = _display(path)
    out = {}
    try:
        values_wb = openpyxl.load_workbook(path, data_only=True)
        formula_wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:
        inputs.problems.append(
            Problem(name, None, None, f"not readable as an Excel workbook ({exc})")
        )
        return out
    for ws in values_wb.worksheets:
        sheet = ws.title.strip()
        where = f"{name}[{sheet}]"
        hidden = {"hidden": "hidden", "veryHidden": "very hidden"}.get(ws.sheet_state)
        if sheet not in tables:
            what = f"unknown {hidden} sheet" if hidden else "unknown sheet"
            inputs.problems.append(Problem(where, None, None, f"{what}, ignored", WARNING))
            continue
        if hidden:
            inputs.problems.append(
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
        inputs.files[sheet] = path
        fws = formula_wb[ws.title]
        merged = [r for r in ws.merged_cells.ranges if r.min_row == 1]
        for rng in merged:
            inputs.problems.append(
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
            inputs.problems.append(
                Problem(where, None, None, "sheet is empty (expected a header row)")
            )
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
                        inputs.problems.append(
                            Problem(
                                where,
                                i,
                                header[j],
                                f"formula without a saved value (found {found}, "
                                "expected a value: open and save the workbook in Excel)",
                            )
                        )
            vals = [_excel_value(v, cols[j]) for j, v in enumerate(rec)]
            if any(str(v).strip() for v in vals):
                rows.append(vals)
                rownums.append(i)
        if _control_problems(where, header, rows, rownums, inputs):
            continue
        out[sheet] = (header, rows, rownums)
    return out


# --- typing ------------------------------------------------------------------------------


def _typed_frame(name, header, rows, rownums, table: Table, inputs: Inputs) -> pd.DataFrame | None:
    where = inputs.display_name(name)
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
    width = len(header)
    for rec, rn in zip(rows, rownums, strict=True):
        if len(rec) > width and any(str(v).strip() for v in rec[width:]):
            inputs.problems.append(
                Problem(
                    where, rn, None, f"row has {len(rec)} values but the header has {width} columns"
                )
            )
    norm = [[_blank(v) for v in (list(rec[:width]) + [""] * (width - len(rec)))] for rec in rows]
    frame = pd.DataFrame(norm, columns=header, dtype=object)
    if not rows:
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
        if table.required:
            inputs.problems.append(Problem(where, None, None, "has a header but no data rows"))
    frame[ROW] = pd.Series(rownums, dtype="int64")
    for col in table.columns:  # a column the format lets you leave out is read as blank
        if col.may_be_left_out and col.name not in frame.columns:
            frame[col.name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for col in table.columns:
        if col.name in frame.columns:
            frame[col.name] = _convert(frame, col, where, inputs)
    return frame


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
