"""Many reports at once (odreport.publish.batch): the exit-code roll-up, the worker pool, and end
to end `make scheduled` and `make reports` over small projects of template organisations.

The end-to-end tests drive the Makefile targets users and the scheduler call, pointed at a
temporary project with ``ODREPORT_ROOT``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from odreport.checks.validate import validate_inputs
from odreport.errors import UsageError
from odreport.inputs.tables import read_inputs
from odreport.publish import batch, pipeline
from odreport.publish.scaffold import new_org
from support import REPO, make_project, tree


@pytest.mark.parametrize(
    ("codes", "expected"),
    [([], 0), ([3], 3), ([3, 3], 3), ([3, 1], 1), ([2], 1), ([1, 2, 3], 1)],
)
def test_the_exit_code_of_many_runs(codes, expected):
    """0 when nothing failed, 3 when every failure was invalid data, else 1 (batch and
    scheduled runs share this rule)."""
    assert batch.rolled_up(codes) == expected


def test_workers_report_every_job_in_order_and_one_failure_stops_no_other(tmp_path):
    """Worker processes build the jobs (here, organisations that do not exist: each fails at
    once, before any kernel starts); the outcomes come back in job order."""
    project = make_project(tmp_path)
    jobs = [batch.Job(f"nowhere-{i}") for i in range(5)]
    outcomes = batch.run_jobs(project, jobs, workers=2, progress=False)
    assert [o.job for o in outcomes] == jobs
    assert {o.status for o in outcomes} == {batch.FAILED}
    assert all(o.exit_code == 2 for o in outcomes)
    assert outcomes[3].message.startswith("unknown organisation 'nowhere-3'")
    assert batch.exit_code(outcomes) == 1
    with pytest.raises(UsageError):
        batch.run_jobs(project, jobs, workers=0)


def _cache_entries(project) -> list:
    """The validation cache's entries."""
    return sorted((project.root / ".odreport" / "cache" / "validation").glob("*.json"))


def _validated(project, org: str) -> list:
    inputs = read_inputs(project.raw_dir(org), project.expectations)
    return validate_inputs(inputs, project.expectations)


def test_the_validator_records_each_organisations_problems_in_the_cache(tmp_path):
    """Validated ahead of the workers, in the batch's own process: each organisation once, its
    problems (critical ones too) recorded as its build would record them; one that cannot be
    validated (no such folder) is left to its build, and waiting for it does not hang."""
    project = make_project(tmp_path)
    for org in ("alpha", "beta"):
        new_org(project, org)
    _break(project, "beta")
    validator = batch.Validator(project, ["alpha", "beta", "alpha", "nowhere"]).start()
    for org in ("beta", "nowhere", "alpha", "not-given"):
        validator.wait(org)
    validator.stop()
    for org in ("alpha", "beta"):
        key = pipeline.validation_key(project, org)
        assert pipeline.cached_problems(project, org, key) == _validated(project, org)
    beta = pipeline.cached_problems(project, "beta", pipeline.validation_key(project, "beta"))
    assert any(p.is_critical and "Gren" in p.message for p in beta)
    assert sorted(p.name.split("--")[0] for p in _cache_entries(project)) == ["alpha", "beta"]


def test_a_stopped_validator_records_nothing_more(tmp_path):
    project = make_project(tmp_path)
    new_org(project, "alpha")
    validator = batch.Validator(project, ["alpha"])
    validator.stop()
    validator.start().wait("alpha")
    key = pipeline.validation_key(project, "alpha")
    assert pipeline.cached_problems(project, "alpha", key) is None


def test_validating_ahead_records_once_and_only_when_allowed(tmp_path):
    """validate_ahead: the cache holds what validate_inputs finds; a second call finds it there
    and validates nothing; a result it may not record (a batch stopping) is not recorded."""
    import contextlib

    project = make_project(tmp_path)
    new_org(project, "alpha")

    @contextlib.contextmanager
    def refused():
        yield False

    assert pipeline.validate_ahead(project, "alpha", refused) is True
    key = pipeline.validation_key(project, "alpha")
    assert pipeline.cached_problems(project, "alpha", key) is None
    assert pipeline.validate_ahead(project, "alpha") is True
    assert pipeline.cached_problems(project, "alpha", key) == _validated(project, "alpha")
    assert pipeline.validate_ahead(project, "alpha") is False


