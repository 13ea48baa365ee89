"""Runs that change nothing until they have succeeded: staging, one commit, locks, clean-up.

Everything a run writes (derived tables, ``report.html`` and ``report.ipynb``,
``figures.json``, ``manifest.json``, ``reports/index.html``) is first written into its staging
folder, ``.odreport/staging/<org>/<period>/``, outside ``reports/`` and ``data/processed/``.
When all of it is there, :meth:`Stage.commit` puts it in place with renames only, after
writing (and flushing to disk) a journal of the renames: a run killed before the journal is
complete changed nothing, one killed after it is completed by the next run
(:func:`recover`). Signals arriving during the renames are acted on after them
(:func:`odreport.publish.interrupts.deferred`).

One run at a time builds an organisation's period: :func:`lock` takes an exclusive lock
(``fcntl.flock``, released by the system if the process dies) on
``.odreport/locks/<org>--<period>.lock``; a second run waits for it. The lock on
``index.lock`` serialises writing ``reports/index.html``, which every organisation's run
rebuilds. :func:`sweep` removes what killed runs left: staging folders (after recovery),
temporary folders and failed notebooks older versions left in ``reports/`` and
``data/processed/``, and kernel socket files in the temporary folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from odreport.errors import OdReportError
from odreport.files import TEMP_PREFIX, OdReportWarning, atomic_write
from odreport.paths import Project
from odreport.publish.interrupts import deferred
from odreport.publish.kernels import remove_stale_files

WORKDIR = ".odreport"  # the project's own working folder (not committed)
JOURNAL = "journal.json"
INDEX_LOCK = "index"
LOCK_POLL_S = 0.1
NOTICE_AFTER_S = 1.0  # a run kept waiting this long by another says so


class Busy(OdReportError):
    """Another run holds the lock (exit code 1)."""


def workdir(project: Project) -> Path:
    """``.odreport/`` in the project root: staging folders, locks and failed notebooks."""
    return project.root / WORKDIR


def debug_dir(project: Project) -> Path:
    """``.odreport/debug/``: where the executed notebook of a failed render is kept."""
    return workdir(project) / "debug"


def _lock_path(project: Project, *names: str) -> Path:
    return workdir(project) / "locks" / ("--".join(names) + ".lock")


def try_lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on ``path``, or ``None`` if another
    process (or another descriptor of this one) holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def lock(project: Project, *names: str, wait: float = 600.0) -> Iterator[bool]:
    """Hold the lock named ``names`` (e.g. an organisation and a period) for the block,
    waiting up to ``wait`` seconds for another run to release it (with a warning, after a
    second, that it is waiting); yields whether it had to wait. Raises :class:`Busy`, naming
    the lock file, when the wait is over."""
    path = _lock_path(project, *names)
    shown = path.relative_to(project.root).as_posix()
    start = time.monotonic()
    waited = told = False
    while (fd := try_lock(path)) is None:
        now = time.monotonic()
        if now - start >= wait:
            raise Busy(
                f"another odreport run is building {' '.join(names)} (it holds {shown}); "
                "try again when it has finished"
            )
        if not told and now - start >= NOTICE_AFTER_S:
            warnings.warn(
                OdReportWarning(
                    f"another odreport run is building {' '.join(names)} (it holds {shown}); "
                    f"waiting for it to finish (up to {wait:.0f} s)"
                ),
                stacklevel=3,
            )
            told = True
        waited = True
        time.sleep(LOCK_POLL_S)
    try:
        yield waited
    finally:
        os.close(fd)  # releases the lock


def _rel(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()


class Stage:
    """A run's staging folder for one organisation and period (used under its :func:`lock`).

    :meth:`folder` gives fresh subfolders to write into; :meth:`commit` puts files and folders
    in place; the folder itself is removed when the run ends, whatever happened.
    """

    def __init__(self, project: Project, org: str, period: str) -> None:
        self.project = project
        self.dir = workdir(project) / "staging" / org / period

    def folder(self, name: str) -> Path:
        """An empty subfolder ``name`` (emptied if it was used before)."""
        path = self.dir / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def commit(
        self, moves: list[tuple[Path, Path]], checkpoint: Callable[[str], None] | None = None
    ) -> None:
        """Move each staged ``(source, destination)`` into place, replacing what is there, as
        one step: the journal is written first, then the renames run with signals deferred.
        ``checkpoint`` is called with ``commit:<n>`` after the n-th rename (a test seam)."""
        journal = {"moves": [[_rel(self.project, s), _rel(self.project, d)] for s, d in moves]}
        with deferred():
            atomic_write(self.dir / JOURNAL, json.dumps(journal, indent=1) + "\n")
            _apply(self.project, self.dir, journal, checkpoint)
            (self.dir / JOURNAL).unlink()

    def close(self) -> None:
        """Remove the staging folder and everything left in it."""
        _remove(self.dir)


def _apply(
    project: Project,
    stage: Path,
    journal: dict,
    checkpoint: Callable[[str], None] | None = None,
) -> None:
    """Carry out (or finish) a journal's renames; each step can be repeated after a kill."""
    replaced = stage / "replaced"
    replaced.mkdir(exist_ok=True)
    for n, (source, destination) in enumerate(journal["moves"], start=1):
        src, dst = project.root / source, project.root / destination
        if not (src.exists() or src.is_symlink()):
            continue  # moved already
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_dir() and not dst.is_symlink():
            backup = replaced / str(n)
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(dst, backup)  # a folder cannot be renamed over a non-empty one
        os.replace(src, dst)
        if checkpoint is not None:
            checkpoint(f"commit:{n}")


