"""The data-quality gate on a corpus of broken inputs (tests/checks/corpus/<case>/).

Each case overlays a few files on the new-organisation template (``DELETE`` lists template
files to remove; ``LINK_OUTSIDE`` lists files moved out of the organisation's folder and
linked back from it). ``case.txt`` gives the exit code and, optionally, the expectation that
catches it (``rule: <suite file> <expectation type> [kwarg=value ...]``); ``expected.txt``
holds the exact lines the analyst must see. A case that exits 3 must also leave the previous
report byte for byte as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from odreport.cli import main
from support import TEMPLATE, make_project

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _case(name: str) -> dict:
    meta = dict(
        line.split(": ", 1) for line in (CORPUS / name / "case.txt").read_text().splitlines()
    )
    expected = (CORPUS / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    return {"exit": int(meta["exit"]), "rule": meta.get("rule"), "expected": expected}


def _project(tmp_path: Path, name: str):
    project = make_project(tmp_path, {"example": TEMPLATE})
    raw = project.raw_dir("example")
    for src in (CORPUS / name).iterdir():
        if src.name in ("case.txt", "expected.txt"):
            continue
        if src.name == "DELETE":
            for victim in src.read_text().split():
                (raw / victim).unlink()
        elif src.name == "LINK_OUTSIDE":
            outside = tmp_path / "elsewhere"
            outside.mkdir()
            for linked in src.read_text().split():
                (raw / linked).rename(outside / linked)
                (raw / linked).symlink_to(outside / linked)
        else:
            shutil.copyfile(src, raw / src.name)
    return project


def _messages(project, capsys, code: int) -> list[str]:
    err = capsys.readouterr()
    if code == 3:
        lines = err.err.strip().splitlines()
        assert lines[-1].startswith("error: input data failed validation")
        return lines[:-1]
    return [line.removeprefix("warning: ") for line in err.out.strip().splitlines()[:-1]]


def run_case(
    project, capsys, expected_exit: int, command: str = "validate"
) -> tuple[int, list[str]]:
    """``validate`` (the check ``report`` makes before anything is written, without starting a
    kernel), or ``command``."""
    code = main(["--root", str(project.root), command, "--org", "example"])
    return code, _messages(project, capsys, code)


def test_corpus_has_at_least_30_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_broken_input_gives_exact_message(name, tmp_path, capsys):
    case = _case(name)
    project = _project(tmp_path, name)
    previous = project.report_dir("example", "2025-12")
    previous.mkdir(parents=True)
    (previous / "report.html").write_bytes(b"<p>last good report</p>")
    code, lines = run_case(project, capsys, case["exit"])
    assert code == case["exit"]
    assert lines == case["expected"]
    assert (previous / "report.html").read_bytes() == b"<p>last good report</p>"
    if code == 3:
        assert not any(project.processed.rglob("*.*"))
    assert "Traceback" not in "\n".join(lines)


@pytest.mark.e2e
@pytest.mark.parametrize("name", [c for c in CASES if _case(c)["exit"] == 3][:3])
def test_report_on_a_failing_case_stops_before_writing(name, tmp_path, capsys):
    """``report`` gives the lines ``validate`` gives and leaves the previous report (a sample
    of the failing cases: each starts a kernel)."""
    case = _case(name)
    project = _project(tmp_path, name)
    previous = project.report_dir("example", "2025-12")
    previous.mkdir(parents=True)
    (previous / "report.html").write_bytes(b"<p>last good report</p>")
    code, lines = run_case(project, capsys, 3, command="report")
    assert (code, lines) == (3, case["expected"])
    assert (previous / "report.html").read_bytes() == b"<p>last good report</p>"
    assert not any(project.processed.rglob("*.*"))


def _drop_rule(project, rule: str) -> int:
    suite_file, kind, *cond = rule.split(" ", 2)  # at most one condition: key=value
    path = project.expectations / suite_file
    suite = json.loads(path.read_text(encoding="utf-8"))
    want = dict(c.split("=", 1) for c in cond)
    keep = [
        e
        for e in suite["expectations"]
        if not (e["type"] == kind and all(str(e["kwargs"].get(k)) == v for k, v in want.items()))
    ]
    removed = len(suite["expectations"]) - len(keep)
    suite["expectations"] = keep
    path.write_text(json.dumps(suite), encoding="utf-8")
    return removed


@pytest.mark.parametrize(
    "name", [c for c in CASES if "rule: " in (CORPUS / c / "case.txt").read_text()]
)
def test_removing_the_rule_from_the_suite_lets_the_bad_input_through(name, tmp_path, capsys):
    case = _case(name)
    project = _project(tmp_path, name)
    assert _drop_rule(project, case["rule"]) >= 1
    _, lines = run_case(project, capsys, 0)
    table = case["rule"].split(".json")[0]
    caught = [line for line in case["expected"] if line.startswith(f"data/raw/example/{table}.csv")]
    assert caught, "the case's expected lines name the table whose suite has the rule"
    for line in caught:
        assert line not in lines


@pytest.mark.e2e
def test_100_mb_file_is_read_and_its_last_row_checked(tmp_path, capsys):
    """A 100 MB actions.csv (generated here, not committed) with one bad row at the end."""
    project = make_project(tmp_path, {"example": TEMPLATE})
    path = project.raw_dir("example") / "actions.csv"
    pad = "x" * 120
    size, n = path.stat().st_size, 0
    with path.open("a", encoding="utf-8") as fh:
        while size < 100 * 1024 * 1024:
            row = f"B{n},LD,,Bulk action {n} {pad},,,,,,September 2025,,,,generated\n"
            fh.write(row)
            size += len(row)
            n += 1
        fh.write(f"B{n},ZZ,,Last,,,,,,September 2025,,,,generated\n")
    assert path.stat().st_size >= 100 * 1024 * 1024
    code, lines = run_case(project, capsys, 3)
    assert code == 3
    last_row = n + 6  # header, four template rows, n bulk rows, then the bad one
    assert lines == [
        f"data/raw/example/actions.csv:{last_row}:theme_ref: refers to something that does not "
        "exist (found 'ZZ', expected one of EN, LD)"
    ]


KILLED_AFTER_VALIDATING = """
import multiprocessing, os, signal, sys
from pathlib import Path
multiprocessing.set_start_method("spawn")  # as in the validation process: semaphores named
from odreport.checks.validate import validate_inputs
from odreport.inputs.tables import read_inputs
raw, expectations = Path(sys.argv[1]), Path(sys.argv[2])
print(len(validate_inputs(read_inputs(raw, expectations), expectations)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # stopped as a validation process is on Ctrl-C
"""


def test_a_validation_process_killed_leaves_no_semaphore_to_warn_about(tmp_path):
    """GX draws a (disabled) tqdm bar per validation graph, and tqdm's default lock is a
    multiprocessing semaphore: a validation process stopped by a signal left it to Python's
    resource tracker, which warned after odreport's last line ("error: stopped by SIGTERM")."""
    import subprocess
    import sys

    project = make_project(tmp_path, {"example": TEMPLATE})
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_AFTER_VALIDATING,
            str(project.raw_dir("example")),
            str(project.expectations),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == "0\n", done.stderr  # validated, no problem, then killed
    assert "leaked semaphore" not in done.stderr
