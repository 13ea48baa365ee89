"""Read one CSV input file into its cells (:class:`~odreport.inputs.cells.RawTable`).

Two readers give the same cells, the same row numbers and the same problems:

- the **columnar reader** (pyarrow's CSV parser; every column read as text, so no value is
  guessed into a number or a date) for well-formed UTF-8 files, which is most of them and
  every large one (a million survey answers in one to two seconds, a third of the memory);
- the **defensive reader** (Python's :mod:`csv`), for everything else: Windows-1252 text,
  control characters (reported cell by cell), rows with more or fewer values than the header,
  cells longer than :func:`csv.field_size_limit`, a header alone, anything pyarrow cannot
  parse. Its findings name file, row and column.

Both strip the same white space from cells (pyarrow's ``utf8_trim_whitespace`` and
:meth:`str.strip` agree on every code point; a test holds them to it) and count a record
spread over several lines, or a blank line, as one spreadsheet row. Problems found before
either (unreadable file, empty file, UTF-16 or binary data, semicolons) are the same.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from odreport.inputs.cells import CONTROL_RE, RawTable, control_problems
from odreport.inputs.problems import Problem

SAVE_AS_CSV = "save as 'CSV UTF-8 (Comma delimited)'"
BOM = b"\xef\xbb\xbf"
LINE_BREAK_RE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*")
"""The first line of a text as :meth:`str.splitlines` ends it."""


def not_text(data: bytes) -> str | None:
    """Why ``data`` is not a CSV text file (UTF-16, binary), or ``None``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(data):
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


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is zero."""
    head = data[:400]
    if len(head) < 4:
        return False
    pairs = len(head) // 2
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    return max(even, odd) >= 0.4 * pairs and min(even, odd) <= 0.05 * pairs


def decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (a byte-order mark dropped), else Windows-1252 (text saved from
    Excel on Windows)."""
    return _decoded(data)[0]


def _decoded(data: bytes) -> tuple[str, bool]:
    """The text and whether it was UTF-8."""
    if data.startswith(BOM):
        return data[3:].decode("utf-8"), True
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), False


def read_csv(path: Path, where: str, problems: list[Problem]) -> RawTable | None:
    """The cells of the CSV file ``path`` (named ``where`` in messages), or ``None`` when it
    cannot be read as a table; what is wrong is added to ``problems``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(where, None, None, f"could not be read ({exc.strerror})"))
        return None
    if not data.strip():
        problems.append(Problem(where, None, None, "file is empty (expected a header row)"))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(data):
        problems.append(Problem(where, None, None, not_text(data) or ""))
        return None
    text, utf8 = _decoded(data)
    if not utf8:
        why = not_text(data)
        if why:
            problems.append(Problem(where, None, None, why))
            return None
    first = LINE_BREAK_RE.match(text).group()
    if first.count(";") > 0 and first.count(",") == 0:
        problems.append(
            Problem(
                where,
                1,
                None,
                "columns are separated by semicolons (found ';', expected ',': "
                "save as 'CSV UTF-8 (Comma delimited)')",
            )
        )
        return None
    if utf8 and not CONTROL_RE.search(text):
        del text  # the columnar reader reads the bytes
        table = read_columnar(data[3:] if data.startswith(BOM) else data)
        if table is not None:
            return table
        text = _decoded(data)[0]
    return read_defensive(text, where, problems)


def read_defensive(text: str, where: str, problems: list[Problem]) -> RawTable | None:
    """The cells of CSV ``text`` read by Python's :mod:`csv` (records as lists, possibly
    ragged), or ``None``; problems (unreadable CSV, control characters) go to ``problems``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        problems.append(Problem(where, reader.line_num, None, f"not readable as CSV ({exc})"))
        return None
    header = [h.strip() for h in records[0]]
    rownums = []
    rows = []
    line = 2
    for rec in records[1:]:
        if any(v.strip() for v in rec):
            rows.append(rec)
            rownums.append(line)
        line += 1
    if CONTROL_RE.search(text):
        found = control_problems(where, header, rows, rownums)
        if found:
            problems.extend(found)
            return None
    return RawTable(header, rownums, rows=rows)


def read_columnar(data: bytes) -> RawTable | None:
    """The cells of UTF-8 CSV ``data`` (no byte-order mark) read by pyarrow, column by column,
    every cell as text, or ``None`` when the defensive reader must read it: pyarrow cannot
    parse it, a row has more or fewer values than the header, there is only a header, or a
    cell is longer than :func:`csv.field_size_limit` allows. Cells are stripped, blanks
    ``None``; a blank line is a blank record (left out, but counted as a row)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    # The header is read as the first row (no name may be turned into another); every
    # column is text. A record ending after its first physical line could have more columns
    # than that line has commas: the columns beyond would not be typed as text, and are refused.
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    width = first.count(b",") + 1
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows == 0 or any(not pa.types.is_string(t) for t in table.schema.types):
        return None
    limit = csv.field_size_limit()
    blank = None  # records whose cells are all blank
    for column in table.columns:
        if len(column) and pc.max(pc.binary_length(column)).as_py() > limit:
            return None
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    header = [c[0].as_py().strip() for c in table.columns]
    keep = pc.invert(blank).to_numpy(zero_copy_only=False)
    keep[0] = False  # the header
    rownums = np.flatnonzero(keep) + 1
    chosen = pa.array(keep)
    cells = []
    for i in range(table.num_columns):  # one column at a time: a million rows stay small
        cells.append(_objects(pc.utf8_trim_whitespace(table.column(i).filter(chosen))))
    return RawTable(header, rownums, columns=cells)


def _objects(column) -> np.ndarray:
    """An arrow text column as an object array of ``str`` (``None`` for ``""``), each distinct
    text one object (a million rows of a few hundred answers take a few megabytes)."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column).unify_dictionaries()
    if encoded.num_chunks == 0:
        return np.empty(0, dtype=object)
    dictionary = encoded.chunk(0).dictionary.to_pylist()
    values = np.empty(len(dictionary), dtype=object)
    values[:] = [v or None for v in dictionary]  # a blank cell is None
    codes = [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
    return values[np.concatenate(codes)] if codes else np.empty(0, dtype=object)
