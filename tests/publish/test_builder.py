"""Building one report (odreport.publish.builder): rendered while validating and kept only when
validation agrees; a failed run changes nothing; one run per report at a time; damaged files
reported and rebuilt."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

import nbformat
import pytest

from odreport.errors import DataValidationError, RenderError
from odreport.files import DamagedFile
from odreport.publish import staging
from odreport.publish.builder import build
from odreport.publish.pipeline import NOTEBOOK
from odreport.publish.session import Session
from odreport.publish.speculation import DROPPED, KEPT, OTHER_WARNINGS
from support import REPO, copy_project, make_project, tree

pytestmark = pytest.mark.e2e


def _outputs(project) -> tuple[dict, dict]:
    """Everything in ``reports/`` and ``data/processed/`` (hidden files too)."""
    return tree(project.reports), tree(project.processed)


def _break(project, org: str = "dorset") -> None:
    """A RAG rating that is not allowed: a critical problem, which derivation (and so the
    report rendered meanwhile) gets past."""
    progress = project.raw_dir(org) / "progress.csv"
    text = progress.read_text(encoding="utf-8")
    progress.write_text(text.replace(",Green,", ",Gren,", 1), encoding="utf-8")


def test_invalid_inputs_change_nothing_and_stop_the_report_rendered_meanwhile(
    rendered, tmp_path, kept
):
    """The report rendered while the inputs are validated is stopped as soon as validation
    fails: a notebook cell that would finish later never does, and nothing it would have
    written appears anywhere, nor a failed notebook."""
    project = copy_project(rendered[0], tmp_path)
    before = _outputs(project)
    nb = nbformat.read(project.notebooks / NOTEBOOK, as_version=4)
    slow = "import pathlib, time\ntime.sleep(5)\npathlib.Path('cell-finished').write_text('x')"
    nb.cells.insert(2, nbformat.v4.new_code_cell(slow))
    nbformat.write(nb, project.notebooks / NOTEBOOK)
    _break(project)
    seen: list[str] = []
    staged_ahead = threading.Event()

    def hook(step: str) -> None:  # validation waits until the render ahead is under way
        seen.append(step)
        if step == "ahead:tables-staged":
            staged_ahead.set()
        if step == "validating":
            staged_ahead.wait(120)

    session = Session(checkpoint=hook, kernels=kept.kernels)
    with pytest.raises(DataValidationError) as caught:
        build(project, "dorset", session=session)
    assert any("rag" in line and "Gren" in line for line in caught.value.problems)
    assert "ahead:tables-staged" in seen  # it was rendering meanwhile
    time.sleep(5.5)  # the cell, started before the build returned, would have finished
    assert not (project.root / "cell-finished").exists()
    assert _outputs(project) == before
    assert not staging.workdir(project).joinpath("debug").exists()
    assert not staging.workdir(project).joinpath("staging").exists()


def test_a_report_rendered_during_validation_is_kept_only_if_validation_agrees(
    rendered, tmp_path, kept
):
    """Rotherham's inputs have one warning, which the report lists. A report rendered while
    validation runs assumes the warnings of the last build: when the last build listed none,
    it is dropped and built again; next time it is kept. With no last build, nothing is
    rendered ahead. Each gives the report a build without rendering ahead gives, byte for byte."""
    project = copy_project(rendered[0], tmp_path)
    sequential = Session(speculate=False, kernels=kept.kernels)
    # inputs validated before are not rendered ahead: the validation cache is off here
    speculating = Session(cache_validation=False, kernels=kept.kernels)
    built = build(project, "rotherham", force=True, session=sequential)
    assert built.ahead == ""
    expected = built.report.read_bytes()
    assert expected == rendered[1]["rotherham"].read_bytes()
    summary = project.processed_dir("rotherham", "2016-06") / "summary.json"
    last = json.loads(summary.read_text(encoding="utf-8"))
    assert len(last["data_quality"]) == 1
    summary.write_text(json.dumps({**last, "data_quality": []}), encoding="utf-8")
    first = build(project, "rotherham", force=True, session=speculating)
    assert first.ahead == f"{DROPPED}: {OTHER_WARNINGS}"
    assert first.report.read_bytes() == expected
    second = build(project, "rotherham", force=True, session=speculating)
    assert second.ahead == KEPT and second.report.read_bytes() == expected
    summary.unlink()  # no last build to go by
    third = build(project, "rotherham", force=True, session=speculating)
    assert third.ahead == "" and third.report.read_bytes() == expected
    cached = build(project, "rotherham", force=True, session=kept)  # validated before
    assert cached.ahead == "" and cached.report.read_bytes() == expected


def test_a_failing_speculative_render_is_built_again_after_validation(rendered, tmp_path, kept):
    project = copy_project(rendered[0], tmp_path)

    def fail_ahead(step: str) -> None:
        if step == "ahead:tables-staged":
            raise RuntimeError("kernel lost")

    session = Session(checkpoint=fail_ahead, cache_validation=False, kernels=kept.kernels)
    built = build(project, "nottingham", force=True, session=session)
    assert built.ahead == f"{DROPPED}: it failed (RuntimeError: kernel lost)"
    assert built.report.read_bytes() == rendered[1]["nottingham"].read_bytes()
    assert not [p for p in project.reports.rglob(".*")]
    assert not [p for p in project.processed.rglob(".*")]


def test_a_failing_cell_keeps_its_notebook_outside_reports_and_names_it(tmp_path, kept):
    project = make_project(tmp_path, {"dorset": REPO / "data" / "raw" / "dorset"})
    nb = nbformat.read(project.notebooks / NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken cell')"))
    nbformat.write(nb, project.notebooks / NOTEBOOK)
    with pytest.raises(RenderError) as caught:
        build(project, "dorset", session=kept)
    kept_nb = ".odreport/debug/dorset-2016-03-failed.ipynb"
    assert str(caught.value).endswith(
        f"ValueError: broken cell (executed notebook kept in {kept_nb})"
    )
    assert "broken cell" in (project.root / kept_nb).read_text(encoding="utf-8")
    assert _outputs(project) == ({}, {})


def test_a_second_run_of_the_same_report_waits_for_the_first_or_says_why_not(
    rendered, tmp_path, kept
):
    project = copy_project(rendered[0], tmp_path)
    before = _outputs(project)
    impatient = Session(lock_wait=0.5, kernels=kept.kernels)
    with staging.lock(project, "darlington", "2012-12"):  # another run is building it
        with pytest.raises(staging.Busy) as caught:
            build(project, "darlington", force=True, session=impatient)
        assert "another odreport run is building darlington 2012-12" in str(caught.value)
        assert _outputs(project) == before
        other = build(project, "dorset", force=True, session=kept)  # another report: no wait
        assert other.rendered


def test_damaged_files_are_reported_rebuilt_and_break_no_other_organisation(
    rendered, tmp_path, kept
):
    project = copy_project(rendered[0], tmp_path)
    figures = project.report_dir("dorset", "2016-03") / "figures.json"
    figures.write_text('{"org": "dorset", "period": ', encoding="utf-8")  # cut off
    manifest = project.report_dir("dorset", "2016-03") / "manifest.json"
    manifest.write_text(json.dumps({"builds": ["not", "a", "mapping"]}), encoding="utf-8")
    with pytest.warns(DamagedFile) as caught:
        built = build(project, "darlington", force=True, session=kept)
    assert built.rendered
    damaged = [str(w.message) for w in caught if issubclass(w.category, DamagedFile)]
    assert [message.split(": damaged")[0] for message in damaged] == [
        "reports/dorset/2016-03/figures.json"
    ]
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "darlington/2012-12/report.html" in index
    assert "dorset/2016-03/report.html" not in index  # until its own run rebuilds it
    with pytest.warns(DamagedFile) as caught:
        again = build(project, "dorset", session=kept)  # not forced: the manifest is damaged
    assert again.rendered
    damaged = [str(w.message) for w in caught if issubclass(w.category, DamagedFile)]
    assert damaged[0].startswith("reports/dorset/2016-03/manifest.json: damaged manifest")
    assert json.loads(figures.read_text(encoding="utf-8"))["org"] == "dorset"
    assert "dorset/2016-03/report.html" in (project.reports / "index.html").read_text("utf-8")
    assert not build(project, "dorset", session=kept).rendered  # manifest whole again


KILLED = """
import os, signal
print(os.getpid(), flush=True)
from pathlib import Path
from odreport.paths import Project
from odreport.publish.builder import build
from odreport.publish.session import Session