# The template calendar: 2025-10-09 (papers 2025-10-02), 2026-01-15 (lead 7 days: papers
# 2026-01-08), 2026-04-09 (papers 2026-04-02). Its progress covers 2025-09 and 2025-12.
TODAY = "2025-12-30"  # the January papers are due in 9 days


def _make(project, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"ODREPORT_ROOT": str(project.root)}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _break(project, org: str) -> None:
    progress = project.raw_dir(org) / "progress.csv"
    text = progress.read_text(encoding="utf-8")
    progress.write_text(text.replace(",Amber,", ",Gren,", 1), encoding="utf-8")


def _lines(result) -> dict[str, str]:
    return {
        line.split(":", 1)[0]: line.split(":", 1)[1].strip()
        for line in result.stdout.splitlines()
        if ":" in line
    }


@pytest.fixture
def calendar_project(tmp_path):
    project = make_project(tmp_path)
    for org in ("alpha", "beta", "gamma", "delta", "epsilon"):
        new_org(project, org)
    meetings = project.raw_dir("gamma") / "meetings.csv"  # next papers due 2026-04-02
    meetings.write_text(
        "".join(
            line
            for line in meetings.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("2026-01-15")
        ),
        encoding="utf-8",
    )
    _break(project, "delta")  # due, but its data are invalid
    (project.raw_dir("epsilon") / "meetings.csv").unlink()  # no calendar
    return project


@pytest.mark.e2e
def test_make_scheduled_renders_what_is_due_once_and_reports_failures(calendar_project):
    project = calendar_project
    first = _make(project, "scheduled", f"TODAY={TODAY}")
    assert first.returncode != 0, first.stdout + first.stderr  # delta failed
    lines = _lines(first)
    for org in ("alpha", "beta"):
        assert lines[org].startswith("rendered reports/" + org + "/2025-12/report.html for ")
        assert "Governing Body on 2026-01-15 (papers due 2026-01-08)" in lines[org]
        html = (project.report_dir(org, "2025-12") / "report.html").read_text(encoding="utf-8")
        assert "Governing Body meeting on 15 January 2026 (papers due 8 January 2026)" in html
    assert lines["gamma"] == "not due (next: Governing Body on 2026-04-09 (papers due 2026-04-02))"
    assert lines["delta"].startswith("failed: input data failed validation (1 problem): ")
    assert "progress.csv" in lines["delta"] and "'Gren'" in lines["delta"]
    assert lines["epsilon"] == "not due (no meeting calendar (meetings.csv))"
    assert f"{TODAY}: 5 organisations, 3 due, 2 rendered, 1 failed" in first.stdout
    assert not project.report_dir("delta", "2025-12").exists()

    before = {
        org: (project.report_dir(org, "2025-12") / "report.html").stat().st_mtime_ns
        for org in ("alpha", "beta")
    }
    again = _make(project, "scheduled", f"TODAY={TODAY}")
    assert again.returncode != 0
    lines = _lines(again)
    assert lines["alpha"].startswith("up to date reports/alpha/2025-12/report.html for ")
    assert lines["beta"].startswith("up to date ")
    assert "0 rendered, 1 failed" in again.stdout and "nothing new to render" in again.stdout
    for org, mtime in before.items():
        report = project.report_dir(org, "2025-12") / "report.html"
        assert report.stat().st_mtime_ns == mtime  # not written again

    quiet = _make(project, "scheduled", "TODAY=2025-11-01")  # no papers due in November
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "0 due, 0 rendered, 0 failed" in quiet.stdout


