"""Notebook execution (odreport.publish.render): kernels over IPC, start-up failures retried."""

from __future__ import annotations

import os

import papermill as pm
import pytest

from odreport.errors import RenderError
from odreport.publish import render


def _call(tmp_path):
    nb = tmp_path / "in.ipynb"
    return render.execute(nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path)


def test_kernels_talk_over_ipc_not_tcp_ports_each_on_its_own_sockets():
    managers = [render._kernel_manager_class()() for _ in range(2)]
    assert [km.transport for km in managers] == ["ipc", "ipc"]
    first, second = (km.ip for km in managers)
    assert first != second  # two kernels starting at once never share a socket path
    assert os.path.isabs(first) and os.path.basename(first).startswith("odreport-")


def test_kernels_on_their_own_socket_paths_start_and_answer(tmp_path):
    """Kernels on the generated socket paths start and answer, side by side (as two batch
    workers run them)."""
    from jupyter_client.manager import KernelManager

    class SyncIPC(KernelManager):
        transport = "ipc"

    managers = []
    for _ in range(2):
        km = SyncIPC(ip=render._kernel_manager_class()().ip)
        km.start_kernel(cwd=str(tmp_path))
        managers.append(km)
    try:
        for i, km in enumerate(managers):
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(f"x = {i} * 7", timeout=60)
            assert reply["content"]["status"] == "ok"
            kc.stop_channels()
    finally:
        for km in managers:
            km.shutdown_kernel(now=True)


def test_a_kernel_that_fails_to_start_is_started_again(tmp_path, monkeypatch):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs["kernel_manager_class"])
        if len(calls) < render.KERNEL_ATTEMPTS:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "executed"

    monkeypatch.setattr(pm, "execute_notebook", flaky)
    monkeypatch.setattr(render.time, "sleep", lambda s: None)
    assert _call(tmp_path) == "executed"
    assert len(calls) == render.KERNEL_ATTEMPTS


def test_a_kernel_that_never_starts_is_a_render_error(tmp_path, monkeypatch):
    def dead(*args, **kwargs):
        raise TimeoutError("kernel did not reply")

    monkeypatch.setattr(pm, "execute_notebook", dead)
    monkeypatch.setattr(render.time, "sleep", lambda s: None)
    with pytest.raises(RenderError, match="failed 3 times: TimeoutError"):
        _call(tmp_path)


def test_a_failing_cell_is_not_retried(tmp_path, monkeypatch):
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise pm.PapermillExecutionError(3, 3, "boom", "ValueError", "bad value", [])

    monkeypatch.setattr(pm, "execute_notebook", failing)
    with pytest.raises(RenderError, match="cell 3 failed: ValueError: bad value"):
        _call(tmp_path)
    assert calls == [1]


USER_NAMES = (
    "ip = get_ipython()\n"
    "print(sorted(k for k in ip.user_ns if not k.startswith('_') and k not in ip.user_ns_hidden))"
)


def _run(kernel: render.KeptKernel, code: str) -> tuple[dict, str]:
    """Run ``code`` as the next report would: through a new report client of the kernel."""
    from jupyter_core.utils import run_sync

    seen: list[str] = []
    client = kernel.report_client()
    try:
        reply = run_sync(client.execute_interactive)(
            code, timeout=60, output_hook=lambda m: seen.append(m["content"].get("text", ""))
        )
    finally:
        client.stop_channels()
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply, "".join(seen).strip()


def test_a_kept_kernel_is_emptied_between_reports(tmp_path):
    kernel = render.KeptKernel(tmp_path)
    try:
        _run(kernel, "leak = 42")  # the first report
        reply, seen = _run(kernel, "print('leak' in globals())")  # the next
        assert seen == "False"
        assert reply["content"]["execution_count"] == 1  # cells numbered from 1 again
    finally:
        kernel.close()
    assert not kernel.km.is_alive()


def test_a_warmed_up_kernel_has_its_libraries_loaded_and_no_names_bound(tmp_path):
    kernel = render.KeptKernel(tmp_path)
    try:
        _, seen = _run(kernel, "import sys; print('vl_convert' in sys.modules)\n" + USER_NAMES)
        assert seen.splitlines() == ["True", "['ip', 'sys']"]
    finally:
        kernel.close()


def _notebook(path, *cells: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    return path


def _within(seconds: float, call):
    """Run ``call`` in a thread; fail (rather than hang the suite) if it has not returned."""
    import threading

    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome


def test_a_kept_kernel_dying_mid_report_is_noticed_not_waited_for(tmp_path):
    """In a batch worker the report runs in a kept kernel; a kernel killed while a cell runs
    (here it kills itself, every time) ends in an error after the retries, never a hang."""
    nb = _notebook(
        tmp_path / "in.ipynb", "org = ''", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    render.keep_kernels(True)
    try:
        outcome = _within(
            120, lambda: render.execute(nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path)
        )
    finally:
        render.keep_kernels(False)
    assert isinstance(outcome.get("error"), RenderError), outcome
    assert "the kernel failed 3 times" in str(outcome["error"])


def test_a_cancelled_render_stops_when_its_kernel_is_stopped(tmp_path):
    """What a report rendered during validation does when validation fails: the kernel is
    killed and the run raises Cancelled, without starting another kernel."""
    import threading

    nb = _notebook(tmp_path / "in.ipynb", "org = ''", "import time\ntime.sleep(30)")
    cancel = threading.Event()
    render.start_kernel_early(tmp_path)
    try:
        kernel = render._kept["kernel"]
        kernel.wait_ready()  # started and warmed up: the sleeping cell runs next
        timer = threading.Timer(3, lambda: (cancel.set(), render.stop_kernel_now()))
        timer.start()
        outcome = _within(
            20, lambda: render.execute(nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path, cancel)
        )
    finally:
        render.release_kernel()
    assert isinstance(outcome.get("error"), render.Cancelled), outcome
    assert render._kept["kernel"] is None


def test_only_a_fresh_single_report_process_validates_in_a_process_of_its_own(monkeypatch):
    import sys

    from odreport.publish import pipeline

    monkeypatch.delitem(sys.modules, "great_expectations", raising=False)
    assert pipeline._validates_apart(speculating=True)
    assert not pipeline._validates_apart(speculating=False)  # nothing to overlap with
    render.keep_kernels(True)  # a batch worker
    try:
        assert not pipeline._validates_apart(speculating=True)
    finally:
        render.keep_kernels(False)
    monkeypatch.setitem(sys.modules, "great_expectations", object())  # imported already
    assert not pipeline._validates_apart(speculating=True)
