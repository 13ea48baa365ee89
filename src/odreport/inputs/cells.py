"""The cells of a table as read, before typing: what a cell may not hold (control characters),
and the hand-off from the CSV and Excel readers to typing (:class:`RawTable`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from odreport.inputs.problems import Problem

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


@dataclass
class RawTable:
    """One table as read: its header (names stripped), and either its records as the file has
    them (``rows``: lists of cells, possibly ragged) or its columns already normalised
    (``columns``: one object array per header name, cells stripped, blanks ``None``); with the
    spreadsheet row of each record (header = row 1). Blank records are left out."""

    header: list[str]
    rownums: Sequence[int]
    rows: list[list[object]] | None = None
    columns: list[np.ndarray] | None = None


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


def control_problems(
    where: str, header: list[str], rows: list[list[object]], rownums: Sequence[int]
) -> list[Problem]:
    """A critical problem for each cell holding a control character (its text is not shown:
    it may be a free-text answer), header cells first."""
    out = []
    for j, h in enumerate(header):
        what = control_character(str(h))
        if what:
            out.append(
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
                column = header[j] if j < len(header) and not control_character(header[j]) else None
                out.append(
                    Problem(
                        where,
                        rn,
                        column,
                        f"contains control character {what}, which is invisible and breaks "
                        "the report (expected plain text: remove it)",
                    )
                )
    return out
