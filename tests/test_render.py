"""Notebook execution (odreport.render): kernels over IPC, start-up failures retried."""

from __future__ import annotations

import os

import papermill as pm
import pytest

from odreport import render
from odreport.errors import RenderError


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
    seen: list[str] = []
    reply = kernel.kc.execute_interactive(
        code, timeout=60, output_hook=lambda m: seen.append(m["content"].get("text", ""))
    )
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply, "".join(seen).strip()


def test_a_kept_kernel_is_emptied_between_reports(tmp_path):
    kernel = render.KeptKernel(tmp_path)
    try:
        kernel.reset()  # before the first report: started and warmed up, nothing to empty
        _run(kernel, "leak = 42")  # the first report
        kernel.reset()
        reply, seen = _run(kernel, "print('leak' in globals())")
        assert seen == "False"
        assert reply["content"]["execution_count"] == 1  # cells numbered from 1 again
    finally:
        kernel.close()
    assert not kernel.km.is_alive()


def test_a_warmed_up_kernel_has_its_libraries_loaded_and_no_names_bound(tmp_path):
    kernel = render.KeptKernel(tmp_path)
    try:
        kernel.reset()
        _, seen = _run(kernel, "import sys; print('vl_convert' in sys.modules)\n" + USER_NAMES)
        assert seen.splitlines() == ["True", "['ip', 'sys']"]
    finally:
        kernel.close()
