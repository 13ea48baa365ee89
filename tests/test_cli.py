"""The command line: exit codes, one-line errors, nothing written on failure, warnings, and
SIGINT/SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from odreport.cli import main
from support import copy_project
from support import tree as _tree


def run(project, *args):
    return main(["--root", str(project.root), *args])


def test_unknown_organisation_exits_2_with_one_line(example_project, capsys):
    before = _tree(example_project.reports)
    assert run(example_project, "report", "--org", "nowhere") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: unknown organisation 'nowhere'; known organisations: example"]
    assert _tree(example_project.reports) == before


def test_unknown_period_names_the_available_ones(example_project, capsys):
    assert run(example_project, "report", "--org", "example", "--period", "2030-01") == 2
    assert capsys.readouterr().err.strip() == (
        "error: no progress data for example in 2030-01; available periods: 2025-09, 2025-12"
    )


def test_malformed_period_is_a_usage_error(example_project, capsys):
    assert run(example_project, "report", "--org", "example", "--period", "March") == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_bad_option_is_a_usage_error(example_project, capsys):
    assert run(example_project, "report", "--organisation", "x") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def _gren(project) -> None:
    path = project.raw_dir("example") / "progress.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",Green,50,", ",Gren,50,"), encoding="utf-8"
    )


GREN = (
    "data/raw/example/progress.csv:2:rag: not an allowed value "
    "(found 'Gren', expected one of Blue, Green, Amber, Red, Grey)"
)


def test_validate_lists_problems_and_exits_3(example_project, capsys):
    _gren(example_project)
    assert run(example_project, "validate", "--org", "example") == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == GREN and err[-1].startswith("error: input data failed validation (1 problem)")
    assert "Traceback" not in "\n".join(err)


@pytest.mark.e2e
def test_invalid_data_exits_3_and_writes_nothing(example_project, capsys):
    _gren(example_project)
    assert run(example_project, "report", "--org", "example") == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == GREN
    assert "Traceback" not in "\n".join(err)
    assert _tree(example_project.reports) == {} and _tree(example_project.processed) == {}
    assert not (example_project.root / ".odreport" / "debug").exists()


def test_debug_shows_the_traceback(example_project, capsys):
    assert run(example_project, "--debug", "report", "--org", "nowhere") == 2
    assert "Traceback" in capsys.readouterr().err


def test_orgs_and_periods(example_project, capsys):
    assert run(example_project, "orgs") == 0
    assert capsys.readouterr().out.split() == ["example"]
    assert run(example_project, "periods", "--org", "example") == 0
    assert capsys.readouterr().out.split() == ["2025-09", "2025-12"]


def test_new_org_refuses_to_overwrite(example_project, capsys):
    assert run(example_project, "new-org", "--org", "example") == 2
    assert "already exists" in capsys.readouterr().err
    assert run(example_project, "new-org", "--org", "Bad Name") == 2


@pytest.mark.e2e
def test_new_org_then_report(example_project, capsys):
    assert run(example_project, "new-org", "--org", "sixth") == 0
    assert capsys.readouterr().out.splitlines()[0] == "data/raw/sixth"
    assert run(example_project, "report", "--org", "sixth") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "reports/sixth/2025-12/report.html"
    html = (example_project.root / out[-1]).read_text(encoding="utf-8")
    assert "Refresh the staff engagement strategy" in html
    assert "Governing Body meeting on 15 January 2026 (papers due 8 January 2026)" in html


@pytest.mark.e2e
def test_a_damaged_file_is_a_warning_line_and_the_run_goes_on(rendered, tmp_path, capsys):
    project = copy_project(rendered[0], tmp_path)
    (project.report_dir("dorset", "2016-03") / "figures.json").write_text("[]", encoding="utf-8")
    assert run(project, "report", "--org", "rotherham", "--force") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "reports/rotherham/2016-06/report.html"
    assert err.strip() == (
        "warning: reports/dorset/2016-03/figures.json: damaged figures.json (not the expected "
        "structure); ignored, and written again"
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("signum", "after"), [(signal.SIGINT, 1.5), (signal.SIGTERM, 4.0)], ids=["SIGINT", "SIGTERM"]
)
def test_a_signal_stops_a_run_within_seconds_and_changes_nothing(rendered, tmp_path, signum, after):
    """``make report`` stopped with Ctrl-C or ``kill``: it exits 130 or 143 within a few
    seconds, removing what it had staged; the last report stays as it was."""
    project = copy_project(rendered[0], tmp_path)
    progress = project.raw_dir("nottingham") / "progress.csv"
    progress.write_text(progress.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = _tree(project.reports), _tree(project.processed)
    command = [sys.executable, "-c", "from odreport.cli import entry; entry()"]
    child = subprocess.Popen(
        [*command, "--root", str(project.root), "report", "--org", "nottingham"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(after)
    child.send_signal(signum)
    sent = time.monotonic()
    _out, err = child.communicate(timeout=60)
    assert child.returncode == 128 + signum, err
    assert time.monotonic() - sent < 15  # a few seconds (generous: CI machines are shared)
    assert err.strip().splitlines()[-1] == f"error: stopped by {signal.Signals(signum).name}"
    assert (_tree(project.reports), _tree(project.processed)) == before
    assert not (project.root / ".odreport" / "staging").exists()
    mine = f"odreport-{child.pid}-"
    assert not [p for p in os.listdir(tempfile.gettempdir()) if p.startswith(mine)]