@pytest.mark.e2e
def test_make_reports_rebuilds_only_what_changed(tmp_path):
    project = make_project(tmp_path)
    for org in ("alpha", "beta", "gamma"):
        new_org(project, org)
    _break(project, "gamma")

    first = _make(project, "reports", "WORKERS=2")
    assert first.returncode != 0  # gamma failed; the others were still built
    assert "alpha: rendered reports/alpha/2025-12/report.html" in first.stdout
    assert "beta: rendered reports/beta/2025-12/report.html" in first.stdout
    assert "gamma: failed: input data failed validation" in first.stderr
    assert "3 reports: 2 rendered, 0 up to date, 1 failed" in first.stdout
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "alpha/2025-12/report.html" in index and "beta/2025-12/report.html" in index

    (project.raw_dir("gamma") / "progress.csv").write_text(
        (project.raw_dir("alpha") / "progress.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    second = _make(project, "reports", "WORKERS=2")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "3 reports: 1 rendered, 2 up to date, 0 failed" in second.stdout
    assert "gamma: rendered" in second.stdout

    os.utime(project.raw_dir("beta") / "themes.csv")  # touched: same content
    progress = project.raw_dir("alpha") / "progress.csv"
    progress.write_text(
        progress.read_text(encoding="utf-8").replace(
            "Provider shortlist agreed", "Shortlist agreed"
        ),
        encoding="utf-8",
    )
    third = _make(project, "reports", "WORKERS=2")
    assert third.returncode == 0, third.stdout + third.stderr
    assert "3 reports: 1 rendered, 2 up to date, 0 failed" in third.stdout
    assert "alpha: rendered" in third.stdout and "beta: up to date" in third.stdout

    forced = _make(project, "report", "ORG=beta", "FORCE=1")
    assert forced.returncode == 0
    unchanged = _make(project, "reports", "WORKERS=2")
    assert "3 reports: 0 rendered, 3 up to date, 0 failed" in unchanged.stdout


@pytest.mark.e2e
def test_reports_up_to_date_are_found_so_by_the_batch_itself_with_their_warnings(tmp_path):
    """The batch decides which reports are up to date before starting any worker, with the
    outcome a worker's build would give: the report, and the warnings met on the way (here a
    damaged manifest in another folder of the organisation, ignored)."""
    project = make_project(tmp_path)
    for org in ("alpha", "beta"):
        new_org(project, org)
    jobs = [batch.Job("alpha"), batch.Job("beta")]
    first = batch.run_jobs(project, jobs, workers=2, progress=False)
    assert [o.status for o in first] == [batch.RENDERED, batch.RENDERED]
    stray = project.reports / "beta" / "2000-01"
    stray.mkdir()
    (stray / "manifest.json").write_text("{", encoding="utf-8")
    again = batch.run_jobs(project, jobs, workers=2, progress=False)
    assert [o.status for o in again] == [batch.UP_TO_DATE, batch.UP_TO_DATE]
    assert [o.report for o in again] == [o.report for o in first]
    assert again[0].warnings == ()
    assert len(again[1].warnings) == 1
    assert again[1].warnings[0].startswith("reports/beta/2000-01/manifest.json: damaged manifest")


@pytest.mark.e2e
def test_a_batch_stopped_with_sigterm_stops_its_workers_and_changes_nothing(tmp_path):
    project = make_project(tmp_path)
    for org in ("alpha", "beta", "gamma"):
        new_org(project, org)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from odreport.cli import entry; entry()",
            "--root",
            str(project.root),
            "reports",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    # stopped while the workers build their first reports: once a build has its staging folder
    # (a fixed wait would race with a batch that renders its first reports sooner)
    staging = project.root / ".odreport" / "staging"
    deadline = time.monotonic() + 120
    while not any(staging.glob("*/*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, "the batch ended before any build was under way"
    child.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143, err
    assert time.monotonic() - sent < 8
    assert tree(project.reports) == {} and tree(project.processed) == {}
    assert not (project.root / ".odreport" / "staging").exists()
    # no worker of its process group left (exited ones may await reaping; one whose exit is
    # under way, such as multiprocessing's resource tracker seeing the batch gone, is given a
    # moment)
    deadline = time.monotonic() + 2
    while True:
        group = subprocess.run(
            ["ps", "-o", "stat=,args=", "-g", str(child.pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        running = [line for line in group.stdout.splitlines() if not line.strip().startswith("Z")]
        if not running or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert running == []
