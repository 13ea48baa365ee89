"""Where the plan's content comes from: transcribed, reconstructed or illustrative.

The plan tables (themes, objectives, actions, milestones) may carry a ``content`` column
(see docs/input-format.md): ``transcribed`` (copied from the source document as written;
also a blank value or a table without the column), ``reconstructed`` (rebuilt by the analyst
where the source is incomplete) or ``illustrative`` (written as an example, not from any
source). A report must not present content that is not transcribed as if it were: this module
counts it per table and phrases the note the report's banner shows and the table its
data-quality section lists. Progress rows say the same with their own ``illustrative`` column,
which the pipeline reports separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from odreport.inputs.tables import Inputs

TRANSCRIBED, RECONSTRUCTED, ILLUSTRATIVE = "transcribed", "reconstructed", "illustrative"
KINDS = (TRANSCRIBED, RECONSTRUCTED, ILLUSTRATIVE)
MEANING = {
    ILLUSTRATIVE: "written as an example, not taken from any source",
    RECONSTRUCTED: "rebuilt by the analyst where the source is incomplete",
}

# Each plan table with the noun for one row (``None``: the organisation's item name, e.g.
# "action" or "objective") and the columns that name a row in the data-quality table.
PLAN_TABLES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "themes": ("theme", ("theme_ref",)),
    "objectives": ("objective", ("objective_ref",)),
    "actions": (None, ("action_ref",)),
    "milestones": ("milestone", ("action_ref", "month")),
}


@dataclass(frozen=True)
class TableContent:
    """How much of one plan table is not transcribed, and which rows."""

    table: str
    noun: str
    rows: int
    reconstructed: tuple[str, ...]
    illustrative: tuple[str, ...]

    @property
    def transcribed(self) -> int:
        return self.rows - len(self.reconstructed) - len(self.illustrative)

    def refs(self, kind: str) -> tuple[str, ...]:
        """The rows of ``kind`` (reconstructed or illustrative), named by their references."""
        return self.reconstructed if kind == RECONSTRUCTED else self.illustrative


def _refs(frame: pd.DataFrame, kinds: pd.Series, kind: str, columns: tuple[str, ...]) -> tuple:
    """The rows of ``frame`` whose content is ``kind``, named by their reference columns."""
    return tuple(
        " ".join(str(row[c]) for c in columns if pd.notna(row[c]))
        for _, row in frame[kinds == kind].iterrows()
    )


def content_by_table(inputs: Inputs, item_name: str = "action") -> list[TableContent]:
    """Each plan table the organisation provides, with its rows that are not transcribed.

    ``item_name`` is what the plan calls the rows of actions.csv (organisation.csv).
    """
    out = []
    for table, (noun, ref_columns) in PLAN_TABLES.items():
        frame = inputs.get(table)
        if frame is None:
            continue
        content = frame.get("content", pd.Series(None, index=frame.index, dtype=object))
        kinds = content.astype(object).where(content.notna(), TRANSCRIBED).astype(str)
        out.append(
            TableContent(
                table=table,
                noun=noun or item_name,
                rows=len(frame),
                reconstructed=_refs(frame, kinds, RECONSTRUCTED, ref_columns),
                illustrative=_refs(frame, kinds, ILLUSTRATIVE, ref_columns),
            )
        )
    return out


def _plural(noun: str, n: int) -> str:
    return noun if n == 1 else f"{noun}s"


def _share(n: int, table: TableContent) -> str:
    """``all 6 themes``, ``both themes``, ``the only theme``, ``4 of 10 actions``."""
    if n == table.rows:
        if n == 1:
            return f"the only {table.noun}"
        return f"both {table.noun}s" if n == 2 else f"all {n} {table.noun}s"
    return f"{n} of {table.rows} {_plural(table.noun, table.rows)}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def note(tables: list[TableContent]) -> str:
    """The banner's sentence on content that is not transcribed; blank when all of it is."""
    clauses = []
    for kind in (ILLUSTRATIVE, RECONSTRUCTED):
        hits = [(len(t.refs(kind)), t) for t in tables if t.refs(kind)]
        if not hits:
            continue
        verb = "is" if len(hits) == 1 and hits[0][0] == 1 else "are"
        shares = _and([_share(n, t) for n, t in hits])
        clauses.append(f"{shares} {verb} {kind} ({MEANING[kind]})")
    if not clauses:
        return ""
    opening = (
        "None of this plan is transcribed from a source document"
        if all(t.transcribed == 0 for t in tables)
        else "Not all of this plan is transcribed from its source document"
    )
    return f"{opening}: {'; '.join(clauses)}. The data-quality section lists them."


def _cell(refs: tuple[str, ...]) -> str:
    return f"{len(refs)}: {', '.join(refs)}" if refs else "0"


def table_rows(tables: list[TableContent]) -> list[dict]:
    """The data-quality section's table: one row per plan table with content that is not
    transcribed (table, rows, and the reconstructed and illustrative rows by reference)."""
    return [
        {
            "table": t.table,
            "rows": t.rows,
            RECONSTRUCTED: _cell(t.reconstructed),
            ILLUSTRATIVE: _cell(t.illustrative),
        }
        for t in tables
        if t.reconstructed or t.illustrative
    ]


def intro(tables: list[TableContent]) -> str:
    """The data-quality section's sentence before its table: what each kind present means."""
    kinds = [k for k in (RECONSTRUCTED, ILLUSTRATIVE) if any(t.refs(k) for t in tables)]
    if not kinds:
        return ""
    meanings = "; ".join(f"{k.capitalize()}: {MEANING[k]}" for k in kinds)
    return f"Rows of the plan not transcribed from its source document, by table. {meanings}."


def facts(inputs: Inputs, item_name: str = "action") -> dict:
    """What the report needs (JSON-ready): the banner ``note`` (blank when everything is
    transcribed), and for the data-quality section an ``intro`` sentence and the ``tables``
    rows (none when everything is transcribed)."""
    tables = content_by_table(inputs, item_name)
    return {"note": note(tables), "intro": intro(tables), "tables": table_rows(tables)}
