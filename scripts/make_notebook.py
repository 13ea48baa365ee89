"""Write notebooks/governance_report.ipynb (committed without outputs) from the registry of
report sections (:data:`odreport.report.registry.SECTIONS`).

The notebook is the report's presentation: a parameters cell, a cell that loads the derived
tables, then one cell per section. Run ``make notebook`` after changing the registry;
``make test`` checks the committed file matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from odreport.report.registry import SECTIONS

PARAMETERS = (
    "# Parameters: papermill sets them for a report; `make lab ORG=x` presets them here\n"
    "from odreport.report.parameters import preset\n"
    "\n"
    'org = preset("org", "rotherham")\n'
    'period = preset("period")  # YYYY-MM; blank: latest\n'
    'processed_dir = preset("processed_dir")  # blank: derive now (interactive use)'
)
LOAD = (
    "from odreport import report\n"
    "from odreport.publish.pipeline import prepare\n"
    "\n"
    "data = report.load(processed_dir or prepare(org, period))"
)


EDITED = (
    "notebooks/governance_report.ipynb differs from the notebook generated from the registry "
    "of sections (src/odreport/report/registry.py). It is generated, not edited: run "
    "`make notebook` after changing the registry, and keep custom content out of it. Words "
    "for a report belong in data/raw/<org>/narrative/<period>.md (docs/input-format.md, "
    "Narrative); an organisation's own analysis belongs in a local notebook, "
    "notebooks/local/<org>/<name>.ipynb (README, Local analysis), shown under "
    '"Local analysis" in its reports.'
)
"""What the test that compares the committed notebook with the generated one says."""


def cells() -> list[tuple[str, str]]:
    """The notebook's cells as (tag, source): parameters, loading, one per section."""
    return [
        ("parameters", PARAMETERS),
        ("", LOAD),
        *[("", f"report.show(report.{s.id}(data))") for s in SECTIONS],
    ]


def build() -> nbformat.NotebookNode:
    """The report notebook, without outputs, with the kernel metadata papermill needs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    for i, (tag, source) in enumerate(cells()):
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
