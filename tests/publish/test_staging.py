"""Staging, one commit, locks and clean-up after killed runs (odreport.publish.staging)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from odreport.files import OdReportWarning
from odreport.paths import Project
from odreport.publish import staging
from odreport.publish.interrupts import Interrupted, stop_on_signals
from support import tree


@pytest.fixture
def project(tmp_path) -> Project:
    for folder in ("data/raw/x", "data/processed/x/2016-06", "reports/x/2016-06"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data/processed/x/2016-06/items.csv").write_text("old table\n")
    (tmp_path / "reports/x/2016-06/report.html").write_text("old report\n")
    (tmp_path / "reports/index.html").write_text("old index\n")
    return Project(tmp_path)


def _stage_new(stage: staging.Stage) -> list:
    """A new table folder, report and index in ``stage``, and where each goes."""
    tables = stage.folder("tables")
    (tables / "items.csv").write_text("new table\n")
    report = stage.folder("report")
    (report / "report.html").write_text("new report\n")
    (report / "figures.json").write_text("{}\n")
    index = stage.dir / "index.html"
    index.write_text("new index\n")
    root = stage.project.root
    return [
        (tables, root / "data/processed/x/2016-06"),
        (report / "report.html", root / "reports/x/2016-06/report.html"),
        (report / "figures.json", root / "reports/x/2016-06/figures.json"),
        (index, root / "reports/index.html"),
    ]


NEW = {
    "data/processed/x/2016-06/items.csv": "new table\n",
    "reports/x/2016-06/report.html": "new report\n",
    "reports/x/2016-06/figures.json": "{}\n",
    "reports/index.html": "new index\n",
}


def _state(project: Project) -> dict[str, str]:
    return {
        p.relative_to(project.root).as_posix(): p.read_text()
        for folder in (project.processed, project.reports)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_commit_puts_everything_in_place_and_the_stage_is_removed(project):
    with staging.staged_run(project, "x", "2016-06") as stage:
        stage.commit(_stage_new(stage))
    assert _state(project) == NEW
    assert not (staging.workdir(project) / "staging").exists()


def test_a_run_that_fails_before_its_commit_changes_nothing(project):
    before = _state(project)
    with pytest.raises(RuntimeError), staging.staged_run(project, "x", "2016-06") as stage:
        _stage_new(stage)
        raise RuntimeError("the render failed")
    assert _state(project) == before
    assert not (staging.workdir(project) / "staging").exists()


def test_a_signal_during_the_commit_is_acted_on_after_it(project):
    """An interrupt never leaves half a commit: it is acted on once every rename is done."""

    def at(step: str) -> None:
        if step == "commit:1":
            os.kill(os.getpid(), signal.SIGTERM)

    with (
        pytest.raises(Interrupted),
        stop_on_signals(),
        staging.staged_run(project, "x", "2016-06") as stage,
    ):
        stage.commit(_stage_new(stage), checkpoint=at)
    assert _state(project) == NEW


KILLED_MID_COMMIT = """
import os, signal
from pathlib import Path
from odreport.paths import Project
from odreport.publish import staging
from odreport.files import OdReportWarning

project = Project(Path({root!r}))


def at(step):
    if step == "commit:2":
        os.kill(os.getpid(), signal.SIGKILL)


with staging.staged_run(project, "x", "2016-06") as stage:
    moves = []
    for relative, text in {new!r}.items():
        staged = stage.dir / "new" / relative
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_text(text)
        moves.append((staged, project.root / relative))
    tables = stage.dir / "new" / "data/processed/x/2016-06"
    moves = [(tables, project.root / "data/processed/x/2016-06")] + moves[1:]
    stage.commit(moves, checkpoint=at)
"""


def test_a_commit_cut_short_by_kill_9_is_finished_by_the_next_run(project):
    script = KILLED_MID_COMMIT.format(root=str(project.root), new=NEW)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    half = _state(project)
    assert half["data/processed/x/2016-06/items.csv"] == "new table\n"
    assert half["reports/index.html"] == "old index\n"  # not there yet
    assert staging.sweep(project)  # the next run recovers it
    assert _state(project) == NEW
    assert not (staging.workdir(project) / "staging").exists()


def test_a_stage_without_a_journal_is_removed_unused(project):
    before = _state(project)
    leftover = staging.workdir(project) / "staging" / "x" / "2016-06" / "tables"
    leftover.mkdir(parents=True)
    (leftover / "items.csv").write_text("from a killed run\n")
    staging.sweep(project)
    assert _state(project) == before
    assert not leftover.exists()


def test_a_second_run_of_the_same_report_waits_or_gives_up_naming_the_lock(project):
    with staging.lock(project, "x", "2016-06") as waited:
        assert not waited
        with pytest.raises(staging.Busy) as caught, staging.lock(project, "x", "2016-06", wait=0.3):
            pass
        assert str(caught.value) == (
            "another odreport run is building x 2016-06 (it holds "
            ".odreport/locks/x--2016-06.lock); try again when it has finished"
        )
        with staging.lock(project, "x", "2016-07", wait=0):  # another period: no wait
            pass
    held = staging.lock(project, "x", "2016-06")
    held.__enter__()
    threading.Timer(1.5, lambda: held.__exit__(None, None, None)).start()
    start = time.monotonic()
    with (
        pytest.warns(OdReportWarning, match="another odreport run is building x 2016-06 .*; wait"),
        staging.lock(project, "x", "2016-06", wait=10) as waited,
    ):
        assert waited and time.monotonic() - start >= 1.4


def test_a_lock_is_released_when_its_process_dies(project):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import time
                from pathlib import Path
                from odreport.paths import Project
                from odreport.publish import staging
                with staging.lock(Project(Path({str(project.root)!r})), "x", "2016-06"):
                    print("held", flush=True)
                    time.sleep(60)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(staging.Busy), staging.lock(project, "x", "2016-06", wait=0.2):
            pass
    finally:
        holder.kill()
        holder.wait()
    with staging.lock(project, "x", "2016-06", wait=5):
        pass


def test_leftovers_of_earlier_versions_are_cleared_or_put_back(project):
    org_reports, org_tables = project.reports / "x", project.processed / "x"
    (org_reports / ".render-abc123").mkdir()
    (org_reports / ".render-abc123" / "report.html").write_text("half a render\n")
    (org_reports / ".failed-2016-06.ipynb").write_text("{}\n")
    (org_tables / ".2016-06-k2j3h4").mkdir()  # a temporary folder of a killed write
    # a run killed between the two renames of a swap: the folder is only in its -old name
    os.replace(org_tables / "2016-06", org_tables / ".2016-06-old")
    stale = project.reports / "x" / "2016-06" / ".odreport-tmp-figures.json-xyz"
    stale.write_text("{")
    fresh = project.reports / ".odreport-tmp-index.html-abc"  # being written right now
    fresh.write_text("<")
    old = time.time() - staging.TEMP_AGE_S - 10
    os.utime(stale, (old, old))
    staging.sweep(project)
    assert tree(org_reports) == {"2016-06/report.html": tree(org_reports)["2016-06/report.html"]}
    assert sorted(p.name for p in org_tables.iterdir()) == ["2016-06"]
    assert (org_tables / "2016-06" / "items.csv").read_text() == "old table\n"
    assert (staging.debug_dir(project) / "x-2016-06.ipynb").read_text() == "{}\n"
    assert fresh.exists()
