"""Synthetic organisations for benchmarks: deterministic, valid, and labelled synthetic."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from odreport.demo.synthetic import FILES, synthetic_source, write_synthetic_org
from odreport.errors import DataValidationError
from odreport.metrics import derive
from odreport.paths import Project
from odreport.publish.pipeline import load_and_validate
from support import TEMPLATE, make_project

SEED = 7
SMALL = {"themes": 3, "actions": 5, "periods": 3, "start": "2025-11"}  # crosses a year end


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One project holding a default-sized synthetic organisation and a small one."""
    project = make_project(tmp_path_factory.mktemp("synthetic"))
    write_synthetic_org(project, "synthetic-default", SEED)
    write_synthetic_org(project, "synthetic-small", SEED, **SMALL)
    return project


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())  # narrative/ too
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_writes_the_five_files(project: Project) -> None:
    folder = project.raw_dir("synthetic-small")
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    folder = write_synthetic_org(project, "bench", SEED, **SMALL)
    first = _snapshot(folder)
    assert write_synthetic_org(project, "bench", SEED, **SMALL) == folder
    assert _snapshot(folder) == first
    write_synthetic_org(project, "bench", SEED + 1, **SMALL)
    other = _snapshot(folder)
    assert other.keys() == first.keys()
    relabelled = {
        name: data.replace(f"seed {SEED + 1}".encode(), f"seed {SEED}".encode())
        for name, data in other.items()
    }
    # Not only the label differs: the invented plan and its progress do too.
    for name in ("organisation.csv", "themes.csv", "actions.csv", "progress.csv"):
        assert relabelled[name] != first[name], name


@pytest.mark.parametrize(
    ("org", "themes", "actions", "periods"),
    [
        ("synthetic-default", 6, 40, ["2024-04", "2024-05", "2024-06", "2024-07",
                                      "2024-08", "2024-09", "2024-10", "2024-11"]),
        ("synthetic-small", 3, 5, ["2025-11", "2025-12", "2026-01"]),
    ],
)  # fmt: skip
def test_passes_validation_with_the_requested_size(
    project: Project, org: str, themes: int, actions: int, periods: list[str]
) -> None:
    try:
        checked = load_and_validate(project, org)
    except DataValidationError as exc:  # pragma: no cover - shows every problem on failure
        pytest.fail("\n".join(exc.problems))
    assert checked.warnings == []
    inputs = checked.inputs
    assert len(inputs.tables["themes"]) == themes
    assert len(inputs.tables["actions"]) == actions
    assert set(inputs.tables["actions"]["theme_ref"]) == set(inputs.tables["themes"]["theme_ref"])
    assert derive.periods(inputs) == periods
    assert len(inputs.tables["progress"]) == actions * len(periods)
    assert len(inputs.tables["meetings"]) == len(periods)
    org_row = derive.organisation(inputs)
    assert org_row["org_id"] == org
    assert org_row["reporting_cadence"] == "monthly"
    assert org_row["plan_start"] <= f"{periods[0]}-01"
    assert org_row["plan_end"] >= derive.period_end(periods[-1]).isoformat()


@pytest.mark.parametrize("org", ["synthetic-default", "synthetic-small"])
def test_every_row_is_labelled_synthetic(project: Project, org: str) -> None:
    for name in FILES:
        rows = _rows(project.raw_dir(org) / name)
        assert rows, name
        for row in rows:
            assert row["source"] == synthetic_source(SEED), (name, row)
            assert row["source"].startswith("Synthetic"), (name, row)
            if "illustrative" in row:
                assert row["illustrative"] == "yes", (name, row)


def test_meetings_follow_each_period(project: Project) -> None:
    rows = _rows(project.raw_dir("synthetic-small") / "meetings.csv")
    assert list(rows[0]) == ["date", "body", "papers_due", "lead_days", "source"]
    assert [r["date"] for r in rows] == ["2025-12-10", "2026-01-14", "2026-02-11"]
    for row in rows:
        meeting = date.fromisoformat(row["date"])
        assert meeting.weekday() == 2 and 8 <= meeting.day <= 14  # the second Wednesday
        assert row["body"] == "Governing Body"
        assert date.fromisoformat(row["papers_due"]) == meeting - timedelta(days=7)
        assert row["lead_days"] == ""


def test_refuses_to_overwrite_a_real_organisation(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"example": TEMPLATE})
    before = _snapshot(project.raw_dir("example"))
    with pytest.raises(FileExistsError):
        write_synthetic_org(project, "example", SEED)
    assert _snapshot(project.raw_dir("example")) == before


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    project = Project(tmp_path)
    with pytest.raises(ValueError, match="org"):
        write_synthetic_org(project, "Not An Id", SEED)
    with pytest.raises(ValueError, match="YYYY-MM"):
        write_synthetic_org(project, "bench", SEED, start="2024-13")
    with pytest.raises(ValueError, match="actions"):
        write_synthetic_org(project, "bench", SEED, actions=0)
    assert not (tmp_path / "data").exists()