def at(step):
    if step == {point!r}:
        os.kill(os.getpid(), signal.SIGKILL)


build(Project(Path({root!r})), "south-staffordshire", force=True,
      session=Session(checkpoint=at, speculate=False))
"""


@pytest.mark.parametrize("point", ["render:cell-8", "commit:2"])
def test_a_run_killed_with_kill_9_changes_nothing_or_is_finished_by_the_next(
    rendered, tmp_path, kept, point
):
    """``kill -9`` leaves the run's staging folder (outside ``reports/`` and
    ``data/processed/``), its kernel's socket files and its lock file; the next run clears
    them. Killed in the middle of putting the report in place, the next run finishes that."""
    project = copy_project(rendered[0], tmp_path)
    progress = project.raw_dir("south-staffordshire") / "progress.csv"
    progress.write_text(
        progress.read_text(encoding="utf-8").replace("Green", "Amber", 1), encoding="utf-8"
    )
    before = _outputs(project)
    script = textwrap.dedent(KILLED).format(point=point, root=str(project.root))
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    sockets = f"odreport-{int(child.stdout)}-"
    assert any(p.startswith(sockets) for p in os.listdir(tempfile.gettempdir()))
    stage = staging.workdir(project) / "staging" / "south-staffordshire"
    assert stage.exists()
    after = _outputs(project)
    if point.startswith("render"):
        assert after == before
    else:  # the journal was written: the next run completes what it started
        assert after != before
    built = build(project, "south-staffordshire", session=kept)  # the next run
    assert not stage.exists()
    assert not any(p.startswith(sockets) for p in os.listdir(tempfile.gettempdir()))
    report = project.report_dir("south-staffordshire", "2011-03")  # its latest period
    recorded = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    for entry in recorded["builds"].values():
        for name, digest in entry["outputs"].items():
            assert tree(report)[name] == digest, name  # every output from the same run
    assert built.report == report / "report.html"
    assert built.rendered == point.startswith("render")  # finished by the recovery: up to date
    assert not [p for p in (*project.reports.rglob(".*"), *project.processed.rglob(".*"))]
