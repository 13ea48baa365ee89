"""Shared fixtures: small projects built in temporary folders from the repository's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from odreport.paths import Project

REPO = Path(__file__).resolve().parents[1]
ORGS = ["dorset", "rotherham", "darlington", "nottingham", "south-staffordshire"]
from odreport.build.scaffold import TEMPLATE  # noqa: E402


def make_project(tmp: Path, orgs: dict[str, Path] | None = None) -> Project:
    """A project in ``tmp`` with the repository's notebooks and suites and the given orgs."""
    for name in ("notebooks", "expectations"):
        shutil.copytree(REPO / name, tmp / name)
    (tmp / "data" / "raw").mkdir(parents=True)
    (tmp / "data" / "processed").mkdir(parents=True)
    (tmp / "reports").mkdir()
    for org, src in (orgs or {}).items():
        shutil.copytree(src, tmp / "data" / "raw" / org)
    return Project(tmp)


@pytest.fixture
def example_project(tmp_path: Path) -> Project:
    """A project holding only the new-organisation template as org ``example``."""
    project = make_project(tmp_path, {"example": TEMPLATE})
    org_csv = project.raw_dir("example") / "organisation.csv"
    assert org_csv.read_text(encoding="utf-8").count("\nexample,") == 1
    return project


@pytest.fixture
def repo_project() -> Project:
    """The repository itself (read-only use only)."""
    return Project(REPO)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """One project with all five organisations, each report rendered once."""
    root = tmp_path_factory.mktemp("project")
    project = make_project(root, {org: REPO / "data" / "raw" / org for org in ORGS})
    from odreport.build.pipeline import build_report

    paths = {org: build_report(project, org) for org in ORGS}
    return project, paths
