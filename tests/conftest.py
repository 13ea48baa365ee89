"""Shared fixtures: small projects built in temporary folders from the repository's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from odreport.paths import Project
from support import ORGS, REPO, TEMPLATE, make_project


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
    from odreport.publish.pipeline import build_report

    paths = {org: build_report(project, org) for org in ORGS}
    return project, paths
