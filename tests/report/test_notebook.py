"""The report notebook is committed without outputs, with kernel metadata and parameters."""

from __future__ import annotations

import importlib.util

import nbformat

from support import REPO


def test_committed_notebook_is_the_generated_one_without_outputs():
    spec = importlib.util.spec_from_file_location(
        "make_notebook", REPO / "scripts" / "make_notebook.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    assert committed == module.build()
    assert committed.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in committed.cells)
    assert committed.cells[0].metadata["tags"] == ["parameters"]


def test_notebook_defines_no_functions():
    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    assert not any("def " in c.source or "class " in c.source for c in nb.cells)


def test_the_notebook_has_a_cell_per_section_of_the_registry_in_order():
    from odreport.report.registry import SECTIONS

    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    calls = [c.source for c in nb.cells if c.source.startswith("report.show(")]
    assert calls == [f"report.show(report.{s.id}(data))" for s in SECTIONS]
