"""The report notebook is committed without outputs, with kernel metadata and parameters."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest

from support import REPO


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_notebook", REPO / "scripts" / "make_notebook.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebook_is_the_generated_one_without_outputs():
    module = _generator()
    committed = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    assert committed == module.build(), module.EDITED
    assert committed.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in committed.cells)
    assert committed.cells[0].metadata["tags"] == ["parameters"]


def test_a_cell_added_by_hand_fails_saying_where_custom_content_belongs():
    module = _generator()
    edited = module.build()
    edited.cells.append(nbformat.v4.new_code_cell("my_own_chart()"))
    with pytest.raises(AssertionError) as failure:
        assert edited == module.build(), module.EDITED
    message = str(failure.value)
    assert "data/raw/<org>/narrative/<period>.md" in message
    assert "notebooks/local/<org>/<name>.ipynb" in message
    assert "`make notebook`" in message


def test_the_parameters_cell_reads_the_values_make_lab_presets(monkeypatch):
    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    for name in ("ORG", "PERIOD", "PROCESSED_DIR"):
        monkeypatch.delenv(f"ODREPORT_{name}", raising=False)
    names = {}
    exec(nb.cells[0].source, names)  # as JupyterLab runs it: no papermill cell after it
    assert (names["org"], names["period"], names["processed_dir"]) == ("rotherham", "", "")
    monkeypatch.setenv("ODREPORT_ORG", "dorset")
    monkeypatch.setenv("ODREPORT_PERIOD", "2016-03")
    monkeypatch.setenv("ODREPORT_PROCESSED_DIR", "/somewhere/dorset/2016-03")
    exec(nb.cells[0].source, names)
    assert (names["org"], names["period"], names["processed_dir"]) == (
        "dorset",
        "2016-03",
        "/somewhere/dorset/2016-03",
    )


def test_notebook_defines_no_functions():
    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    assert not any("def " in c.source or "class " in c.source for c in nb.cells)


def test_the_notebook_has_a_cell_per_section_of_the_registry_in_order():
    from odreport.report.registry import SECTIONS

    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    calls = [c.source for c in nb.cells if c.source.startswith("report.show(")]
    assert calls == [f"report.show(report.{s.id}(data))" for s in SECTIONS]
