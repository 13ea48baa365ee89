"""The executed notebook kept for audit holds no machine detail, and reports are the same bytes
in every time zone and locale and at any path."""

from __future__ import annotations

import getpass
import json
import locale
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from odreport.publish import normalise
from support import ORGS, REPO, make_project


def _executed(root: Path, tmp_name: str, when: str) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it after a run in ``root`` (paths, times, random id)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {
        "default_parameters": {},
        "duration": 0.857216,
        "end_time": f"{when}T01:42:06.595396+00:00",
        "environment_variables": {},
        "exception": None,
        "input_path": str(root / "notebooks" / "governance_report.ipynb"),
        "output_path": str(root / "reports" / "x" / tmp_name / "report.ipynb"),
        "parameters": {"org": "x", "period": "2016-06", "processed_dir": "data/processed/x/2016-06"},
        "start_time": f"{when}T01:42:05.738180+00:00",
        "version": "2.7.0",
    }
    cells = [
        nbformat.v4.new_code_cell("org = ''", id="cell-00", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("org = 'x'", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("report.show(...)", id="cell-01"),
    ]
    for i, cell in enumerate(cells):
        cell.metadata["execution"] = {
            "iopub.execute_input": f"{when}T01:42:05.74{i}656Z",
            "shell.execute_reply": f"{when}T01:42:05.75{i}969Z",
        }
        cell.metadata["papermill"] = {
            "duration": 0.04 + i,
            "end_time": f"{when}T01:42:05.789468+00:00",
            "exception": False,
            "start_time": f"{when}T01:42:05.747674+00:00",
            "status": "completed",
        }
    cells[2].outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text=f"{root}/src/odreport/report/charts.py:12: UserWarning: careful\n"
            f"{sys.prefix}/lib/python3.11/site-packages/pandas/core/x.py:3: FutureWarning\n",
        ),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>31 March 2016</p>"}),
    ]
    nb.cells = cells
    summary = root / "data" / "processed" / "x" / "2016-06" / "summary.json"
    summary.parent.mkdir(parents=True, exist_ok=True)
    summary.write_text(json.dumps({"provenance": {"code_version": "odreport 0.1.0"}}))
    return nb


def test_paths_become_project_relative_and_times_disappear(tmp_path):
    root = tmp_path / "project"
    nb = _executed(root, ".render-e8edn31f", "2026-12-01")
    published = root / "reports" / "x" / "2016-06" / "report.ipynb"
    normalise.for_audit(nb, root, published)
    meta = nb.metadata["papermill"]
    assert meta["input_path"] == "notebooks/governance_report.ipynb"
    assert meta["output_path"] == "reports/x/2016-06/report.ipynb"
    assert (meta["start_time"], meta["end_time"], meta["duration"]) == (None, None, None)
    assert meta["parameters"]["processed_dir"] == "data/processed/x/2016-06"  # kept as given
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert cell.metadata["papermill"]["status"] == "completed"
        assert [cell.metadata["papermill"][k] for k in normalise.TIMES] == [None, None, None]
    assert [c["id"] for c in nb.cells] == ["cell-00", "injected-parameters", "cell-01"]
    stderr = nb.cells[2].outputs[0]["text"]
    assert stderr.startswith("./src/odreport/report/charts.py:12: UserWarning")
    assert "<python>/lib/python3.11/site-packages/pandas" in stderr
    assert nb.cells[2].outputs[1]["data"]["text/html"] == "<p>31 March 2016</p>"  # untouched


def test_no_machine_detail_is_left_in_the_file(tmp_path):
    root = tmp_path / "project"
    path = tmp_path / "out.ipynb"
    normalise.for_audit(_executed(root, ".render-abc", "2026-12-01"), root, root / "r.ipynb", path)
    text = path.read_text(encoding="utf-8")
    for detail in (str(tmp_path), sys.prefix, os.path.expanduser("~"), "2026-12-01", "render-"):
        assert detail not in text, detail
    for detail in (getpass.getuser(), socket.gethostname()):
        assert f"/{detail}/" not in text and f"{detail}:" not in text, detail
    nbformat.validate(nbformat.reads(text, as_version=4))


def test_two_runs_at_different_paths_and_times_give_the_same_bytes(tmp_path):
    files = []
    for name, tmp, when in (("a", ".render-1", "2026-12-01"), ("b/c", ".render-2", "2027-06-30")):
        root = tmp_path / name
        out = tmp_path / f"{name.replace('/', '-')}.ipynb"
        published = root / "reports" / "x" / "2016-06" / "report.ipynb"
        normalise.for_audit(_executed(root, tmp, when), root, published, out)
        files.append(out.read_bytes())
    assert files[0] == files[1]


