"""docs/adding-an-organisation.md, followed literally in a copy of the project.

The tutorial's fenced blocks say what to do, by their info string:

- ```` ```sh run ````: each line is a `make` command, run in the copy; it must exit 0;
- ```` ```text expect ````: each line must be a line of the previous command's output;
- ```` ```<lang> file=<path> ````: the block is the whole content of that file, written there.

Blocks are done in the order of the page. The copy uses this checkout's ``.venv`` (linked, and
``make -o .venv/.installed-stamp`` so that make never reinstalls it); nothing else is shared.
The organisation the tutorial adds must render with a banner saying its content is not
transcribed, and one of its timescales must be one no demonstration organisation uses.

The tutorial's last command, ``make test-fast``, is run in the copy on a few tests
(``COPY_TESTS``), not on the whole fast suite again (minutes): that proves the documented
target runs and passes in a project holding the new organisation. That no test at all can see
the new organisation, which the whole suite run in the copy showed for the fast tests only, is
proved for every test of every run, fast and end-to-end (``make test``), by the guard they run
under: conftest fails a test whose code lists the checkout's ``data/raw`` (tested below); tests
read the five demonstration organisations by name only.
"""

from __future__ import annotations

import csv
import inspect
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import ORGS, RAW_LISTINGS, REPO

TUTORIAL = REPO / "docs" / "adding-an-organisation.md"
STAMP = ".venv/.installed-stamp"
FENCE_RE = re.compile(r"^```([^\n`]*)\n(.*?)^```$", re.M | re.S)
NOT_COPIED = {".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".lock-venv"}
# what `make test-fast` runs in the copy: the timescale tests (a new organisation's timescale
# once broke `make test`: issue 14) and this module's (the guard's test among them)
COPY_TESTS = ("tests/inputs/test_timescale.py", "tests/test_tutorial.py")


@dataclass(frozen=True)
class Step:
    """One fenced block of the tutorial that says what to do."""

    kind: str  # "run", "expect" or "file"
    text: str
    path: str = ""


def steps(markdown: str) -> list[Step]:
    """The tutorial's steps, in order; fenced blocks without an instruction are skipped."""
    out = []
    for info, body in FENCE_RE.findall(markdown):
        words = info.split()
        if words[1:2] == ["run"]:
            out.append(Step("run", body))
        elif words[1:2] == ["expect"]:
            out.append(Step("expect", body))
        elif any(w.startswith("file=") for w in words[1:]):
            path = next(w for w in words[1:] if w.startswith("file="))[len("file=") :]
            out.append(Step("file", body, path))
    return out


def test_the_tutorial_is_parsed_into_its_steps():
    """Cheap check (no e2e mark) that the page still has the blocks the e2e test follows."""
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    commands = [line for s in found if s.kind == "run" for line in s.text.splitlines()]
    assert commands == [
        "make new-org ORG=northvale",
        "make validate ORG=northvale",
        "make report ORG=northvale",
        "make scheduled TODAY=2026-01-10",
        "make test-fast",
    ]
    files = [s.path for s in found if s.kind == "file"]
    assert files == [
        f"data/raw/northvale/{name}"
        for name in (
            "organisation.csv",
            "themes.csv",
            "actions.csv",
            "progress.csv",
            "meetings.csv",
            "narrative/2025-12.md",
            "SOURCES.md",
        )
    ]


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(text.splitlines(keepends=True)))


def test_the_example_is_small_and_complete():
    """6 themes, 10 actions, 3 periods of progress for each action, a calendar, and a
    timescale none of the five demonstration organisations uses."""
    files = {
        Path(s.path).name: s.text for s in steps(TUTORIAL.read_text("utf-8")) if s.kind == "file"
    }
    themes, actions = _rows(files["themes.csv"]), _rows(files["actions.csv"])
    progress, meetings = _rows(files["progress.csv"]), _rows(files["meetings.csv"])
    assert (len(themes), len(actions)) == (6, 10)
    assert sorted({r["period"] for r in progress}) == ["2025-06", "2025-09", "2025-12"]
    assert len(progress) == 30 and len(meetings) == 4
    demonstration = set()
    for org in ORGS:
        with (REPO / "data" / "raw" / org / "actions.csv").open(encoding="utf-8") as fh:
            demonstration |= {row["timescale"] for row in csv.DictReader(fh)}
    assert {r["timescale"] for r in actions} - demonstration


def _copy_project(dest: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n in NOT_COPIED}
        here = Path(folder).resolve()
        if here in (REPO / "reports", REPO / "data" / "processed"):
            skip |= {n for n in names if not n.startswith(".gitkeep")}
        if here == REPO / "data":  # data/raw: not listed (an analyst's own stay out)
            skip.add("raw")
        return skip

    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    for org in ORGS:  # the five demonstration organisations only
        shutil.copytree(REPO / "data" / "raw" / org, dest / "data" / "raw" / org, symlinks=True)
    (dest / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    return dest


def _run(root: Path, line: str) -> subprocess.CompletedProcess:
    argv = shlex.split(line)
    assert argv[0] == "make", f"the tutorial runs make commands only: {line}"
    env = {k: v for k, v in os.environ.items() if k not in ("ODREPORT_ROOT", "PYTEST_ADDOPTS")}
    if argv[1:] == ["test-fast"]:
        env["PYTEST_ADDOPTS"] = " ".join(COPY_TESTS)
    return subprocess.run(
        ["make", "--no-print-directory", "-o", STAMP, *argv[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.mark.e2e
def test_following_the_tutorial_adds_an_organisation(tmp_path):
    assert (REPO / STAMP).exists(), "run `make venv` first"
    root = _copy_project(tmp_path / "project")
    output = None
    for step in steps(TUTORIAL.read_text(encoding="utf-8")):
        if step.kind == "file":
            path = root / step.path
            assert path.parent.is_dir(), f"{step.path}: its folder does not exist yet"
            path.write_text(step.text, encoding="utf-8")
        elif step.kind == "run":
            for line in step.text.splitlines():
                output = _run(root, line)
                assert output.returncode == 0, (
                    f"`{line}` exited {output.returncode}:\n{output.stdout}\n{output.stderr}"
                )
        else:
            assert output is not None, "an expected output before any command"
            printed = (output.stdout + output.stderr).splitlines()
            for line in step.text.splitlines():
                assert line in printed, f"`{line}` not in the output:\n{output.stdout}"
    html = (root / "reports" / "northvale" / "2025-12" / "report.html").read_text("utf-8")
    assert (
        "None of this plan is transcribed from a source document: all 6 themes and all 10 "
        "actions are illustrative (written as an example, not taken from any source)."
    ) in html
    assert "Governing Body meeting on 22 January 2026 (papers due 15 January 2026)" in html
    assert not (REPO / "data" / "raw" / "northvale").exists()  # the checkout is untouched


def test_a_test_listing_the_checkouts_data_raw_is_noticed():
    """The guard the docstring relies on: listing data/raw from test code (directly or through
    glob) is noticed, naming the line; listing another folder or a named organisation is not."""
    RAW_LISTINGS.clear()
    list((REPO / "data").iterdir())
    os.listdir(REPO / "data" / "raw" / "rotherham")
    assert RAW_LISTINGS == []
    here = f"tests/test_tutorial.py:{inspect.currentframe().f_lineno + 1}"
    found = sorted(p.name for p in (REPO / "data" / "raw").glob("*/actions.csv"))
    assert found and RAW_LISTINGS[0] == here
    RAW_LISTINGS.clear()  # noticed, and forgiven: this test is the one allowed to
