"""What several test modules share: the repository's paths and small projects built from it."""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

from odreport.paths import Project
from odreport.publish.scaffold import TEMPLATE

REPO = Path(__file__).resolve().parents[1]
ORGS = ["dorset", "rotherham", "darlington", "nottingham", "south-staffordshire"]

_RAW = os.path.realpath(REPO / "data" / "raw")
_TESTS = os.path.realpath(REPO / "tests") + os.sep
_SOURCE = os.path.realpath(REPO / "src") + os.sep
RAW_LISTINGS: list[str] = []  # where test code listed the checkout's data/raw (file:line)


def notice_raw_listing(event: str, args: tuple) -> None:
    """Audit hook (``sys.addaudithook``; conftest installs it): note test code listing the
    checkout's ``data/raw``, itself or through the standard library (glob, shutil, pathlib),
    which is reading whatever organisations an analyst keeps there. The package listing it
    (to name the known organisations) is not noted; this module's own frames are skipped."""
    if event not in ("os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if not isinstance(path, (str, bytes, os.PathLike)) or os.path.realpath(path) != _RAW:
        return
    frame = inspect.currentframe()
    while frame is not None:
        where = os.path.realpath(frame.f_code.co_filename)
        if where.startswith(_SOURCE):
            return
        if where.startswith(_TESTS) and where != os.path.realpath(__file__):
            RAW_LISTINGS.append(f"{os.path.relpath(where, REPO)}:{frame.f_lineno}")
            return
        frame = frame.f_back


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


__all__ = [
    "ORGS",
    "RAW_LISTINGS",
    "REPO",
    "TEMPLATE",
    "copy_project",
    "make_project",
    "notice_raw_listing",
    "to_workbook",
    "tree",
]
