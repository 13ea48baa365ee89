"""Files written whole or not at all, and JSON files read back without trusting them.

Every file odreport writes for itself (``figures.json``, ``manifest.json``, the index) is written
through :func:`atomic_write`: a temporary file in the same folder, flushed to disk, then renamed
over the old one, so a reader (or a run killed half-way) sees the old file or the new one,
never part of one. Files read back (:func:`read_json`) may still have been damaged by hand or
by another tool: a damaged one is reported as a :class:`DamagedFile` warning naming its path,
treated as missing, and written again by the run that needs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)
    return path


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
