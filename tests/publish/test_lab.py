"""``odreport lab``: data prepared as a report build prepares it, parameters preset, and a
JupyterLab server that starts on a free port and stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from odreport.cli import main
from odreport.errors import DataValidationError
from odreport.metrics import processed
from odreport.publish import lab

ODREPORT = Path(sys.executable).with_name("odreport")


def test_prepare_writes_the_derived_tables_of_the_latest_period(example_project):
    prepared = lab.prepare(example_project, "example")
    assert (prepared.org, prepared.period) == ("example", "2025-12")
    assert prepared.folder == example_project.processed_dir("example", "2025-12")
    summary = processed.read_facts(prepared.folder / processed.FACTS)
    assert summary["period"] == "2025-12" and summary["narrative"]["themes"]
    assert lab.prepare(example_project, "example", "2025-09").folder.name == "2025-09"


def test_invalid_inputs_stop_before_jupyterlab_with_exit_3(example_project, capsys):
    themes = example_project.raw_dir("example") / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8") + "LD,Duplicate,,,,x\n", "utf-8")
    with pytest.raises(DataValidationError):
        lab.prepare(example_project, "example")
    code = main(["--root", str(example_project.root), "lab", "--org", "example"])
    assert code == 3
    assert "JupyterLab" not in capsys.readouterr().out


def test_a_period_without_an_organisation_is_a_usage_error(example_project):
    assert main(["--root", str(example_project.root), "lab", "--period", "2025-12"]) == 2


def test_the_environment_presets_the_parameters_and_the_root(example_project):
    prepared = lab.Prepared("example", "2025-12", example_project.root / "data" / "x")
    stale = {"PATH": "/bin", "ODREPORT_ORG": "dorset", "ODREPORT_PERIOD": "2016-03"}
    env = lab.environment(example_project, prepared, stale)
    assert env == {
        "PATH": "/bin",
        "ODREPORT_ROOT": str(example_project.root),
        "ODREPORT_ORG": "example",
        "ODREPORT_PERIOD": "2025-12",
        "ODREPORT_PROCESSED_DIR": str((example_project.root / "data" / "x").resolve()),
    }
    assert lab.environment(example_project, None, stale) == {
        "PATH": "/bin",
        "ODREPORT_ROOT": str(example_project.root),
    }


def test_the_command_is_this_pythons_jupyterlab_on_notebooks_on_this_machine_only(
    example_project,
):
    argv = lab.command(example_project, port=9999, browser=False)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={example_project.notebooks}" in argv
    assert "--ServerApp.ip=127.0.0.1" in argv
    assert {"--ServerApp.port=9999", "--ServerApp.port_retries=0", "--no-browser"} <= set(argv)
    assert ("--allow-root" in argv) is (os.geteuid() == 0)
    assert "--no-browser" not in lab.command(example_project)
    assert not any("port" in a for a in lab.command(example_project))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.e2e
def test_make_lab_starts_jupyterlab_that_answers_on_localhost_and_stops(example_project, tmp_path):
    port = _free_port()
    jupyter = tmp_path / "jupyter"  # JupyterLab's own files, not the user's
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(jupyter / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(jupyter / "workspaces"),
    }
    argv = [str(ODREPORT), "--root", str(example_project.root), "lab", "--org", "example"]
    server = subprocess.Popen(
        [*argv, "--port", str(port), "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not _answers(f"http://127.0.0.1:{port}/api") and time.monotonic() < deadline:
            assert server.poll() is None, "JupyterLab ended before it answered"
            time.sleep(0.5)
        assert _answers(f"http://127.0.0.1:{port}/api")
        assert (example_project.processed_dir("example", "2025-12") / "summary.json").is_file()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # JupyterLab stops its kernels and itself
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    first = server.stdout.read().splitlines()[0]
    assert first == (
        "JupyterLab on notebooks/ with example 2025-12 prepared in "
        "data/processed/example/2025-12/ (parameters preset: org='example', period='2025-12')"
    )
    assert not _answers(f"http://127.0.0.1:{port}/api")


@pytest.mark.e2e
def test_the_notebook_run_as_in_jupyterlab_shows_what_the_report_shows(
    example_project, monkeypatch
):
    """The report notebook run with JupyterLab's preset (no papermill parameters, from
    notebooks/) gives the same outputs, cell by cell, as the report's own run."""
    import papermill as pm

    from odreport.publish.builder import build_report

    report = build_report(example_project, "example")
    prepared = lab.prepare(example_project, "example")
    for key, value in lab.environment(example_project, prepared, {}).items():
        monkeypatch.setenv(key, value)
    interactive = pm.execute_notebook(
        str(example_project.notebooks / "governance_report.ipynb"),
        str(example_project.root / "interactive.ipynb"),
        cwd=str(example_project.notebooks),
        kernel_name="python3",
        progress_bar=False,
    )
    reported = nbformat.read(report.with_suffix(".ipynb"), as_version=4)
    shown = [c for c in reported.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert len(shown) == len(interactive.cells)

    def outputs(nb_cells):
        return [[o.get("data", o.get("text")) for o in c.get("outputs", [])] for c in nb_cells]

    assert outputs(interactive.cells) == outputs(shown)
    assert any(outputs(shown))
