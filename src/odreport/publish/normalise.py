"""The executed notebook as it is kept for audit (``report.ipynb`` beside each report): the same
bytes for the same inputs and code on any machine, path, day or time zone.

papermill records where and when a notebook ran: absolute input and output paths (the output a
temporary ``.render-*`` folder), start and end times and durations for the notebook and every
cell, and Jupyter adds the kernel's message timestamps to each cell and a random id to the cell
of injected parameters. :func:`for_audit` replaces the paths by project-relative ones (the
output by where the notebook is published), drops the times and durations (``None``, as papermill
writes them before a run) and the execution counts (a kept kernel counts on), gives the injected cell a fixed id and removes the project's, the
Python installation's and the home folder's absolute paths from any warning or error text. It
also records the report's provenance (inputs and their checksums, code version, parameters and
library versions, as the report shows them) in the notebook's metadata, where
:mod:`odreport.publish.verify` reads it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat

from odreport.publish.provenance import relative

INJECTED_TAG = "injected-parameters"  # papermill's tag on the cell it adds
INJECTED_ID = "injected-parameters"  # fixed id for it (papermill gives it a random one)
TIMES = ("start_time", "end_time", "duration")
FACTS = "summary.json"  # the report's facts the notebook loads, holding the provenance


def _scrub(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def machine_paths(root: Path) -> list[tuple[str, str]]:
    """Absolute paths that say where a report was made, each with what replaces it in text:
    the project root (``.``), the Python installation (``<python>``) and the home folder
    (``~``), longest first so that the most specific one wins."""
    found = {os.path.expanduser("~"): "~"}
    # each path as given and resolved: a virtual environment or project reached through a
    # symbolic link appears in tracebacks under either name
    for path, shown in ((sys.base_prefix, "<python>"), (sys.prefix, "<python>"), (root, ".")):
        found[str(Path(path).absolute())] = shown
        found[str(Path(path).resolve())] = shown
    paths = [(p, r) for p, r in found.items() if p not in ("", "/", "~")]
    return sorted(paths, key=lambda pair: -len(pair[0]))


def _scrub_outputs(cell: dict, replacements: list[tuple[str, str]]) -> None:
    """Warnings and errors may quote file paths; results are left exactly as computed."""
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            output["text"] = _scrub(output["text"], replacements)
        elif kind == "error":
            output["evalue"] = _scrub(output["evalue"], replacements)
            output["traceback"] = [_scrub(line, replacements) for line in output["traceback"]]


def provenance_of(nb: nbformat.NotebookNode, root: Path) -> dict | None:
    """The provenance of the report a notebook renders: from the ``summary.json`` in the
    ``processed_dir`` it was given (``None`` when it has none, e.g. an interactive run)."""
    processed = nb.metadata.get("papermill", {}).get("parameters", {}).get("processed_dir")
    if not processed:
        return None
    try:
        facts = json.loads((Path(root) / processed / FACTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return facts.get("provenance")


def for_audit(
    nb: nbformat.NotebookNode, root: Path, published: Path, path: Path | None = None
) -> nbformat.NotebookNode:
    """Normalise an executed notebook in place (see the module's docstring) and return it;
    with ``path``, write it there too.

    ``root`` is the project root, ``published`` where the notebook will be published (its
    ``output_path`` once normalised).
    """
    root = Path(root)
    meta = nb.metadata.setdefault("papermill", {})
    if meta.get("input_path"):
        meta["input_path"] = relative(Path(meta["input_path"]), root)
    if "output_path" in meta:
        meta["output_path"] = relative(Path(published), root)
    for key in TIMES:
        if key in meta:
            meta[key] = None
    replacements = machine_paths(root)
    injected = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") == "code":  # counts differ between a kept and a new kernel
            cell["execution_count"] = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
        for key in TIMES:
            if key in cell.metadata.get("papermill", {}):
                cell.metadata["papermill"][key] = None
        if INJECTED_TAG in cell.metadata.get("tags", []):
            injected += 1  # local notebooks placed after the report bring their own
            cell["id"] = INJECTED_ID if injected == 1 else f"{INJECTED_ID}-{injected}"
        _scrub_outputs(cell, replacements)
    record = provenance_of(nb, root)
    if record is not None:
        nb.metadata["odreport"] = {"provenance": record}
    if path is not None:
        write(nb, Path(path))
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write a notebook as nbformat does (keys sorted, one-space indent), ending in a newline."""
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def recorded_provenance(path: Path) -> dict | None:
    """The provenance :func:`for_audit` recorded in a kept notebook, ``None`` if it has none.
    Raises ``ValueError`` if the file is not a notebook."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "cells" not in data:
        raise ValueError(f"{Path(path).name} is not a notebook")
    return data.get("metadata", {}).get("odreport", {}).get("provenance")
