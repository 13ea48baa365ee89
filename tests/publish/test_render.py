"""Notebook execution and export (odreport.publish.render): retries, cancelling, failed cells,
the parameters a kept notebook records."""

from __future__ import annotations

import threading

import nbformat
import pytest

from odreport.errors import RenderError
from odreport.publish import render
from odreport.publish.kernels import Kernels


@pytest.fixture
def no_pause(monkeypatch):
    monkeypatch.setattr(render, "RETRY_PAUSE_S", 0)


def test_a_kernel_that_fails_to_start_is_started_again(no_pause):
    calls, failures = [], []

    def flaky():
        calls.append(1)
        if len(calls) < render.KERNEL_ATTEMPTS:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "executed"

    out = render.with_retries(flaky, "in.ipynb", after_failure=lambda: failures.append(1))
    assert out == "executed"
    assert len(calls) == render.KERNEL_ATTEMPTS and len(failures) == render.KERNEL_ATTEMPTS - 1


def test_a_kernel_that_never_starts_is_a_render_error(no_pause):
    def dead():
        raise TimeoutError("kernel did not reply")

    with pytest.raises(RenderError, match=r"in\.ipynb: the kernel failed 3 times: TimeoutError"):
        render.with_retries(dead, "in.ipynb")


def test_other_errors_are_not_retried(no_pause):
    calls = []

    def broken():
        calls.append(1)
        raise ValueError("a bug, not a kernel")

    with pytest.raises(ValueError):
        render.with_retries(broken, "in.ipynb")
    assert calls == [1]


def test_a_cancelled_run_is_not_retried(no_pause):
    cancel = threading.Event()
    calls = []

    def stopped():
        calls.append(1)
        cancel.set()  # what stopping the kernel on purpose looks like from here
        raise RuntimeError("Kernel died")

    with pytest.raises(render.Cancelled):
        render.with_retries(stopped, "in.ipynb", cancel=cancel)
    assert calls == [1]


def _notebook(path, *cells: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    return path


def test_the_kept_notebook_records_the_parameters_it_is_given():
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.metadata["papermill"] = {}
    nb.cells = [nbformat.v4.new_code_cell("org = ''\nprocessed_dir = ''")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    run = parameterize_notebook(nb, {"org": "x", "processed_dir": ".odreport/staging/x/t"})
    injected = run.cells[1]
    cell_id = injected.id
    render.record_parameters(run, {"org": "x", "processed_dir": "data/processed/x/2016-06"})
    assert injected.id == cell_id
    assert 'processed_dir = "data/processed/x/2016-06"' in injected.source
    assert "staging" not in injected.source
    assert run.metadata["papermill"]["parameters"]["processed_dir"] == "data/processed/x/2016-06"


# --- with real kernels -----------------------------------------------------------------------


def _within(seconds: float, call):
    """Run ``call`` in a thread; fail (rather than hang the suite) if it has not returned."""
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


@pytest.mark.e2e
def test_a_failing_cell_is_one_line_and_its_notebook_is_kept(tmp_path, kept):
    nb = _notebook(tmp_path / "in.ipynb", "org = ''", "x = 1", "raise ValueError('bad value')")
    kept_copy = tmp_path / "debug" / "failed.ipynb"
    with pytest.raises(RenderError) as caught:
        render.render_into(
            tmp_path / "out",
            nb,
            {"org": "x"},
            tmp_path,
            "T",
            kernels=kept.kernels,
            failed_copy=kept_copy,
        )
    assert str(caught.value) == (
        "in.ipynb: cell 4 failed: ValueError: bad value "  # after the injected parameters
        "(executed notebook kept in debug/failed.ipynb)"
    )
    assert "bad value" in kept_copy.read_text(encoding="utf-8")


@pytest.mark.e2e
def test_a_kept_kernel_dying_mid_report_is_noticed_not_waited_for(tmp_path):
    """In a batch worker the report runs in a kept kernel; a kernel killed while a cell runs
    (here it kills itself, every time) ends in an error after the retries, never a hang."""
    nb = _notebook(
        tmp_path / "in.ipynb", "org = ''", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    with Kernels(keep=True) as kernels:
        outcome = _within(
            120, lambda: render.execute(nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path, kernels)
        )
    assert isinstance(outcome.get("error"), RenderError), outcome
    assert "the kernel failed 3 times" in str(outcome["error"])


@pytest.mark.e2e
def test_a_cancelled_render_stops_when_its_kernel_is_killed(tmp_path):
    """What a report rendered during validation does when validation fails: its kernel is
    killed and the run raises Cancelled within seconds, without starting another kernel."""
    nb = _notebook(tmp_path / "in.ipynb", "org = ''", "import time\ntime.sleep(30)", "y = 2")
    cells: list[int] = []
    cancel = threading.Event()
    with Kernels(keep=True) as kernels:
        kernel = kernels.start(tmp_path)
        kernel.wait_ready()  # started and warmed up: the sleeping cell runs next
        timer = threading.Timer(3, lambda: (cancel.set(), kernels.kill()))
        timer.start()
        outcome = _within(
            20,
            lambda: render.execute(
                nb, tmp_path / "out.ipynb", {"org": "x"}, tmp_path, kernels, cancel, cells.append
            ),
        )
        assert isinstance(outcome.get("error"), render.Cancelled), outcome
        assert 2 not in cells  # the sleeping cell never finished
        assert not kernel.is_alive()
        assert kernels.current is None  # the dead kernel dropped, no other started
