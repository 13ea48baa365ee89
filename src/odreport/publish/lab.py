"""``odreport lab`` (``make lab ORG=x [PERIOD=YYYY-MM]``): JupyterLab on the project's
notebooks, with one organisation's derived tables prepared and the notebooks' parameters
preset, so that running the report notebook (or a local notebook) there shows what the report
shows.

It validates and derives exactly as a report build does (same steps, same default settings),
writes ``data/processed/<org>/<period>/``, then replaces itself with ``jupyter lab`` (on
``notebooks/``, listening on this machine only) whose environment presets ``org``, ``period``
and ``processed_dir`` (:mod:`odreport.report.parameters`). Invalid inputs stop it before
JupyterLab starts, with the problems and exit code 3, as for a report.
"""

from __future__ import annotations

import atexit
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from odreport.paths import Project
from odreport.publish import pipeline
from odreport.report.parameters import NAMES, variable


@dataclass(frozen=True)
class Prepared:
    """An organisation's derived tables for one period, ready for the notebooks."""

    org: str
    period: str
    folder: Path  # data/processed/<org>/<period>/


def prepare(project: Project, org: str, period: str | None = None) -> Prepared:
    """Validate and derive as a report build does, and write the derived tables."""
    checked = pipeline.load_and_validate(project, org)
    period = pipeline.resolve_period(checked.inputs, period or None)
    derived = pipeline.derive_tables(project, checked, period)
    return Prepared(org, period, pipeline.write_processed(project, org, period, derived))


def environment(project: Project, prepared: Prepared | None, base: dict | None = None) -> dict:
    """JupyterLab's environment: ``base`` (default: this process's) with the project root and,
    when data was prepared, the parameters preset."""
    env = dict(os.environ if base is None else base)
    env["ODREPORT_ROOT"] = str(project.root)
    for name in NAMES:
        env.pop(variable(name), None)
    if prepared is not None:
        env[variable("org")] = prepared.org
        env[variable("period")] = prepared.period
        env[variable("processed_dir")] = str(prepared.folder.resolve())
    return env


def command(project: Project, port: int | None = None, browser: bool = True) -> list[str]:
    """The ``jupyter lab`` command: this Python's JupyterLab on ``notebooks/``, on
    127.0.0.1 only (with its usual token), on ``port`` if given (else the first free from
    8888); run as root (in a container), with JupyterLab's ``--allow-root``."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={project.notebooks}",
        "--ServerApp.ip=127.0.0.1",
    ]
    if port is not None:
        argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # a container's root user: JupyterLab refuses otherwise
    return argv


def describe(project: Project, prepared: Prepared | None) -> str:
    """The line printed before JupyterLab starts."""
    if prepared is None:
        return "JupyterLab on notebooks/ (no organisation prepared: give --org to preset one)"
    folder = prepared.folder.relative_to(project.root).as_posix()
    return (
        f"JupyterLab on notebooks/ with {prepared.org} {prepared.period} prepared in {folder}/ "
        f"(parameters preset: org={prepared.org!r}, period={prepared.period!r})"
    )


def start(
    project: Project,
    org: str | None = None,
    period: str | None = None,
    port: int | None = None,
    browser: bool = True,
) -> None:
    """Prepare ``org`` (if given) and replace this process with JupyterLab; returns only if
    preparing fails (by raising)."""
    prepared = prepare(project, org, period) if org else None
    print(describe(project, prepared), flush=True)
    argv = command(project, port, browser)
    env = environment(project, prepared)
    atexit._run_exitfuncs()  # what exiting would run: temporary folders removed, logs closed
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
