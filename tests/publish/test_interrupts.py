"""SIGINT and SIGTERM (odreport.publish.interrupts): raised where the run is, or deferred."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from odreport.publish.interrupts import Interrupted, deferred, stop_on_signals


def _signal_self(signum: int) -> None:
    os.kill(os.getpid(), signum)
    time.sleep(1)  # the handler runs before this returns


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_raises_interrupted_with_the_shells_exit_code(signum, code):
    with pytest.raises(Interrupted) as caught, stop_on_signals():
        _signal_self(signum)
    assert caught.value.signum == signum and caught.value.exit_code == code
    assert isinstance(caught.value, KeyboardInterrupt)  # never swallowed by `except Exception`
    assert str(caught.value) == f"stopped by {signal.Signals(signum).name}"


def test_the_previous_handlers_are_back_afterwards():
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_inside_a_deferred_block_is_acted_on_at_its_end():
    steps = []
    with pytest.raises(Interrupted) as caught, stop_on_signals():
        with deferred():
            _signal_self(signal.SIGTERM)
            steps.append("finished the block")
        steps.append("after the block")
    assert steps == ["finished the block"]
    assert caught.value.signum == signal.SIGTERM


def test_deferred_blocks_nest_and_without_handlers_change_nothing():
    with stop_on_signals(), deferred(), deferred():
        pass  # no signal: nothing raised
    with deferred():  # no handler installed: a plain block
        pass


def test_outside_the_main_thread_nothing_is_installed():
    seen = []

    def run():
        with stop_on_signals():
            seen.append(signal.getsignal(signal.SIGINT))

    before = signal.getsignal(signal.SIGINT)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [before]
