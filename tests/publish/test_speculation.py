"""Rendering while validating (odreport.publish.speculation): kept only when validation agrees;
otherwise, or when stopped, what it wrote is removed. Here the work is a stand-in (no kernel);
tests/publish/test_builder.py has it render real reports."""

from __future__ import annotations

import threading

import pytest

from odreport.inputs.problems import Problem
from odreport.inputs.tables import Inputs
from odreport.publish.session import Session
from odreport.publish.speculation import (
    DROPPED,
    KEPT,
    MAX_INPUT_BYTES,
    OTHER_WARNINGS,
    Speculation,
    worth_it,
)


class Work:
    """Stand-in work: writes a file, waits until released (or cancelled), returns a value."""

    def __init__(self, folder, fails: bool = False) -> None:
        self.file = folder / "rendered-ahead.html"
        self.release = threading.Event()
        self.fails = fails

    def __call__(self, cancel: threading.Event) -> str:
        self.file.write_text("report")
        while not self.release.wait(0.01):
            if cancel.is_set():
                raise RuntimeError("cancelled")
        if self.fails:
            raise RuntimeError("kernel lost")
        return "made"

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)


def _start(work: Work) -> Speculation:
    return Speculation(Session(), work, work.discard, name="x 2016-06").start()


def test_work_that_validation_agrees_with_is_kept(tmp_path):
    work = Work(tmp_path)
    ahead = _start(work)
    work.release.set()
    assert ahead.take(agrees=True) == "made"
    assert ahead.outcome == KEPT and work.file.exists()


def test_work_on_other_warnings_is_dropped_and_removed(tmp_path):
    work = Work(tmp_path)
    ahead = _start(work)
    work.release.set()
    assert ahead.take(agrees=False) is None
    assert ahead.outcome == f"{DROPPED}: {OTHER_WARNINGS}"
    assert not work.file.exists()


def test_work_that_failed_is_dropped_saying_why(tmp_path):
    work = Work(tmp_path, fails=True)
    ahead = _start(work)
    work.release.set()
    assert ahead.take(agrees=True) is None
    assert ahead.outcome == f"{DROPPED}: it failed (RuntimeError: kernel lost)"
    assert not work.file.exists()


def test_work_stopped_for_invalid_inputs_ends_at_once(tmp_path):
    work = Work(tmp_path)  # never released: it would run for ever
    ahead = _start(work)
    ahead.abandon(stop=True)
    assert ahead.done.is_set()
    assert ahead.outcome == f"{DROPPED}: stopped" and not work.file.exists()


def test_only_readable_inputs_up_to_the_size_limit_are_rendered_ahead(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * 10)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (MAX_INPUT_BYTES + 1))
    read = Inputs(org="x", tables={}, files={}, problems=[])
    assert worth_it([small], read)
    assert not worth_it([small, big], read)
    broken = Inputs(
        org="x", tables={}, files={}, problems=[Problem("a.csv", 0, "", "unreadable", "critical")]
    )
    assert not worth_it([small], broken)


@pytest.mark.e2e
def test_validation_in_a_process_of_its_own_finds_what_it_finds_here(tmp_path):
    """A fresh ``make report`` validates in a child process while it renders: the child finds
    the same warnings, and the same problems in invalid inputs, as validation in-process."""
    from odreport.checks.validate import validate_inputs
    from odreport.errors import DataValidationError
    from odreport.inputs.tables import read_inputs
    from odreport.publish.pipeline import check_inputs
    from odreport.publish.speculation import validate_in_child
    from support import REPO, make_project

    project = make_project(tmp_path / "a", {"rotherham": REPO / "data" / "raw" / "rotherham"})
    inputs = read_inputs(project.raw_dir("rotherham"), project.expectations)
    here = validate_inputs(inputs, project.expectations)
    assert validate_in_child(inputs, project.expectations) == here
    assert len([p for p in here if not p.is_critical]) == 1

    bad = make_project(tmp_path / "b", {"dorset": REPO / "data" / "raw" / "dorset"})
    actions = bad.raw_dir("dorset") / "actions.csv"
    actions.write_text(
        actions.read_text(encoding="utf-8").replace(",1,", ",99,", 1), encoding="utf-8"
    )
    inputs = read_inputs(bad.raw_dir("dorset"), bad.expectations)
    found = []
    for apart in (False, True):
        with pytest.raises(DataValidationError) as caught:
            check_inputs(bad, inputs, apart=apart)
        found.append(caught.value.problems)
    assert found[0] == found[1] and any("theme_ref" in line for line in found[0])
