"""Start a new organisation: copy the template inputs into ``data/raw/<org>/``."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from odreport.errors import UsageError
from odreport.paths import ORG_ID_RE, Project

TEMPLATE = Path(__file__).parent / "templates" / "new_org"


def new_org(project: Project, org: str) -> Path:
    """Create ``data/raw/<org>/`` from the template's example rows; never overwrite."""
    if not ORG_ID_RE.match(org or ""):
        raise UsageError(
            f"organisation id must be lower-case letters, digits and '-' (found {org!r})"
        )
    target = project.raw_dir(org)
    if target.exists():
        raise UsageError(f"{target.relative_to(project.root)} already exists; not overwritten")
    target.mkdir(parents=True)
    for src in sorted(TEMPLATE.glob("*.csv")):
        if src.name == "organisation.csv":
            rows = list(csv.DictReader(io.StringIO(src.read_text(encoding="utf-8"))))
            for row in rows:
                row["org_id"] = org
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            (target / src.name).write_text(buf.getvalue(), encoding="utf-8")
        else:
            shutil.copyfile(src, target / src.name)
    return target
