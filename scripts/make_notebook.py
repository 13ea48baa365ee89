"""Write notebooks/governance_report.ipynb (committed without outputs).

The notebook is the report's presentation: a parameters cell, then one call per section.
Run this after changing the cell list; `make test` checks the committed file matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

CELLS = [
    (
        "parameters",
        '# Parameters (papermill fills these)\norg = "rotherham"\nperiod = ""  # YYYY-MM; blank: latest\nprocessed_dir = ""  # blank: derive now (interactive use)',
    ),
    (
        "",
        "from odreport import report\nfrom odreport.publish.pipeline import prepare\n\ndata = report.load(processed_dir or prepare(org, period))",
    ),
    ("", "report.show(report.header(data))"),
    ("", "report.show(report.headline(data))"),
    ("", "report.show(report.exceptions(data))"),
    ("", "report.show(report.changes(data))"),
    ("", "report.show(report.status_by_theme(data))"),
    ("", "report.show(report.survey_evidence(data))"),
    ("", "report.show(report.timeline(data))"),
    ("", "report.show(report.trend(data))"),
    ("", "report.show(report.coverage(data))"),
    ("", "report.show(report.maturity(data))"),
    ("", "report.show(report.risk(data))"),
    ("", "report.show(report.survey_results(data))"),
    ("", "report.show(report.accountability(data))"),
    ("", "report.show(report.data_quality(data))"),
    ("", "report.show(report.provenance(data))"),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    for i, (tag, source) in enumerate(CELLS):
        cell = nbformat.v4.new_code_cell(source)
        cell.id = f"cell-{i:02d}"
        if tag:
            cell.metadata["tags"] = [tag]
        nb.cells.append(cell)
    return nb


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "notebooks/governance_report.ipynb")
    nbformat.write(build(), out)
    print(out)
