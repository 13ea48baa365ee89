"""Validation results kept for inputs that have not changed, so they are not validated again.

Validating an organisation's inputs is a pure function of its raw files, the expectation
suites and the code that reads and checks them. :func:`validation_key` is a SHA-256 over all
three: every file under ``data/raw/<org>/`` (its path and content; a link's target too), every
suite in ``expectations/``, the code of the stages that read and check inputs (``inputs/``,
``checks/`` and the shared modules: the only code validation may import, as the package's
layout test enforces) and the versions of Python and the libraries it runs on. An entry in the
cache (:class:`ValidationCache`, a JSON file per organisation, its latest key, under
``.odreport/cache/validation/``)
holds the problems validation found, critical ones included: inputs that failed fail again from
the cache, with the same lines. Only a validation that ran to the end is kept; one that raised
is not.

The cache is never trusted further than it can be checked: an entry that cannot be read, is
not JSON of the expected shape, or names another key than its file's (copied from elsewhere,
written by another version) is ignored and validation runs again (and writes it anew). The
folder can be deleted at any time: it is rebuilt as reports are built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from odreport.files import atomic_write, sha256
from odreport.inputs.problems import Problem

FORMAT = 1  # the entries' layout; an entry of another format is ignored
PACKAGE = Path(__file__).resolve().parents[1]  # src/odreport
# The code validation runs: these stages, and the shared top-level modules.
CODE_STAGES = ("inputs", "checks")
LIBRARIES = ("great_expectations", "pandas", "numpy", "openpyxl", "pyarrow", "markdown-it-py")
_FIELDS = {f.name: f.type for f in dataclasses.fields(Problem)}


def _feed(digest, label: str, value: str) -> None:
    digest.update(f"{label}\0{value}\n".encode())


def code_files() -> list[Path]:
    """The package's modules validation may run (the layout test keeps it to these)."""
    files = [p for p in PACKAGE.glob("*.py")]
    for stage in CODE_STAGES:
        files += (PACKAGE / stage).rglob("*.py")
    return sorted(p for p in files if "__pycache__" not in p.parts)


def code_version() -> str:
    """A SHA-256 over the code validation runs and the versions it runs on."""
    digest = hashlib.sha256()
    for path in code_files():
        _feed(digest, f"code:{path.relative_to(PACKAGE).as_posix()}", sha256(path))
    _feed(digest, "python", platform.python_version())
    for name in LIBRARIES:
        try:
            _feed(digest, name, version(name))
        except PackageNotFoundError:
            _feed(digest, name, "not installed")
    return digest.hexdigest()


def validation_key(raw_dir: Path, expectations_dir: Path, code: str | None = None) -> str:
    """The key of validating the inputs in ``raw_dir`` against the suites in
    ``expectations_dir`` with this code (``code``: :func:`code_version`, computed if not given).

    The folder's name is part of it (an organisation's ``org_id`` must be its folder's name).
    """
    digest = hashlib.sha256()
    _feed(digest, "format", str(FORMAT))
    _feed(digest, "org", raw_dir.name)
    for path in sorted(p for p in raw_dir.rglob("*")):
        name = path.relative_to(raw_dir).as_posix()
        if path.is_symlink():
            _feed(digest, f"link:{name}", os.readlink(path))
        if path.is_file():
            _feed(digest, f"input:{name}", sha256(path))
        elif path.is_dir():
            _feed(digest, f"folder:{name}", "")
        else:
            _feed(digest, f"other:{name}", "")  # a broken link, a socket: read as they are
    for path in sorted(expectations_dir.glob("*.json")):
        _feed(digest, f"suite:{path.name}", sha256(path))
    _feed(digest, "code", code or code_version())
    return digest.hexdigest()


def _problem(fields: object) -> Problem | None:
    """The :class:`Problem` an entry's fields describe, or ``None`` if they do not."""
    if not isinstance(fields, dict) or set(fields) != set(_FIELDS):
        return None
    ok = (
        isinstance(fields["file"], str)
        and (fields["row"] is None or type(fields["row"]) is int)
        and (fields["column"] is None or isinstance(fields["column"], str))
        and isinstance(fields["message"], str)
        and fields["severity"] in ("critical", "warning")
        and type(fields["rows"]) is int
    )
    return Problem(**fields) if ok else None


class ValidationCache:
    """Validation results by organisation and :func:`validation_key`, one JSON file each in
    ``folder`` (``<org>--<key>.json``). Only an organisation's latest entry is kept: recording
    one removes the others of the same organisation, so the folder does not grow with every
    change of inputs or code."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, org: str, key: str) -> Path:
        return self.folder / f"{org}--{key}.json"

    def get(self, org: str, key: str) -> list[Problem] | None:
        """The problems recorded for ``org`` and ``key``; ``None`` when there is no usable
        entry (missing, unreadable, damaged, or recorded for another key)."""
        try:
            data = json.loads(self.path(org, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("key") != key
            or not isinstance(data.get("problems"), list)
        ):
            return None
        problems = [_problem(fields) for fields in data["problems"]]
        if any(p is None for p in problems):
            return None
        return problems  # type: ignore[return-value]

    def put(self, org: str, key: str, problems: list[Problem]) -> None:
        """Record ``problems`` for ``org`` and ``key``, written whole or not at all, and remove
        the organisation's other entries. A cache that cannot be written (a read-only or full
        disk) is no error: validation simply runs next time."""
        text = json.dumps(
            {
                "format": FORMAT,
                "key": key,
                "problems": [dataclasses.asdict(p) for p in problems],
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path(org, key), text)
            for older in self.folder.glob(f"{org}--*.json"):
                if older.name != self.path(org, key).name:
                    older.unlink(missing_ok=True)
        except OSError:
            pass  # atomic_write leaves no temporary file behind