def test_the_provenance_is_recorded_and_read_back(tmp_path):
    root = tmp_path / "project"
    path = tmp_path / "out.ipynb"
    normalise.for_audit(_executed(root, ".render-1", "2026-12-01"), root, root / "r.ipynb", path)
    assert normalise.recorded_provenance(path) == {"code_version": "odreport 0.1.0"}
    plain = tmp_path / "plain.ipynb"
    normalise.write(nbformat.v4.new_notebook(), plain)
    assert normalise.recorded_provenance(plain) is None
    broken = tmp_path / "broken.ipynb"
    broken.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a notebook"):
        normalise.recorded_provenance(broken)


def test_a_notebook_without_derived_tables_records_no_provenance(tmp_path):
    root = tmp_path / "project"
    nb = _executed(root, ".render-1", "2026-12-01")
    nb.metadata["papermill"]["parameters"]["processed_dir"] = ""  # interactive: derived in it
    normalise.for_audit(nb, root, root / "r.ipynb")
    assert "odreport" not in nb.metadata


# --- end to end: fresh processes, each with its own time zone and locale ---------------------

# The zones span UTC-8 to UTC+14, with and without summer time; "C" and "C.UTF-8" are the
# locales every machine has.
FAR_ZONE, ZONES = "Pacific/Kiritimati", ("Europe/London", "America/Los_Angeles")


def _odreport(root: Path, env: tuple[str, str], *args: str) -> None:
    tz, lc_all = env
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "ODREPORT_"))}
    run_env.update(TZ=tz, LC_ALL=lc_all, LANG=lc_all)
    done = subprocess.run(
        [sys.executable, "-m", "odreport.cli", "--root", str(root), *args],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, (env, args, done.stderr[-2000:])


def _outputs(root: Path, org: str) -> dict[str, bytes]:
    (folder,) = (root / "reports" / org).iterdir()
    return {
        f"{org}/{folder.name}/{name}": (folder / name).read_bytes()
        for name in ("report.html", "report.ipynb")
    }


def _elsewhere() -> tuple[str, str]:
    """A time zone and a locale other than this run's (which the kept kernel has too)."""
    zone = FAR_ZONE if time.localtime().tm_gmtoff != 14 * 3600 else "America/Los_Angeles"
    here = locale.setlocale(locale.LC_CTYPE).upper().replace("UTF8", "UTF-8")
    return zone, "C" if "UTF-8" in here else "C.UTF-8"


@pytest.mark.e2e
def test_every_report_is_the_same_bytes_in_any_time_zone_locale_and_path(rendered, tmp_path):
    """The test run's five reports (rendered in this process's time zone and locale) are the
    same bytes as the five rendered again by a fresh process in a project at another path, at
    UTC+14 and in the other of the locales "C" and "C.UTF-8"; Rotherham (whose timeline starts
    on 1 October 2015) also in London time in C.UTF-8 and in California time in C."""
    project, _ = rendered
    other = _elsewhere()
    second = make_project(
        tmp_path / "elsewhere" / "deeper" / "b", {org: REPO / "data" / "raw" / org for org in ORGS}
    ).root
    many = [arg for org in ORGS for arg in ("--org", org)]
    _odreport(second, other, "reports", "--workers", "1", *many)
    expected = {}
    for org in ORGS:
        expected |= _outputs(project.root, org)
        got = _outputs(second, org)
        assert got.keys() == _outputs(project.root, org).keys()
        for name, data in got.items():
            assert data == expected[name], f"{name} differs in {other} at another path"
            text = data.decode("utf-8")
            assert str(second) not in text and str(project.root) not in text, name
            assert "render-" not in text, name
    for tz, lc_all in zip(ZONES, ("C.UTF-8", "C"), strict=True):
        _odreport(second, (tz, lc_all), "report", "--org", "rotherham", "--force")
        for name, data in _outputs(second, "rotherham").items():
            assert data == expected[name], f"{name} differs in {tz}, LC_ALL={lc_all}"


def test_execution_counts_are_dropped(tmp_path):
    """A kept kernel counts on from the report before: the counts would differ by run."""
    root = tmp_path / "project"
    nb = _executed(root, ".render-abc", "2026-12-01")
    nb.cells[2].execution_count = 7
    nb.cells[2].outputs.append(
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=7)
    )
    normalise.for_audit(nb, root, root / "r.ipynb")
    assert [c.get("execution_count") for c in nb.cells if c.cell_type == "code"] == [None] * 3
    assert nb.cells[2].outputs[-1]["execution_count"] is None
