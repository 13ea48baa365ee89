"""What several test modules share: the repository's paths and small projects built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

from odreport.paths import Project
from odreport.publish.scaffold import TEMPLATE

REPO = Path(__file__).resolve().parents[1]
ORGS = ["dorset", "rotherham", "darlington", "nottingham", "south-staffordshire"]


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

__all__ = ["ORGS", "REPO", "TEMPLATE", "make_project"]
