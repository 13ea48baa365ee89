"""Outputs written whole (a temporary file renamed into place) and left as readable as the
user's umask allows.

:func:`tempfile.mkstemp` creates its file with mode 0600 and :func:`tempfile.mkdtemp` its folder
with 0700, whatever the umask, so a file or folder renamed into place from one would stay
private to its owner; a report, a catalogue or a manifest holds no secret and should be as
readable as any file the user creates (``umask 022``: 0644 and 0755; ``umask 077``: 0600 and
0700).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

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
    os.chmod(path, default_mode(folder=path.is_dir()))
    return path


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` whole: into a temporary file beside it, then
    renamed over it, so a reader sees the old file or the new, never part of one. The file
    gets :func:`default_mode`. Return ``path``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, default_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
