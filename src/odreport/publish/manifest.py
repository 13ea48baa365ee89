"""Incremental builds: a report is rebuilt only when something it is made from has changed.

A build's *fingerprint* is a SHA-256 over the request (organisation, period as asked, survey
settings, meeting), the content of every file in the organisation's ``data/raw/<org>/``
(narrative files included), the report notebook(s), the organisation's local notebooks
(``notebooks/local/<org>/``), the expectation suites, the package's own code and templates,
and the versions of the libraries that shape the report. File contents are hashed, never file times,
so touching a file without changing it rebuilds nothing, and a checkout on another machine
gets the same fingerprints.

Each report folder keeps a ``manifest.json``: for every request built into it, the fingerprint
and the SHA-256 of the files written. A request is up to date when a manifest holds its
fingerprint and every recorded output is still there, unchanged. A damaged manifest (not JSON,
or not its shape) is reported with a warning and treated as empty: its reports are rebuilt,
and the manifest written again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from odreport.files import atomic_write, read_json
from odreport.paths import Project
from odreport.publish import local
from odreport.publish.provenance import library_versions, sha256

MANIFEST = "manifest.json"
PACKAGE = Path(__file__).resolve().parents[1]  # src/odreport
# odreport.metrics.surveys.DEFAULT_MIN_GROUP_SIZE (a test keeps them equal), named here so that
# telling whether a report is up to date imports no pandas
DEFAULT_MIN_GROUP_SIZE = 11


def request(
    org: str,
    period: str | None = None,
    min_group_size: int | None = None,
    public: bool = False,
    meeting: str | None = None,
) -> dict:
    """A request as the manifest records it: the parameters as asked (period and meeting
    blank when not given), the survey suppression threshold resolved."""
    return {
        "org": org,
        "period": period or "",
        "min_group_size": min_group_size or DEFAULT_MIN_GROUP_SIZE,
        "public": public,
        "meeting": meeting or "",
    }


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


def fingerprint(project: Project, org: str, request: dict, code: dict | None = None) -> str:
    """The fingerprint of building ``request`` for ``org`` from the files as they are now.

    ``code``: the SHA-256 of the code files by path, filled on first use, for the
    fingerprints of many requests taken at the same moment (a batch's plan: the package's
    code is hashed once, not once per organisation)."""
    code = {} if code is None else code
    digest = hashlib.sha256()

    def feed(label: str, value: str) -> None:
        digest.update(f"{label}\0{value}\n".encode())

    feed("request", request_key(request))
    raw = project.raw_dir(org)
    for path in _files(raw, ("**/*",)):
        feed(f"input:{path.relative_to(raw).as_posix()}", sha256(path))
    for path in code_files(project):
        root = PACKAGE if path.is_relative_to(PACKAGE) else project.root
        if path not in code:
            code[path] = sha256(path)
        feed(f"code:{path.relative_to(root).as_posix()}", code[path])
    for path in local.notebooks(project, org):  # the organisation's own notebooks
        feed(f"local:{path.relative_to(project.root).as_posix()}", sha256(path))
    feed("versions", json.dumps(library_versions(), sort_keys=True))
    return digest.hexdigest()


def _is_manifest(data: object) -> bool:
    """``{"builds": {request: {"fingerprint": str, "report": str, "outputs": {name: str}}}}``."""
    if not isinstance(data, dict) or not isinstance(data.get("builds"), dict):
        return False
    return all(
        isinstance(entry, dict)
        and isinstance(entry.get("fingerprint"), str)
        and isinstance(entry.get("report"), str)
        and isinstance(entry.get("outputs"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["outputs"].items())
        for entry in data["builds"].values()
    )


def read(path: Path, root: Path | None = None) -> dict:
    """The manifest in ``path``; an empty one if it is missing, or damaged (with a
    :class:`odreport.files.DamagedFile` warning naming it, relative to ``root``)."""
    data = read_json(path, _is_manifest, "manifest", root)
    return data if data is not None else {"builds": {}}


def up_to_date(project: Project, org: str, request: dict, fp: str) -> Path | None:
    """The report already built for ``request`` with fingerprint ``fp``, if it is intact."""
    key = request_key(request)
    for path in sorted(project.reports.glob(f"{org}/*/{MANIFEST}")):
        entry = read(path, project.root)["builds"].get(key)
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


def recorded(
    folder: Path,
    request: dict,
    fp: str,
    report: str,
    outputs: dict[str, Path],
    root: Path | None = None,
) -> str:
    """The text of ``folder``'s manifest once it records that ``report`` was built there for
    ``request`` with fingerprint ``fp``. ``outputs`` maps the name each output will have in
    ``folder`` to a file with its content (the output itself, or its staged copy)."""
    data = read(folder / MANIFEST, root)
    data["builds"][request_key(request)] = {
        "fingerprint": fp,
        "report": report,
        "outputs": {name: sha256(outputs[name]) for name in sorted(outputs)},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def record(report: Path, request: dict, fp: str, outputs: list[Path]) -> Path:
    """Record that ``report`` (and ``outputs`` beside it) was built for ``request``; the
    manifest is written atomically."""
    text = recorded(report.parent, request, fp, report.name, {p.name: p for p in outputs})
    return atomic_write(report.parent / MANIFEST, text)


def current(project: Project, org: str, request: dict) -> Path | None:
    """The report built for ``request`` if it is up to date with the files as they are now
    (:func:`fingerprint`, :func:`up_to_date`); ``None`` when it must be built. Light: what an
    unchanged re-run does, before anything a build needs is imported."""
    return up_to_date(project, org, request, fingerprint(project, org, request))
