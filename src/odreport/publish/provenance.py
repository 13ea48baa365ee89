"""What a report was made from: input checksums, code version, parameters, library versions.

Nothing here depends on the clock or the machine, so the same inputs and code give the same
provenance, and therefore byte-identical reports.
"""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from odreport import __version__
from odreport.files import sha256

LIBRARIES = (
    "pandas",
    "altair",
    "papermill",
    "nbconvert",
    "great_expectations",
    "vl-convert-python",
)


def relative(path: Path, root: Path) -> str:
    """A path relative to the project root, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def input_checksums(files: list[Path], root: Path) -> list[dict[str, str]]:
    """One entry per distinct input file: relative path and SHA-256."""
    seen = sorted({p.resolve() for p in files})
    return [{"file": relative(p, root), "sha256": sha256(p)} for p in seen]


def code_version(root: Path) -> str:
    """The git commit of the checkout (``+dirty`` when code differs from it), else the
    package version."""
    if (root / ".git").exists():
        try:
            commit = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
            dirty = subprocess.run(
                [
                    "git",
                    "-C",
                    str(root),
                    "status",
                    "--porcelain",
                    "--",
                    "src",
                    "notebooks",
                    "expectations",
                    "pyproject.toml",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
            return f"git {commit}{'+dirty' if dirty else ''}"
        except (OSError, subprocess.SubprocessError):
            pass
    return f"odreport {__version__}"


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries that shape the report."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def provenance(files: list[Path], root: Path, parameters: dict, extra_code: list[Path]) -> dict:
    """The provenance record of one report."""
    return {
        "inputs": input_checksums(files, root),
        "code_version": code_version(root),
        "code_files": input_checksums(extra_code, root),
        "parameters": parameters,
        "versions": library_versions(),
    }
