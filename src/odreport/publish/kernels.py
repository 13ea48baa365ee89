"""Kernels started ahead of their report, and kept for many reports by batch workers.

A report's kernel is started before validation begins (:meth:`Kernels.start`), so that its
start-up and the report's imports (:data:`WARM_UP`) run in its own process meanwhile. A
:class:`Kernels` object owns it: a single-report run shuts it down after the report, a batch
worker (``keep=True``) keeps it for all its reports, emptied before each (:data:`RESET`). Every
kernel talks to this process over local IPC sockets with a unique path, never TCP ports, so
kernels starting together cannot race for a port or read each other's messages; socket and
connection files left behind by a killed run are removed by :func:`remove_stale_files`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

KERNEL = "python3"
FILE_PREFIX = "odreport-"  # socket and connection files in the temporary folder
ENGINE = "odreport-kept-kernel"  # the papermill engine that runs a notebook on a kept kernel

# Garbage collected, and every object left (modules, vl-convert, caches) moved out of the
# collector's sight (``gc.freeze``): otherwise it walks them all, a few hundred thousand, every
# few thousand allocations of a report (0.02 to 0.1 s a report); after a freeze a collection
# walks only what is newer. Run after the warm-up and before each report in a kept kernel.
SETTLE = "__import__('gc').collect()\n__import__('gc').freeze()"

# Run before each report in a kept kernel: the user namespace emptied and the cell counter
# restarted, so a report reads nothing a previous one left (tests compare the HTML of a report
# rendered after others with the same report rendered alone, byte for byte); then what the
# previous report left is collected and the rest frozen (:data:`SETTLE`).
# (``%reset -f`` empties the namespace and then collects everything: 0.1 s a report.)
RESET = "get_ipython().reset(new_session=False)\nget_ipython().execution_count = 1\n" + SETTLE

# What every report notebook loads first: run as soon as a kernel is up, while this process is
# still validating, so a report's first cell finds them loaded and its first chart finds
# vl-convert started. ``odreport`` comes first: it keeps jsonschema from building its optional
# IRI parsers when Altair imports it (3 s; see odreport.checks.deferred).
# It binds no name, so a kernel that has only warmed up needs no reset before its first report.
# A kernel kept for many reports then settles (:data:`SETTLE`).
WARM_UP = "__import__('odreport.report.charts').report.charts.warm_up()"

_OURS = re.compile(rf"^{FILE_PREFIX}(\d+)-[0-9a-f]{{32}}(-|\.json$)")  # odreport-<pid>-<hex>...
_LEGACY = re.compile(rf"^{FILE_PREFIX}[0-9a-f]{{32}}-ipc-\d+$")  # before the pid was in the name
LEGACY_AGE_S = 24 * 3600


def _unique_stem() -> str:
    """``<tmp>/odreport-<pid>-<hex>``: unique, and naming the process that owns the files."""
    return os.path.join(tempfile.gettempdir(), f"{FILE_PREFIX}{os.getpid()}-{uuid.uuid4().hex}")


def ipc_address() -> str:
    """A new socket path for a kernel (its five channels add ``-1`` ... ``-5``). Unique: two
    kernels starting at once never share sockets (jupyter_client's default, ``kernel-ipc-1``
    ... in the working folder, lets them pick the same ones and read each other's messages)."""
    return _unique_stem() + "-ipc"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_files(folder: Path | None = None) -> list[Path]:
    """Remove kernel sockets and connection files that a killed odreport run left in the
    temporary folder (those whose owning process is gone; from older versions, whose names lack
    the process, those older than a day). Returns what was removed."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(FILE_PREFIX):
            continue
        ours = _OURS.match(entry.name)
        try:
            stale = (
                not _alive(int(ours[1]))
                if ours
                else bool(_LEGACY.match(entry.name))
                and now - entry.stat(follow_symlinks=False).st_mtime > LEGACY_AGE_S
            )
            if stale and not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


class KeptKernel:
    """A kernel started ahead of its report, on IPC sockets of its own.

    A blocking client sees it through start-up (the warm-up queued first) and is then closed;
    each report talks to it through an asynchronous client of its own (:meth:`report_client`),
    with which nbclient notices within a second if the kernel dies (a blocking client would wait
    for its next message forever). Two clients open at once confuse each other's replies, so
    there is never more than one.
    """

    def __init__(self, cwd: Path, kept: bool = False) -> None:
        """Start a kernel in ``cwd`` (warming it up: :data:`WARM_UP`; then, if it is ``kept``
        for many reports, :data:`SETTLE`)."""
        from jupyter_client.manager import KernelManager

        self.cwd = cwd  # where the next report runs (see report_client)
        self._in = cwd  # the kernel's working folder now
        self.used = False  # no report has run in it yet
        self.killed = False
        stem = _unique_stem()
        self.km = KernelManager(
            kernel_name=KERNEL, transport="ipc", ip=stem + "-ipc", connection_file=stem + ".json"
        )
        # no input history: restarting the cell counter would clash with its database
        self.km.start_kernel(cwd=str(cwd), extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        # the shell channel only: no heartbeat thread to race with a kernel stopped at once
        self.kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
        warm_up = WARM_UP + ("\n" + SETTLE if kept else "")
        self.kc.execute(warm_up, silent=True, store_history=False)  # queued until it is up

    def is_alive(self) -> bool:
        """Whether the kernel's process is running (and was not killed: it may take a moment
        to go)."""
        return not self.killed and self.km.is_alive()

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
        ready, in the folder :attr:`cwd` and, if a report ran in it before, its namespace has
        been emptied (raises ``RuntimeError`` if it cannot be). The caller stops its channels
        after the report."""
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_core.utils import run_sync

        self.wait_ready()
        client = AsyncKernelClient(
            **self.km.get_connection_info(session=True),
            connection_file=self.km.connection_file,
            parent=self.km,
        )
        client.start_channels()
        code = RESET if self.used else ""
        if self.cwd != self._in:  # binds no name
            code += f"\n__import__('os').chdir({str(self.cwd)!r})"
        try:
            if code:
                reply = run_sync(client.execute_interactive)(
                    code, store_history=False, timeout=60, output_hook=lambda msg: None
                )
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue', '')}")
        except BaseException:
            client.stop_channels()
            raise
        self.used, self._in = True, self.cwd
        return client

    def kill(self) -> None:
        """Kill the kernel's process, from any thread: a notebook running in it stops within a
        second (nbclient sees the kernel die). Its client is closed later, by its own thread."""
        self.killed = True
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()

    def close(self) -> None:
        """Shut the kernel down (which removes its socket and connection files).

        The kernel is killed and waited for here first: ``shutdown_kernel`` would poll for
        its end every 0.1 s, and a kernel just killed is never gone at the first poll, so
        every single-report run waited 0.1 s more than it needed."""
        with contextlib.suppress(RuntimeError):  # already gone
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            self.kill()
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            if process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
            self.km.shutdown_kernel(now=True)


