"""Where things live in a project checkout. Every path is derived from the project root."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from odreport.errors import UnknownOrganisation

ORG_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A reporting period, YYYY-MM: the one definition (progress.csv's column, --period, folders).
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def find_root(start: Path | None = None) -> Path:
    """Return the project root: ``$ODREPORT_ROOT``, else the nearest parent holding ``data/raw``."""
    env = os.environ.get("ODREPORT_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "data" / "raw").is_dir() and (candidate / "notebooks").is_dir():
            return candidate
    return here


@dataclass(frozen=True)
class Project:
    """Paths of one project checkout."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def expectations(self) -> Path:
        return self.root / "expectations"

    def raw_dir(self, org: str) -> Path:
        return self.raw / org

    def processed_dir(self, org: str, period: str) -> Path:
        return self.processed / org / period

    def report_dir(self, org: str, period: str) -> Path:
        return self.reports / org / period

    def organisations(self) -> list[str]:
        """Organisations with a folder of inputs, sorted."""
        if not self.raw.is_dir():
            return []
        return sorted(
            p.name
            for p in self.raw.iterdir()
            if p.is_dir() and ORG_ID_RE.match(p.name) and any(p.iterdir())
        )


def unknown_organisations(project: Project, orgs: list[str]) -> None:
    """Raise :class:`UnknownOrganisation` naming the known ones if any of ``orgs`` has no inputs."""
    known = project.organisations()
    unknown = [o for o in orgs if o not in known]
    if unknown:
        raise UnknownOrganisation(
            f"unknown organisation {', '.join(map(repr, unknown))}; "
            f"known organisations: {', '.join(known) or 'none'}"
        )


def check_org(project: Project, org: str) -> None:
    """Raise :class:`UnknownOrganisation` naming the known ones if ``org`` has no inputs."""
    unknown_organisations(project, [org])
