"""Files written whole or not at all, as readable as the user's umask allows, and JSON files
read back without trusting them.

Every file odreport writes for itself (``figures.json``, ``manifest.json``, the index) is written
through :func:`atomic_write`: a temporary file in the same folder, flushed to disk, then renamed
over the old one, so a reader (or a run killed half-way) sees the old file or the new one,
never part of one. Files read back (:func:`read_json`) may still have been damaged by hand or
by another tool: a damaged one is reported as a :class:`DamagedFile` warning naming its path,
treated as missing, and written again by the run that needs it.

:func:`tempfile.mkstemp` creates its file with mode 0600 and :func:`tempfile.mkdtemp` its folder
with 0700, whatever the umask, so a file or folder renamed into place from one would stay
private to its owner; a report, a catalogue or a manifest holds no secret and should be as
readable as any file the user creates (``umask 022``: 0644 and 0755; ``umask 077``: 0600 and
0700): see :func:`default_mode` and :func:`make_readable`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEMP_PREFIX = ".odreport-tmp-"  # a temporary file of atomic_write (left only by a killed run)


class OdReportWarning(UserWarning):
    """Something the analyst should know that does not stop the run (printed as
    ``warning: ...`` by the command line)."""


class DamagedFile(OdReportWarning):
    """A file odreport wrote earlier is damaged: not JSON, or JSON of the wrong shape."""


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it
    (``/proc/self/status`` on Linux); elsewhere set and restored at once, under a lock."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        status = ""
    found = re.search(r"^Umask:\s*([0-7]+)\s*$", status, re.MULTILINE)
    if found:
        return int(found[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def default_mode(folder: bool = False) -> int:
    """The mode the system gives a new file (0666 less the umask) or folder (0777 less it)."""
    return (0o777 if folder else 0o666) & ~current_umask()


def make_readable(path: Path) -> Path:
    """Give a file or folder made by :mod:`tempfile` the mode it would have had if created
    normally (see :func:`default_mode`); return ``path``."""
    os.chmod(path, default_mode(folder=Path(path).is_dir()))
    return path


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all.

    The temporary file is in the same folder (so the rename cannot cross file systems), is
    flushed to disk before the rename, and gets the permissions a new file would get.
    """
    path = Path(path)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX + path.name + "-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, default_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)
    return path


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks (inputs can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames into it) to disk, where the system allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_json(
    path: Path, valid: Callable[[Any], bool], what: str, root: Path | None = None
) -> Any | None:
    """The JSON value in ``path``, or ``None`` when the file is missing or damaged.

    ``valid`` checks the value's shape; a file that is not JSON, or whose value fails the check
    (or makes it raise), is reported with a :class:`DamagedFile` warning (``<path>: damaged
    <what> (...); ignored, and written again``, the path relative to ``root`` when given) and
    treated as missing.
    """
    shown = Path(path)
    if root is not None and shown.is_relative_to(root):
        shown = shown.relative_to(root)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        _damaged(shown, what, f"unreadable: {exc.__class__.__name__}")
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        _damaged(shown, what, f"not JSON: {exc}")
        return None
    try:
        ok = valid(value)
    except (AttributeError, KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        _damaged(shown, what, "not the expected structure")
        return None
    return value


def _damaged(path: Path, what: str, why: str) -> None:
    warnings.warn(
        DamagedFile(f"{path.as_posix()}: damaged {what} ({why}); ignored, and written again"),
        stacklevel=3,
    )
