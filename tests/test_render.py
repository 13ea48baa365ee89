"""Notebook execution (odreport.render): kernels over IPC, start-up failures retried."""

from __future__ import annotations

import papermill as pm
import pytest

from odreport import render
from odreport.errors import RenderError


def _call(tmp_path):
    nb = tmp_path / "in.ipynb"
    return render.execute(nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path)


def test_kernels_talk_over_ipc_not_tcp_ports():
    km = render._kernel_manager_class()()
    assert km.transport == "ipc"


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
