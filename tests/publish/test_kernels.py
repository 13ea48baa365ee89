"""Kernels (odreport.publish.kernels): IPC sockets of their own, kept and emptied between
reports, stale socket files removed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from odreport.publish import kernels
from odreport.publish.kernels import KeptKernel, Kernels


def test_each_kernel_gets_socket_paths_of_its_own_naming_this_process():
    first, second = kernels.ipc_address(), kernels.ipc_address()
    assert first != second  # two kernels starting at once never share a socket path
    for address in (first, second):
        assert os.path.isabs(address)
        assert os.path.basename(address).startswith(f"odreport-{os.getpid()}-")


def test_socket_files_of_a_process_that_is_gone_are_removed(tmp_path):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(gone.stdout)
    hexa = "0123456789abcdef" * 2
    stale = [tmp_path / f"odreport-{dead}-{hexa}-ipc-{n}" for n in (1, 2)]
    stale.append(tmp_path / f"odreport-{dead}-{hexa}.json")
    live = tmp_path / f"odreport-{os.getpid()}-{hexa}-ipc-1"  # this process: in use
    legacy_old = tmp_path / f"odreport-{hexa}-ipc-3"  # before the pid was in the name
    legacy_new = tmp_path / f"odreport-{'f' * 32}-ipc-3"
    other = tmp_path / "someone-elses-file"
    for path in [*stale, live, legacy_old, legacy_new, other]:
        path.write_text("")
    day_ago = time.time() - kernels.LEGACY_AGE_S - 60
    os.utime(legacy_old, (day_ago, day_ago))
    removed = kernels.remove_stale_files(tmp_path)
    assert sorted(removed) == sorted([*stale, legacy_old])
    assert live.exists() and legacy_new.exists() and other.exists()


def test_kernels_without_a_kernel_close_quietly():
    with Kernels(keep=True) as kept:
        assert kept.current is None
        kept.kill()
        kept.release()
    assert kept.current is None


# --- with real kernels -----------------------------------------------------------------------

USER_NAMES = (
    "ip = get_ipython()\n"
    "print(sorted(k for k in ip.user_ns if not k.startswith('_') and k not in ip.user_ns_hidden))"
)


def _run(kernel: KeptKernel, code: str) -> tuple[dict, str]:
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


@pytest.mark.e2e
def test_two_kernels_side_by_side_on_their_own_ipc_sockets(tmp_path):
    """As two batch workers start them: each on IPC sockets of its own, both answering; shut
    down, they leave no socket or connection file behind."""
    started = [KeptKernel(tmp_path), KeptKernel(tmp_path)]
    try:
        assert [k.km.transport for k in started] == ["ipc", "ipc"]
        assert started[0].km.ip != started[1].km.ip
        for i, kernel in enumerate(started):
            _, seen = _run(kernel, f"print({i} * 7)")
            assert seen == str(i * 7)
    finally:
        for kernel in started:
            kernel.close()
    stems = [k.km.ip.removesuffix("-ipc") for k in started]
    left = [
        p
        for p in os.listdir(os.path.dirname(stems[0]))
        if any(os.path.join(os.path.dirname(stems[0]), p).startswith(s) for s in stems)
    ]
    assert left == []


@pytest.mark.e2e
def test_a_kept_kernel_is_emptied_between_reports(tmp_path):
    kernel = KeptKernel(tmp_path)
    try:
        _run(kernel, "leak = 42")  # the first report
        reply, seen = _run(kernel, "print('leak' in globals())")  # the next
        assert seen == "False"
        assert reply["content"]["execution_count"] == 1  # cells numbered from 1 again
    finally:
        kernel.close()
    assert not kernel.is_alive()


@pytest.mark.e2e
def test_a_warmed_up_kernel_has_its_libraries_loaded_and_no_names_bound(tmp_path):
    kernel = KeptKernel(tmp_path)
    try:
        _, seen = _run(kernel, "import sys; print('vl_convert' in sys.modules)\n" + USER_NAMES)
        assert seen.splitlines() == ["True", "['ip', 'sys']"]
    finally:
        kernel.close()


@pytest.mark.e2e
def test_a_kernel_kept_for_many_reports_keeps_its_heap_out_of_the_collectors_way(tmp_path):
    """Kept (a batch worker's), a kernel freezes what it holds after its warm-up and after
    each reset (gc.freeze: later collections walk only newer objects); a kernel for one report
    does not bother."""
    count = "import gc; print(gc.get_freeze_count())"
    kept, single = KeptKernel(tmp_path, kept=True), KeptKernel(tmp_path)
    try:
        _, first = _run(kept, count)
        _, after_reset = _run(kept, count)
        _, alone = _run(single, count)
    finally:
        kept.close()
        single.close()
    assert int(first) > 10_000 and int(after_reset) >= int(first)
    assert int(alone) == 0


@pytest.mark.e2e
def test_kept_kernels_serve_report_after_report_until_closed(tmp_path):
    with Kernels(keep=True) as kept:
        first = kept.start(tmp_path)
        kept.release()  # after a report: kept
        assert kept.start(tmp_path) is first and first.is_alive()
        first.kill()  # a kernel that died is replaced
        deadline = time.monotonic() + 10
        while first.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        second = kept.start(tmp_path)
        assert second is not first and second.is_alive()
    assert not second.is_alive() and kept.current is None
    with Kernels(keep=False) as single:
        one = single.start(tmp_path)
        single.release()  # after its report: shut down
        assert single.current is None and not one.is_alive()
