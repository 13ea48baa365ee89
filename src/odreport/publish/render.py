"""Execute a report notebook with papermill and export it to self-contained HTML.

The HTML uses the package's own nbconvert template (``templates/odreport``): outputs only, no
code, prompts or scripts, so nothing is loaded from another host when the report is opened.
Files are written into a temporary folder beside the report and renamed into place, so a
failed run leaves the previous report as it was.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat

from odreport.errors import RenderError
from odreport.paths import Project

TEMPLATES = Path(__file__).resolve().parents[1] / "report" / "templates"
KERNEL = "python3"


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


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report HTML of an executed notebook (one exporter per process: its templates are
    loaded once)."""
    exporter = _exporter()
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
            return _ipc_path()

    return IPCKernelManager


def _ipc_path() -> str:
    return os.path.join(tempfile.gettempdir(), f"odreport-{uuid.uuid4().hex}-ipc")


# --- kernels kept for many reports (batch workers) -------------------------------------------

# Run before each report in a kept kernel: the user namespace emptied and the cell counter
# restarted, so a report reads nothing a previous one left (tests compare the HTML of a report
# rendered after others with the same report rendered alone, byte for byte).
# (``%reset -f`` does the same and then a full garbage collection: 0.1 s a report, which
# Python's own collector makes unnecessary.)
RESET = "get_ipython().reset(new_session=False)\nget_ipython().execution_count = 1"


# What every report notebook loads first: run as soon as a kernel is up, while this process is
# still validating, so a report's first cell finds them loaded and its first chart finds
# vl-convert started. ``odreport`` comes first: it keeps jsonschema from building its optional
# IRI parsers when Altair imports it (3 s; see odreport/__init__).
# It binds no name, so a kernel that has only warmed up needs no reset before its first report.
WARM_UP = "__import__('odreport.report.charts').report.charts.warm_up()"


