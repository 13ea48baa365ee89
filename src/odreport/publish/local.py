"""Run an organisation's local notebooks and place their outputs in its report.

An organisation may keep notebooks of its own in ``notebooks/local/<org>/*.ipynb``. Each has a
cell tagged ``parameters`` and receives the report's parameters (``org``, ``period``,
``processed_dir``: :mod:`odreport.report.parameters`). After the report notebook has run, each
local notebook is run in file-name order by :func:`odreport.publish.render.execute`, the same
way as the report notebook (the same kernel set-up, over local sockets, the same settings),
and its cells (with their outputs) are placed in the executed report notebook under the
"Local analysis" heading (:mod:`odreport.report.local`), each after a heading with the
notebook's name. The HTML export then shows their HTML outputs like any section's.

A local notebook that fails (a cell raises, it has no ``parameters`` cell, or an output would
run a script or load something from another host) stops the run with exit code 1 and a message
naming the notebook and the cell; nothing is published, and the failed run of the notebook is
kept for the analyst where the report's own failed run would be. Local notebooks count as the
report's code: they are in its provenance and in the fingerprint of incremental builds.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from odreport.errors import RenderError
from odreport.paths import Project

if TYPE_CHECKING:
    import nbformat  # imported where used: the pipeline imports this module at start-up

FOLDER = "local"
ANCHOR = "report.show(report.local_analysis(data))"
"""The report notebook's cell after which local notebooks' cells are placed (the registry's
``local_analysis`` section; the report stage is imported only when a notebook is placed)."""

# What a report may not hold: scripts, and anything loaded from another host.
_ELSEWHERE = re.compile(
    r"<\s*script\b|\b(?:src|href|xlink:href|srcset|data|action)\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|url\(\s*[\"']?\s*(?:https?:)?//|@import",
    re.IGNORECASE,
)


def notebooks(project: Project, org: str) -> list[Path]:
    """The organisation's local notebooks, in file-name order (run order)."""
    folder = project.notebooks / FOLDER / org
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


def facts(project: Project, org: str) -> list[dict]:
    """What the report says of them: each notebook's name and file, in run order."""
    return [
        {"name": path.stem, "file": path.relative_to(project.root).as_posix()}
        for path in notebooks(project, org)
    ]


def include(
    project: Project,
    report_nb: nbformat.NotebookNode,
    parameters: dict,
    executed: Path,
    cancel: threading.Event | None = None,
) -> nbformat.NotebookNode:
    """Run the organisation's local notebooks with the report's ``parameters`` and place their
    cells in ``report_nb`` (the executed report notebook, saved as ``executed``) under the
    Local analysis heading. Raises :class:`RenderError` naming the notebook and cell; the
    failed run is then saved as ``executed``, where the render keeps it for the analyst."""
    import nbformat

    from odreport.publish.render import execute

    paths = notebooks(project, parameters["org"])
    if not paths:
        return report_nb
    at = next((i for i, c in enumerate(report_nb.cells) if c.source == ANCHOR), None)
    if at is None:
        raise RenderError(
            f"{executed.name}: no Local analysis cell ({ANCHOR}) to place local notebooks after"
        )
    placed = []
    for n, path in enumerate(paths):
        name = path.relative_to(project.root).as_posix()
        _check_parameters_cell(path, name)
        out = executed.with_name(f"local-{n:02d}.ipynb")
        try:
            ran = execute(path, out, parameters, project.root, None, cancel)  # a kernel of its own
        except RenderError as exc:
            if out.exists():
                shutil.copyfile(out, executed)
            raise RenderError(_failure(name, path, out, exc)) from exc
        _check_outputs(ran, path, name)
        placed.append(_heading_cell(path.stem, name, f"local-{n:02d}"))
        placed += [
            _placed(cell, path.stem, f"local-{n:02d}-{i:03d}") for i, cell in enumerate(ran.cells)
        ]
    report_nb.cells[at + 1 : at + 1] = placed
    nbformat.write(report_nb, executed)
    return report_nb


def _check_parameters_cell(path: Path, name: str) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        raise RenderError(
            f"{name}: no cell tagged 'parameters' (a local notebook receives org, period and "
            "processed_dir there; see README, Local analysis)"
        )


def _cell_number(nb: nbformat.NotebookNode, index: int) -> int:
    """The 1-based number, in the notebook as written, of cell ``index`` of its executed copy
    (papermill's injected parameters cell is not counted)."""
    return 1 + sum(
        1 for c in nb.cells[:index] if "injected-parameters" not in c.metadata.get("tags", [])
    )


def _failure(name: str, path: Path, out: Path, exc: RenderError) -> str:
    """``<notebook>: cell <n> failed: <error>``, the cell numbered as in the notebook."""
    import nbformat

    cause = exc.__cause__
    index = getattr(cause, "cell_index", None)
    if index is None or not out.exists():
        return f"{name}: {str(exc).removeprefix(path.name + ': ')}"
    number = _cell_number(nbformat.read(out, as_version=4), index)
    error = f"{cause.ename}: {(str(cause.evalue).strip().splitlines() or [''])[0]}"
    return f"{name}: cell {number} failed: {error}"


def _check_outputs(nb: nbformat.NotebookNode, path: Path, name: str) -> None:
    """No output may run a script or load anything from another host."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            shown = [v for k, v in data.items() if k in ("text/html", "image/svg+xml")]
            if any(_ELSEWHERE.search("".join(v) if isinstance(v, list) else str(v)) for v in shown):
                raise RenderError(
                    f"{name}: cell {_cell_number(nb, index)}: its output runs a script or "
                    "loads something from another host, and a report may do neither (show "
                    "charts with odreport.report.local.figure)"
                )


def _heading_cell(stem: str, name: str, cell_id: str) -> nbformat.NotebookNode:
    import nbformat

    from odreport.report import local as presentation

    cell = nbformat.v4.new_code_cell(f"# {name}")
    cell.outputs = [_html(presentation.notebook_heading(stem, name))]
    cell.metadata["odreport"] = {"local": stem}
    cell.id = cell_id
    return cell


def _placed(cell: nbformat.NotebookNode, stem: str, cell_id: str) -> nbformat.NotebookNode:
    """A local notebook's cell as placed in the report notebook. A Markdown cell becomes its
    text rendered as narrative is (sanitised, redacted, no links or images made), its
    headings under the notebook's; other cells keep their outputs."""
    import nbformat

    from odreport.report import narrative

    if cell.cell_type == "markdown":
        placed = nbformat.v4.new_code_cell("")
        placed.outputs = [_html(narrative.to_html(cell.source, level=4, top=1))]
        placed.metadata["odreport"] = {"local": stem, "markdown": cell.source}
    else:
        placed = nbformat.from_dict(cell)
        placed.metadata.setdefault("odreport", {})["local"] = stem
    placed.id = cell_id
    return placed


def _html(markup) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.v4.new_output("display_data", data={"text/html": str(markup)})
