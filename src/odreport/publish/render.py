"""Execute a report notebook with papermill and export it to self-contained HTML.

The HTML uses the package's own nbconvert template (``templates/odreport``): outputs only, no
code, prompts or scripts, so nothing is loaded from another host when the report is opened.
The notebook runs on a kernel of :class:`odreport.publish.kernels.Kernels` (started early, or
kept by a batch worker). :func:`render_into` writes ``report.ipynb`` and ``report.html`` into a
staging folder; the pipeline puts them in place only when the whole run has succeeded.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import nbformat

from odreport.errors import RenderError
from odreport.paths import Project
from odreport.publish.kernels import KERNEL, Kernels, register_engine
from odreport.publish.normalise import for_audit

TEMPLATES = Path(__file__).resolve().parents[1] / "report" / "templates"
KERNEL_ATTEMPTS = 3  # a kernel that dies or times out while starting is started again
RETRY_PAUSE_S = 0.5  # before the second attempt; twice that before the third

T = TypeVar("T")


@functools.cache
def _exporter():
    """The HTML exporter, its templates compiled (an empty notebook is exported once)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="odreport",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {}})
    return exporter


def prepare_exporter() -> None:
    """Load nbconvert and compile the report's templates now (once per process), rather than
    during the first report."""
    _exporter()


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report HTML of an executed notebook (one exporter per process: its templates are
    loaded once)."""
    exporter = _exporter()
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


class Cancelled(Exception):
    """A render stopped on purpose (``cancel`` set): not a failure to report."""


def with_retries(
    attempt: Callable[[], T],
    what: str,
    *,
    attempts: int = KERNEL_ATTEMPTS,
    after_failure: Callable[[], None] | None = None,
    cancel: threading.Event | None = None,
) -> T:
    """``attempt()``, tried again when the kernel fails to start or dies (``RuntimeError``,
    ``TimeoutError``, ``OSError``, ZeroMQ errors: the start-up races reported when many
    kernels start at once), up to ``attempts`` times in all, ``after_failure`` called after
    each failure. Raises :class:`RenderError` naming ``what`` when every attempt failed, and
    :class:`Cancelled` once ``cancel`` is set."""
    import zmq

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    for number in range(1, attempts + 1):
        if cancelled():
            raise Cancelled(what)
        try:
            return attempt()
        except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as exc:
            if after_failure is not None:
                after_failure()
            if cancelled():
                raise Cancelled(what) from exc
            if number == attempts:
                raise RenderError(
                    f"{what}: the kernel failed {number} times: {exc.__class__.__name__}: {exc}"
                ) from exc
            time.sleep(RETRY_PAUSE_S * number)
    raise AssertionError("unreachable")  # pragma: no cover


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    cwd: Path,
    kernels: Kernels | None = None,
    cancel: threading.Event | None = None,
    on_cell: Callable[[int], None] | None = None,
) -> nbformat.NotebookNode:
    """Run the notebook with papermill, parameters injected, in ``cwd``, on the kernel of
    ``kernels`` (by default a kernel started for this notebook and shut down after it).

    A failing cell raises :class:`RenderError` at once; a kernel that fails to start or dies is
    replaced (:func:`with_retries`). Once ``cancel`` is set the run raises :class:`Cancelled`
    before its next cell (stop the cell running with :meth:`Kernels.stop`) and tries nothing
    more. ``on_cell`` is called with each cell's index once it has run.
    """
    import papermill as pm

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    def before_cell(index: int) -> None:
        if cancelled():
            raise Cancelled(notebook.name)

    own = kernels is None
    kernels = Kernels() if own else kernels
    logging.getLogger("papermill").setLevel(logging.WARNING)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    quiet = _QuietWhen(cancelled)  # a kernel stopped on purpose is no news

    def attempt() -> nbformat.NotebookNode:
        return pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            cwd=str(cwd),
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            engine_name=register_engine(),
            kept=kernels.start(cwd),
            on_cell_start=before_cell,
            on_cell_executed=on_cell,
        )

    logging.getLogger("papermill").addFilter(quiet)
    try:
        return with_retries(attempt, notebook.name, after_failure=kernels.drop, cancel=cancel)
    except pm.PapermillExecutionError as exc:
        if cancelled():
            raise Cancelled(notebook.name) from exc
        raise cell_error(notebook.name, exc) from exc
    finally:
        logging.getLogger("papermill").removeFilter(quiet)
        if own:
            kernels.close()


class _QuietWhen(logging.Filter):
    """Drops log records while ``condition()`` holds."""

    def __init__(self, condition: Callable[[], bool]) -> None:
        super().__init__()
        self.condition = condition

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.condition()


def cell_error(name: str, exc) -> RenderError:
    """The one-line error for a failing cell (a ``PapermillExecutionError``)."""
    first = (str(exc.evalue).strip().splitlines() or [""])[0]
    return RenderError(f"{name}: cell {exc.exec_count} failed: {exc.ename}: {first}")


def record_parameters(nb: nbformat.NotebookNode, parameters: dict) -> None:
    """Make an executed notebook say it ran with ``parameters``: its injected-parameters cells
    (the report's, and those of the local notebooks placed after it, which ran with the same
    parameters) and papermill's metadata are written again with them (the cell keeps its id and outputs).
    The pipeline runs the notebook on derived tables in a staging folder and records the folder
    they are then moved to, so the kept notebook can be run again as it is."""
    from papermill.translators import translate_parameters

    spec = nb.metadata.get("kernelspec", {})
    for cell in nb.cells:  # the report's, and those of local notebooks placed after it
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = translate_parameters(
                spec.get("name", KERNEL), spec.get("language", "python"), parameters, "Parameters"
            )
    nb.metadata.setdefault("papermill", {})["parameters"] = parameters


def render_into(
    folder: Path,
    notebook: Path,
    parameters: dict,
    cwd: Path,
    title: str,
    *,
    recorded: dict | None = None,
    kernels: Kernels | None = None,
    cancel: threading.Event | None = None,
    on_cell: Callable[[int], None] | None = None,
    failed_copy: Path | None = None,
    published: Path | None = None,
) -> Path:
    """Execute ``notebook`` (see :func:`execute`) and write ``report.ipynb`` and ``report.html``
    into ``folder``; return ``report.html``. ``recorded`` replaces the parameters the kept
    notebook says it ran with (:func:`record_parameters`).

    ``published`` is where ``report.ipynb`` will be put (relative to ``cwd``, the project
    root): the kept notebook is normalised for audit (:func:`odreport.publish.normalise.for_audit`).

    A failing cell raises :class:`RenderError`; the executed notebook is copied to
    ``failed_copy``, if given, and the message names it (relative to ``cwd``).
    """
    from odreport.publish import local

    folder.mkdir(parents=True, exist_ok=True)
    executed = folder / "report.ipynb"
    # nbconvert loads while the kernel runs the cells, once the first has run: this process
    # only waits meanwhile (started sooner, it would take turns with papermill's start-up)
    preparing = threading.Thread(target=_exporter, name="odreport-exporter", daemon=True)

    def cell_done(index: int) -> None:
        if not preparing.is_alive() and preparing.ident is None:
            preparing.start()
        if on_cell is not None:
            on_cell(index)

    try:
        nb = execute(notebook, executed, parameters, cwd, kernels, cancel, cell_done)
        nb = local.include(Project(cwd), nb, parameters, executed, cancel)  # notebooks/local/<org>/
        if published is not None:
            for_audit(nb, cwd, published, executed)  # no machine paths, no times
        if preparing.ident is not None:
            preparing.join()
        if recorded is not None:
            record_parameters(nb, recorded)
            executed.write_text(nbformat.writes(nb), encoding="utf-8")
        html = export_html(nb, title)
        (folder / "report.html").write_text(html, encoding="utf-8")
    except RenderError as exc:
        if failed_copy is None or not executed.exists():
            raise
        failed_copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, failed_copy)
        shown = failed_copy.relative_to(cwd) if failed_copy.is_relative_to(cwd) else failed_copy
        raise RenderError(f"{exc} (executed notebook kept in {shown.as_posix()})") from exc
    return folder / "report.html"
