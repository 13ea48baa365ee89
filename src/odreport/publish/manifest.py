"""Incremental builds: a report is rebuilt only when something it is made from has changed.

A build's *fingerprint* is a SHA-256 over the request (organisation, period as asked, survey
settings, meeting), the content of every file in the organisation's ``data/raw/<org>/``, the
report notebook(s), the expectation suites, the package's own code and templates, and the
versions of the libraries that shape the report. File contents are hashed, never file times,
so touching a file without changing it rebuilds nothing, and a checkout on another machine
gets the same fingerprints.

Each report folder keeps a ``manifest.json``: for every request built into it, the fingerprint
and the SHA-256 of the files written. A request is up to date when a manifest holds its
fingerprint and every recorded output is still there, unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from odreport.paths import Project
from odreport.publish.files import write_atomic
from odreport.publish.provenance import library_versions, sha256

MANIFEST = "manifest.json"
PACKAGE = Path(__file__).resolve().parents[1]  # src/odreport


def request_key(request: dict) -> str:
    """The canonical text of a request (its parameters as asked, before defaults resolve)."""
    return json.dumps(request, sort_keys=True, ensure_ascii=False)


def _files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    found = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return sorted(p for p in found if "__pycache__" not in p.parts)


def code_files(project: Project) -> list[Path]:
    """The files other than inputs that shape a report: notebooks, suites, package code."""
    return (
        _files(project.notebooks, ("*.ipynb",))
        + _files(project.expectations, ("*.json",))
        + _files(PACKAGE, ("**/*.py", "**/templates/**/*"))
    )


def fingerprint(project: Project, org: str, request: dict) -> str:
    """The fingerprint of building ``request`` for ``org`` from the files as they are now."""
    digest = hashlib.sha256()

    def feed(label: str, value: str) -> None:
        digest.update(f"{label}\0{value}\n".encode())

    feed("request", request_key(request))
    raw = project.raw_dir(org)
    for path in _files(raw, ("**/*",)):
        feed(f"input:{path.relative_to(raw).as_posix()}", sha256(path))
    for path in code_files(project):
        root = PACKAGE if path.is_relative_to(PACKAGE) else project.root
        feed(f"code:{path.relative_to(root).as_posix()}", sha256(path))
    feed("versions", json.dumps(library_versions(), sort_keys=True))
    return digest.hexdigest()


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"builds": {}}
    return data if isinstance(data.get("builds"), dict) else {"builds": {}}


def up_to_date(project: Project, org: str, request: dict, fp: str) -> Path | None:
    """The report already built for ``request`` with fingerprint ``fp``, if it is intact."""
    key = request_key(request)
    for path in sorted(project.reports.glob(f"{org}/*/{MANIFEST}")):
        entry = _read(path)["builds"].get(key)
        if not entry or entry.get("fingerprint") != fp:
            continue
        outputs = entry.get("outputs", {})
        folder = path.parent
        if outputs and all(
            (folder / name).is_file() and sha256(folder / name) == digest
            for name, digest in outputs.items()
        ):
            return folder / entry["report"]
    return None


def record(report: Path, request: dict, fp: str, outputs: list[Path]) -> Path:
    """Record that ``report`` (and ``outputs`` beside it) was built for ``request``."""
    path = report.parent / MANIFEST
    data = _read(path)
    data["builds"][request_key(request)] = {
        "fingerprint": fp,
        "report": report.name,
        "outputs": {p.name: sha256(p) for p in sorted(outputs)},
    }
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return write_atomic(path, text)