class KeptKernel:
    """A kernel started ahead of its report: it starts and imports the report's libraries in
    its own process while this one validates and derives. A batch worker keeps one for all
    its reports (start-up and imports paid once); it is reset before each report.

    A blocking client sees it through start-up and is then closed; each report talks to the
    kernel through an asynchronous client of its own (:meth:`report_client`), with which
    nbclient notices within a second if the kernel dies (a blocking client would wait for its
    next message forever). Two clients open at once confuse each other's replies, so there is
    never more than one.
    """

    def __init__(self, cwd: Path) -> None:
        from jupyter_client.manager import KernelManager

        self.cwd = cwd
        self.used = False  # no report has run in it yet
        self.km = KernelManager(kernel_name=KERNEL, transport="ipc", ip=_ipc_path())
        # no input history: restarting the cell counter would clash with its database
        self.km.start_kernel(cwd=str(cwd), extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.execute(WARM_UP, silent=True, store_history=False)  # queued until it is up

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the kernel has started and warmed up: for its answer to a ``kernel_info``
        request, which it sends after the warm-up (requests are answered in order); then close
        the start-up client. (``KernelClient.wait_for_ready`` waits 0.2 s more for stray
        messages.) Raises ``RuntimeError`` if the kernel dies or does not answer in time."""
        from queue import Empty

        if self.kc is None:
            return
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.km.is_alive():
                raise RuntimeError("the kernel did not start")
            try:
                reply = self.kc.get_shell_msg(timeout=min(left, 0.2))
            except Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                self.kc.stop_channels()
                self.kc = None
                return

    def report_client(self):
        """A new asynchronous client, channels started, for the next report: the kernel is
        ready and, if a report ran in it before, its namespace has been emptied (raises
        ``RuntimeError`` if it cannot be). The caller stops its channels after the report."""
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_core.utils import run_sync

        self.wait_ready()
        client = AsyncKernelClient(
            **self.km.get_connection_info(session=True),
            connection_file=self.km.connection_file,
            parent=self.km,
        )
        client.start_channels()
        try:
            if self.used:
                reply = run_sync(client.execute_interactive)(
                    RESET, store_history=False, timeout=60, output_hook=lambda msg: None
                )
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue', '')}")
        except BaseException:
            client.stop_channels()
            raise
        self.used = True
        return client

    def close(self) -> None:
        """Shut the kernel down."""
        with contextlib.suppress(RuntimeError):  # already gone
            if self.kc is not None:
                self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)


_kept: dict[str, KeptKernel | None] = {"kernel": None}
_reuse = {"enabled": False}
atexit.register(lambda: _drop_kernel())  # never leave a kept kernel behind


def keep_kernels(enabled: bool = True) -> None:
    """Keep one kernel in this process for every report it renders (batch workers), or not
    (the default: a fresh kernel per report). Turning it off shuts the kept kernel down."""
    _reuse["enabled"] = enabled
    if not enabled:
        _drop_kernel()


def keeping_kernels() -> bool:
    """Whether this process keeps one kernel for all its reports (a batch worker)."""
    return _reuse["enabled"]


def start_kernel_early(cwd: Path) -> None:
    """Start the kernel for the next report now, so that it starts up in parallel with the
    validation; :func:`execute` uses it. Outside batch workers it serves one report only."""
    _ensure_kernel(cwd)


def release_kernel() -> None:
    """After a report: shut down a kernel started early unless this process keeps kernels."""
    if not _reuse["enabled"]:
        _drop_kernel()


def _drop_kernel() -> None:
    kernel = _kept["kernel"]
    _kept["kernel"] = None
    if kernel is not None:
        kernel.close()


def _ensure_kernel(cwd: Path) -> KeptKernel:
    """The kept kernel for ``cwd``, started if there is none (or it died)."""
    kernel = _kept["kernel"]
    if kernel is not None and (kernel.cwd != cwd or not kernel.km.is_alive()):
        _drop_kernel()
        kernel = None
    if kernel is None:
        kernel = _kept["kernel"] = KeptKernel(cwd)
    return kernel


def _register_engine() -> str:
    """A papermill engine that runs the notebook on a kept kernel through its kept client."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kept: KeptKernel = kwargs["kept"]
            client = PapermillNotebookClient(
                nb_man,
                km=kept.km,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            # nbclient starts no kernel and closes none: the kept kernel outlives the report
            client.kc = kept.report_client()
            try:
                return client.execute()
            finally:
                client.kc.stop_channels()

    papermill_engines.register("odreport-kept-kernel", KeptKernelEngine)
    return "odreport-kept-kernel"


KERNEL_ATTEMPTS = 3  # a kernel that dies or times out while starting is started again


class Cancelled(Exception):
    """A render stopped on purpose (see :func:`stop_kernel_now`): not a failure to report."""


def stop_kernel_now() -> None:
    """Kill the kept kernel's process, from any thread: a notebook running in it stops within
    a second (nbclient sees the kernel die). Its client is closed later, by its own thread."""
    kernel = _kept["kernel"]
    process = getattr(getattr(kernel, "km", None), "provisioner", None)
    process = getattr(process, "process", None)
    if process is not None:
        with contextlib.suppress(OSError):
            process.kill()


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    cwd: Path,
    cancel: threading.Event | None = None,
) -> nbformat.NotebookNode:
    """Run the notebook with papermill, parameters injected, in the project root.

    A failing cell raises :class:`RenderError` at once. A kernel that fails to start or dies
    (the start-up races reported when many kernels start in parallel) is retried, up to
    :data:`KERNEL_ATTEMPTS` times in all. Once ``cancel`` is set (and the kernel stopped with
    :func:`stop_kernel_now`) it raises :class:`Cancelled` instead, and tries nothing more.
    """
    import papermill as pm
    import zmq

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    logging.getLogger("papermill").setLevel(logging.WARNING)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        for attempt in range(1, KERNEL_ATTEMPTS + 1):
            if cancelled():
                raise Cancelled(notebook.name)
            try:
                if _reuse["enabled"] or _kept["kernel"] is not None:
                    kernel = _ensure_kernel(cwd)
                    engine = {"engine_name": _register_engine(), "kept": kernel}
                else:
                    engine = {"kernel_manager_class": _kernel_manager_class()}
                return pm.execute_notebook(
                    str(notebook),
                    str(output),
                    parameters=parameters,
                    cwd=str(cwd),
                    kernel_name=KERNEL,
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    **engine,
                )
            except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as exc:
                _drop_kernel()  # a kept kernel that failed is not used again
                if cancelled():
                    raise Cancelled(notebook.name) from exc
                if attempt == KERNEL_ATTEMPTS:
                    raise RenderError(
                        f"{notebook.name}: the kernel failed {attempt} times: "
                        f"{exc.__class__.__name__}: {exc}"
                    ) from exc
                time.sleep(0.5 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover
    except pm.PapermillExecutionError as exc:
        if cancelled():
            raise Cancelled(notebook.name) from exc
        raise RenderError(
            f"{notebook.name}: cell {exc.exec_count} failed: {exc.ename}: "
            f"{(str(exc.evalue).strip().splitlines() or [''])[0]}"
        ) from exc


@dataclass
class Staged:
    """A rendered report not yet in place: ``report.html`` and ``report.ipynb`` in a temporary
    folder beside ``out_dir``. :meth:`commit` renames them into place, :meth:`discard` drops
    them."""

    tmp: Path
    out_dir: Path
    stem: str

    def commit(self) -> Path:
        """Put the report in place (renames only) and return its ``<stem>.html``."""
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / "report.ipynb", self.out_dir / f"{self.stem}.ipynb")
            os.replace(self.tmp / "report.html", self.out_dir / f"{self.stem}.html")
        finally:
            self.discard()
        return self.out_dir / f"{self.stem}.html"

    def discard(self) -> None:
        """Drop the rendered files; the report in place, if any, stays as it was."""
        shutil.rmtree(self.tmp, ignore_errors=True)


def render_staged(
    project: Project,
    notebook: Path,
    parameters: dict,
    out_dir: Path,
    title: str,
    stem: str = "report",
    cancel: threading.Event | None = None,
) -> Staged:
    """Execute and export into a temporary folder beside ``out_dir``; nothing is replaced yet.

    A failing cell raises :class:`RenderError` and keeps the executed notebook as
    ``.failed-<period>.ipynb`` beside the reports, for the analyst to open. ``cancel``: see
    :func:`execute`.
    """
    from odreport.publish import local

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".render-", dir=out_dir.parent))
    try:
        executed = tmp / "report.ipynb"
        # nbconvert loads while the kernel runs the cells: this process only waits meanwhile
        preparing = threading.Thread(target=_exporter, name="odreport-exporter", daemon=True)
        preparing.start()
        nb = execute(notebook, executed, parameters, project.root, cancel)
        nb = local.include(project, nb, parameters, executed, cancel)  # notebooks/local/<org>/
        preparing.join()
        html = export_html(nb, title)
        (tmp / "report.html").write_text(html, encoding="utf-8")
    except RenderError as exc:
        suffix = stem.removeprefix("report")
        kept = out_dir.parent / f".failed-{out_dir.name}{suffix}.ipynb"
        if (tmp / "report.ipynb").exists():
            shutil.copyfile(tmp / "report.ipynb", kept)
        shutil.rmtree(tmp, ignore_errors=True)
        raise RenderError(
            f"{exc} (executed notebook kept in {kept.relative_to(project.root)})"
        ) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staged(tmp, out_dir, stem)
