"""Start a new organisation: copy the template inputs into ``data/raw/<org>/``.

The template (``templates/new_org``) holds one example row or a few of each required table
and of meetings.csv, all marked as examples (``content`` = illustrative, ``illustrative`` =
yes), an example narrative (``narrative/<period>.md``, marked illustrative) and a
``SOURCES.md`` skeleton. docs/adding-an-organisation.md is the tutorial.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from odreport.errors import UsageError
from odreport.paths import ORG_ID_RE, Project

TEMPLATE = Path(__file__).parent / "templates" / "new_org"
TUTORIAL = "docs/adding-an-organisation.md"


def new_org(project: Project, org: str) -> Path:
    """Create ``data/raw/<org>/`` from the template's example rows; never overwrite.

    ``org_id`` in organisation.csv is set to ``org`` (validation requires it to be the
    folder's name) and ``SOURCES.md`` names the organisation's folder.
    """
    if not ORG_ID_RE.match(org or ""):
        raise UsageError(
            f"organisation id must be lower-case letters, digits and '-' (found {org!r})"
        )
    target = project.raw_dir(org)
    if target.exists():
        raise UsageError(f"{target.relative_to(project.root)} already exists; not overwritten")
    target.mkdir(parents=True)
    for folder in sorted(p for p in TEMPLATE.iterdir() if p.is_dir()):
        shutil.copytree(folder, target / folder.name)  # narrative/: an example commentary
    for src in sorted(p for p in TEMPLATE.iterdir() if p.is_file()):
        if src.name == "organisation.csv":
            rows = list(csv.DictReader(io.StringIO(src.read_text(encoding="utf-8"))))
            for row in rows:
                row["org_id"] = org
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            (target / src.name).write_text(buf.getvalue(), encoding="utf-8")
        elif src.name == "SOURCES.md":
            text = src.read_text(encoding="utf-8").replace("{org}", org)
            (target / src.name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(src, target / src.name)
    return target


def next_steps(org: str) -> list[str]:
    """What to do after :func:`new_org`: the next three commands and where the documentation
    is (printed by ``make new-org``)."""
    commands = [
        (f"make validate ORG={org}", "check the inputs: one file:row:column line per problem"),
        (f"make report ORG={org}", f"render reports/{org}/<period>/report.html"),
        ("make scheduled", "render the reports due before a meeting in meetings.csv"),
    ]
    width = max(len(c) for c, _ in commands) + 2
    return [
        f"Next: replace the example rows in data/raw/{org}/ with your plan's (keep each header "
        f"row) and fill in data/raw/{org}/SOURCES.md, then run:",
        *(f"  {command.ljust(width)}# {what}" for command, what in commands),
        f"Step by step: {TUTORIAL}. Every table and column: docs/input-format.md and "
        "docs/data-dictionary.md.",
    ]
