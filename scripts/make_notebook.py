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
        "from IPython.display import display\n\nfrom odreport import report\n\ndata = report.load(processed_dir or report.prepare(org, period))",
    ),
    ("", "display(report.header(data))"),
    ("", "display(report.headline(data))"),
    ("", "display(report.exceptions(data))"),
    ("", "display(report.status_by_theme(data))"),
    ("", "trend = report.trend(data)\nif trend is not None:\n    display(trend)"),
    ("", "display(report.data_quality(data))"),
    ("", "display(report.provenance(data))"),
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
