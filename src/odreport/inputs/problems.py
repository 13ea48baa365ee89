"""A problem found in the inputs, printed as ``file:row:column: message``."""

from __future__ import annotations

from dataclasses import dataclass

CRITICAL = "critical"
WARNING = "warning"

FREE_TEXT_COLUMNS = {"survey_responses": ("answer",), "survey_comments": ("comment",)}
"""Columns that may hold what respondents wrote: their values are never printed in a message
(a log may be kept where others read it), only described (:func:`fmt_private`)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of one input file.

    ``row`` is the row number a person sees in Excel (the header is row 1), ``None`` for a
    problem with the whole file. ``rows`` counts the rows hit when one line stands for many.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = CRITICAL
    rows: int = 1

    def line(self) -> str:
        """The one-line message shown to the analyst (control characters in it escaped, so a
        file or column name cannot rewrite the terminal or the log)."""
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return _printable(f"{where}: {self.described()}")

    def described(self) -> str:
        """The message, with how many more rows it stands for when it stands for several."""
        more = f" [and {self.rows - 1} more rows]" if self.rows > 1 else ""
        return f"{self.message}{more}"

    @property
    def is_critical(self) -> bool:
        return self.severity == CRITICAL


def _printable(text: str) -> str:
    return "".join(
        f"\\u{ord(c):04x}"
        if (
            ord(c) < 32
            or 0x7F <= ord(c) <= 0x9F
            or 0x202A <= ord(c) <= 0x202E
            or 0x2066 <= ord(c) <= 0x2069
        )
        else c
        for c in text
    )


def fmt_private(value: object) -> str:
    """Describe a value from a free-text column without showing it."""
    return f"free text of {len(str(value))} characters, not shown"


def fmt_value(value: object, limit: int = 60) -> str:
    """Quote a found value for a message, shortened if long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)