def recover(project: Project, stage: Path) -> bool:
    """Finish the commit a killed run left (if its journal is complete) and remove its staging
    folder; call with the folder's lock held. Returns whether a commit was finished."""
    journal_path = stage / JOURNAL
    finished = False
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            moves = journal["moves"]
            if not all(isinstance(m, list) and len(m) == 2 for m in moves):
                raise ValueError("bad moves")
        except (OSError, ValueError, KeyError, TypeError):
            journal = None  # written only whole (atomic_write): cannot happen unless edited
        if journal is not None:
            _apply(project, stage, journal)
            finished = True
    _remove(stage)
    return finished


def _remove(stage: Path) -> None:
    """Remove a staging folder, and its organisation's and ``staging/`` if that empties them."""
    shutil.rmtree(stage, ignore_errors=True)
    for parent in (stage.parent, stage.parent.parent):
        with contextlib.suppress(OSError):
            parent.rmdir()  # only if empty


@contextlib.contextmanager
def staged_run(project: Project, org: str, period: str, wait: float = 600.0) -> Iterator[Stage]:
    """Lock ``org``'s ``period``, recover what a killed run of it left, and yield a
    :class:`Stage`, removed when the block ends (whether it committed or failed)."""
    with lock(project, org, period, wait=wait):
        stage = Stage(project, org, period)
        recover(project, stage.dir)
        try:
            yield stage
        finally:
            stage.close()


# --- what killed runs leave behind -----------------------------------------------------------

# Left in reports/<org>/ and data/processed/<org>/ by versions that staged beside the outputs.
_LEGACY_REPORT = re.compile(r"^\.(render-.+|failed-.+\.ipynb)$")
_LEGACY_TABLES = re.compile(r"^\.(\d{4}-\d{2})((?:-public)?)-(old|.+)$")
TEMP_AGE_S = 60  # an atomic_write temporary file older than this is left by a killed run


def sweep(project: Project) -> list[Path]:
    """Remove what killed runs left; return what was removed (or put back).

    Staging folders whose lock is free are recovered (:func:`recover`); legacy temporary
    folders in ``reports/<org>/`` and ``data/processed/<org>/`` are removed (a legacy
    ``.<period>-old`` is put back if its folder is missing) and legacy failed notebooks are
    moved to :func:`debug_dir`; temporary files of :func:`atomic_write` older than a minute
    (beside the index or a report) are removed; so are kernel socket files whose process is
    gone.
    """
    found: list[Path] = []
    staging = workdir(project) / "staging"
    for stage in sorted(staging.glob("*/*")) if staging.is_dir() else []:
        fd = try_lock(_lock_path(project, stage.parent.name, stage.name))
        if fd is None:
            continue  # a run is using it
        try:
            recover(project, stage)
            found.append(stage)
        finally:
            os.close(fd)
    for org_dir in _subfolders(project.reports):
        for entry in _entries(org_dir):
            if _LEGACY_REPORT.match(entry.name):
                found.append(entry)
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    debug_dir(project).mkdir(parents=True, exist_ok=True)
                    name = f"{org_dir.name}-{entry.name.removeprefix('.failed-')}"
                    os.replace(entry, debug_dir(project) / name)
    for org_dir in _subfolders(project.processed):
        for entry in _entries(org_dir):
            match = _LEGACY_TABLES.match(entry.name)
            if not match or not entry.is_dir():
                continue
            fd = try_lock(_lock_path(project, org_dir.name, match[1]))
            if fd is None:
                continue
            try:
                final = org_dir / f"{match[1]}{match[2]}"
                if match[3] == "old" and not final.exists():
                    os.replace(entry, final)  # killed between the two renames of a swap
                else:
                    shutil.rmtree(entry, ignore_errors=True)
                found.append(entry)
            finally:
                os.close(fd)
    now = time.time()
    for pattern in (f"{TEMP_PREFIX}*", f"*/*/{TEMP_PREFIX}*"):  # the index; figures, manifest
        for temp in project.reports.glob(pattern) if project.reports.is_dir() else []:
            with contextlib.suppress(OSError):
                if now - temp.lstat().st_mtime > TEMP_AGE_S:
                    temp.unlink()
                    found.append(temp)
    found += remove_stale_files()
    return found


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("."))
