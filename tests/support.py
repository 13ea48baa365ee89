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


def to_workbook(project: Project, org: str = "example") -> Path:
    """Replace an organisation's CSV files by one workbook, plan.xlsx, a sheet per table."""
    import openpyxl
    import pandas as pd

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


__all__ = ["ORGS", "REPO", "TEMPLATE", "make_project", "to_workbook"]