class Kernels:
    """The kernel a process renders its reports with: started early, used by the next report,
    then shut down (``keep=False``: a single-report run) or kept and emptied for the one after
    (``keep=True``: a batch worker). Use as a context manager, or call :meth:`close`.

    Thread-safe: a report rendered during validation runs in another thread, and the main
    thread may kill its kernel (:meth:`kill`).
    """

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self._kernel: KeptKernel | None = None
        self._lock = threading.RLock()

    def __enter__(self) -> Kernels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def current(self) -> KeptKernel | None:
        """The kernel started and not yet shut down, if any."""
        return self._kernel

    def start(self, cwd: Path) -> KeptKernel:
        """The kernel for the next report, to run in ``cwd``: the current one if it is alive
        (it moves to ``cwd`` before the report), else a new one (starting in the background:
        :meth:`KeptKernel.report_client` waits for it)."""
        with self._lock:
            kernel = self._kernel
            if kernel is not None and not kernel.is_alive():
                self.drop()
                kernel = None
            if kernel is None:
                kernel = self._kernel = KeptKernel(cwd, kept=self.keep)
            kernel.cwd = cwd
            return kernel

    def kill(self) -> None:
        """Kill the kernel's process now, from any thread (see :meth:`KeptKernel.kill`): what
        it runs stops within a second, whatever it is doing, and the next report gets a new
        kernel (a killed one is never used again)."""
        kernel = self._kernel
        if kernel is not None:
            kernel.kill()

    def drop(self) -> None:
        """Shut the current kernel down (a kernel that failed is not used again)."""
        with self._lock:
            kernel, self._kernel = self._kernel, None
        if kernel is not None:
            kernel.close()

    def release(self) -> None:
        """After a report: shut its kernel down unless kernels are kept."""
        if not self.keep:
            self.drop()

    def close(self) -> None:
        """Shut down any kernel, kept or not."""
        self.drop()


def register_engine() -> str:
    """Register (once) and name the papermill engine that runs a notebook on a kept kernel.

    It takes three more keyword arguments through ``papermill.execute_notebook``: ``kept`` (the
    :class:`KeptKernel`), and ``on_cell_start`` / ``on_cell_executed`` (nbclient hooks, called
    with ``cell_index``; one that raises stops the run)."""
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
            hooks = {
                name: _hook(kwargs[name])
                for name in ("on_cell_start", "on_cell_executed")
                if kwargs.get(name) is not None
            }
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
                **hooks,
            )
            # nbclient starts no kernel and closes none: the kept kernel outlives the report
            client.kc = kept.report_client()
            try:
                return client.execute()
            finally:
                client.kc.stop_channels()

    papermill_engines.register(ENGINE, KeptKernelEngine)
    return ENGINE


def _hook(call: Callable[[int], None]) -> Callable[..., None]:
    """An nbclient hook (called with keywords) that passes the cell's index to ``call``."""

    def hook(cell_index: int, **_: object) -> None:
        call(cell_index)

    return hook
