"""Sections for audit: the data-quality warnings validation found, and provenance (inputs with
checksums, code version, parameters, library versions)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup

from odreport.inputs import narrative
from odreport.inputs.problems import Problem
from odreport.report import present
from odreport.report.data import ReportData
from odreport.report.templating import render


def table_name(file: str) -> str:
    """The input table a file holds: ``data/raw/x/risks.csv`` or ``data/raw/x/plan.xlsx[risks]``
    → ``risks`` (a CSV and a workbook with the same content give the same report)."""
    if file.endswith("]") and "[" in file:
        return file[file.rindex("[") + 1 : -1]
    if f"/{narrative.FOLDER}/" in file:  # narrative/<period>.md: not a table, named as a file
        return f"{narrative.FOLDER}/{Path(file).name}"
    return Path(file).stem


def warning_rows(warnings: list[Problem]) -> pd.DataFrame:
    """The warnings as the data-quality table lists them: table, row, column, warning."""
    return pd.DataFrame(
        [
            {
                "table": table_name(w.file),
                "row": w.row,
                "column": w.column,
                "message": w.described(),
            }
            for w in warnings
        ],
        columns=["table", "row", "column", "message"],
    )


NOTE_KINDS = {
    "gap": "content of the plan the inputs do not have",
    "not stated": "the plan gives no value",
    "reading": "an ambiguous passage, read one way",
}


def source_notes_table(notes: pd.DataFrame) -> present.Table:
    """The known gaps in the source document and readings of it (``source_notes``)."""
    return present.table(
        notes.assign(kind=notes["kind"].map(lambda k: f"{k}: {NOTE_KINDS.get(k, k)}")),
        "Known gaps in the source document and how it was read",
        {"note_ref": "Ref", "table": "Table", "ref": "Items", "kind": "Kind", "note": "Note"},
        row_header="note_ref",
    )


def data_quality(data: ReportData) -> Markup:
    """Warnings from validation (inconsistencies in the source that do not stop the report),
    the known gaps in the source document, and the plan content not transcribed. "All inputs
    passed every data-quality check" only when there is no warning and no known gap."""
    rows = warning_rows(data.warnings)
    table = None
    if not rows.empty:
        table = present.table(
            rows,
            "Data-quality warnings",
            {"table": "Table", "row": "Row", "column": "Column", "message": "Warning"},
            numeric=["row"],
        )
    notes = data.source_notes
    gaps = int((notes["kind"] == "gap").sum())
    content = data.facts.get("content", {})  # plan content not transcribed (metrics.content)
    content_table = None
    if content.get("tables"):
        content_table = present.table(
            pd.DataFrame(content["tables"]),
            "Plan content not transcribed from the source document",
            {
                "table": "Table",
                "rows": "Rows",
                "reconstructed": "Reconstructed",
                "illustrative": "Illustrative",
            },
            numeric=["rows"],
        )
    return render(
        "sections/data_quality.html.j2",
        count=len(rows),
        table=table,
        notes=len(notes),
        gaps=gaps,
        notes_table=source_notes_table(notes) if not notes.empty else None,
        content_intro=content.get("intro") if content_table is not None else None,
        content_table=content_table,
    )


def provenance(data: ReportData) -> Markup:
    """Inputs with checksums, code version, parameters and library versions."""
    p = data.facts["provenance"]
    particulars = (
        [("Code version", p["code_version"])]
        + [(f"Parameter {k}", v) for k, v in sorted(p["parameters"].items())]
        + sorted(p["versions"].items())
    )
    files = {"file": "File", "sha256": "SHA-256"}
    tables = [
        present.table(pd.DataFrame(p["inputs"]), "Input files and their SHA-256 checksums", files),
        present.table(pd.DataFrame(p["code_files"]), "Notebook and expectation suites", files),
    ]
    return render("sections/provenance.html.j2", particulars=particulars, tables=tables)
