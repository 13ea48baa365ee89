"""Sessions (odreport.publish.session): the checkpoint seam, and kernels owned or shared."""

from __future__ import annotations

import gc

import pytest

from odreport.publish.session import Session


def test_the_checkpoint_hook_hears_each_step_and_may_stop_the_build():
    heard: list[str] = []
    Session(checkpoint=heard.append).checkpoint("read")
    assert heard == ["read"]
    Session().checkpoint("read")  # no hook: nothing happens

    def stop(step: str) -> None:
        raise RuntimeError(f"stopped at {step}")

    with pytest.raises(RuntimeError, match="stopped at validated"):
        Session(checkpoint=stop).checkpoint("validated")


def test_a_session_sharing_kernels_leaves_them_to_their_own_session():
    with Session(keep_kernels=True) as owner:
        with Session(kernels=owner.kernels) as sharing:
            assert sharing.kernels is owner.kernels
            assert not sharing.owns_kernels
        assert owner.owns_kernels and owner.kernels.keep


def test_settling_freezes_what_a_process_that_builds_many_reports_keeps():
    """After each build a session keeping its kernel (a batch worker) collects this process's
    garbage and freezes what is left, so later collections walk only newer objects; a
    single-report session leaves the collector alone."""
    gc.unfreeze()
    try:
        Session().settle()
        assert gc.get_freeze_count() == 0
        Session(keep_kernels=True).settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.e2e
def test_closing_a_session_shuts_its_kernel_down_unless_it_shares_it(tmp_path):
    with Session(keep_kernels=True) as owner:
        kernel = owner.kernels.start(tmp_path)
        with Session(kernels=owner.kernels):
            pass
        assert kernel.is_alive() and owner.kernels.current is kernel
    assert not kernel.is_alive() and owner.kernels.current is None
