"""What several test modules share: the repository's paths and small projects built from it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

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


def copy_project(project: Project, tmp: Path) -> Project:
    """A copy of ``project`` (inputs, derived tables, reports and all) in ``tmp``: for a test
    that changes a project fixtures share."""
    target = tmp / "copy"
    shutil.copytree(project.root, target, symlinks=True)
    return Project(target)


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and the SHA-256 of its content."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def to_workbook(project: Project, org: str = "example") -> Path:
    """Replace ``org``'s CSV inputs by one workbook, ``plan.xlsx``, a sheet per table."""
    raw = project.raw_dir(org)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for csv_path in sorted(raw.glob("*.csv")):
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        ws = wb.create_sheet(csv_path.stem)
        ws.append(list(frame.columns))
        for rec in frame.itertuples(index=False):
            ws.append(list(rec))
        csv_path.unlink()
    wb.save(raw / "plan.xlsx")
    return raw / "plan.xlsx"


__all__ = ["ORGS", "REPO", "TEMPLATE", "copy_project", "make_project", "to_workbook", "tree"]
