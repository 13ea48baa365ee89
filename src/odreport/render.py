"""Execute a report notebook with papermill and export it to self-contained HTML.

The HTML uses the package's own nbconvert template (``templates/odreport``): outputs only, no
code, prompts or scripts, so nothing is loaded from another host when the report is opened.
Files are written into a temporary folder beside the report and renamed into place, so a
failed run leaves the previous report as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import nbformat

from .errors import RenderError
from .paths import Project

TEMPLATES = Path(__file__).parent / "templates"
KERNEL = "python3"


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report HTML of an executed notebook."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="odreport",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _kernel_manager_class():
    """A kernel manager that talks to the kernel over local IPC sockets, not TCP ports.

    IPC needs no free port, so kernels started in parallel cannot race for one, and nothing is
    sent over the network stack unencrypted. Each kernel's sockets get a unique path in the
    temporary folder: jupyter_client's default (``kernel-ipc-1`` ... in the working folder,
    the first free numbers) lets two kernels starting at once pick the same sockets and read
    each other's messages ("Invalid Signature").
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"odreport-{uuid.uuid4().hex}-ipc")

    return IPCKernelManager


KERNEL_ATTEMPTS = 3  # a kernel that dies or times out while starting is started again


def execute(notebook: Path, output: Path, parameters: dict, cwd: Path) -> nbformat.NotebookNode:
    """Run the notebook with papermill, parameters injected, in the project root.

    A failing cell raises :class:`RenderError` at once. A kernel that fails to start or dies
    (the start-up races reported when many kernels start in parallel) is retried, up to
    :data:`KERNEL_ATTEMPTS` times in all.
    """
    import papermill as pm
    import zmq

    logging.getLogger("papermill").setLevel(logging.WARNING)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        for attempt in range(1, KERNEL_ATTEMPTS + 1):
            try:
                return pm.execute_notebook(
                    str(notebook),
                    str(output),
                    parameters=parameters,
                    cwd=str(cwd),
                    kernel_name=KERNEL,
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    kernel_manager_class=_kernel_manager_class(),
                )
            except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as exc:
                if attempt == KERNEL_ATTEMPTS:
                    raise RenderError(
                        f"{notebook.name}: the kernel failed {attempt} times: "
                        f"{exc.__class__.__name__}: {exc}"
                    ) from exc
                time.sleep(0.5 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover
    except pm.PapermillExecutionError as exc:
        raise RenderError(
            f"{notebook.name}: cell {exc.exec_count} failed: {exc.ename}: "
            f"{(str(exc.evalue).strip().splitlines() or [''])[0]}"
        ) from exc


def render_notebook(
    project: Project,
    notebook: Path,
    parameters: dict,
    out_dir: Path,
    title: str,
    stem: str = "report",
) -> Path:
    """Execute and export; write ``<stem>.html`` and ``<stem>.ipynb`` into ``out_dir``."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".render-", dir=out_dir.parent))
    try:
        executed = tmp / "report.ipynb"
        nb = execute(notebook, executed, parameters, project.root)
        html = export_html(nb, title)
        (tmp / "report.html").write_text(html, encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        os.replace(executed, out_dir / f"{stem}.ipynb")
        os.replace(tmp / "report.html", out_dir / f"{stem}.html")
    except RenderError as exc:
        suffix = stem.removeprefix("report")
        kept = out_dir.parent / f".failed-{out_dir.name}{suffix}.ipynb"
        if (tmp / "report.ipynb").exists():
            shutil.copyfile(tmp / "report.ipynb", kept)
        raise RenderError(
            f"{exc} (executed notebook kept in {kept.relative_to(project.root)})"
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir / f"{stem}.html"
