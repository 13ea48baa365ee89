"""Shared fixtures: small projects built in temporary folders from the repository's files, and
one kernel kept for every end-to-end render of the test run; and two guards every test runs
under (no kernel outside ``e2e``, no test listing the checkout's ``data/raw``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from odreport.paths import Project
from odreport.publish.builder import build_report
from odreport.publish.session import Session
from support import ORGS, RAW_LISTINGS, REPO, TEMPLATE, make_project, notice_raw_listing


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
def kept() -> Session:
    """A session keeping one kernel for every end-to-end render of the run (as a batch worker
    does): kernel start-up and imports are paid once. A test that needs other settings makes a
    session of its own sharing these kernels: ``Session(..., kernels=kept.kernels)``."""
    with Session(keep_kernels=True) as session:
        yield session


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, kept):
    """One project with all five organisations, each report rendered once. Read it only: a
    test that changes it works on a copy (``support.copy_project``)."""
    root = tmp_path_factory.mktemp("project")
    project = make_project(root, {org: REPO / "data" / "raw" / org for org in ORGS})
    paths = {org: build_report(project, org, session=kept) for org in ORGS}
    return project, paths


@pytest.fixture(autouse=True)
def no_kernel_outside_e2e(request, monkeypatch):
    """A test not marked ``e2e`` must start no kernel (``make test-fast`` runs none)."""
    if request.node.get_closest_marker("e2e"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError("a test not marked e2e started a kernel")

    from jupyter_client.manager import AsyncKernelManager, KernelManager

    monkeypatch.setattr(KernelManager, "start_kernel", refuse)
    monkeypatch.setattr(AsyncKernelManager, "start_kernel", refuse)


sys.addaudithook(notice_raw_listing)


@pytest.fixture(autouse=True)
def no_test_lists_data_raw():
    """No test reads ``data/raw`` generically: an analyst's own organisation (``make new-org``)
    must not change what any test sees. Tests name the five demonstration organisations."""
    RAW_LISTINGS.clear()
    yield
    assert not RAW_LISTINGS, f"data/raw of the checkout listed at {RAW_LISTINGS}: name the orgs"
