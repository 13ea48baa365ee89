"""Ctrl-C and ``kill``: a run stops within seconds, cleans up, and changes nothing.

:func:`stop_on_signals` turns SIGINT and SIGTERM into an :class:`Interrupted` exception in the
main thread, wherever it is (validating, waiting for the kernel, ...), so that the run's
``finally`` blocks remove what it staged and stop its kernel; the command line then exits
130 or 143. Inside :func:`deferred` (the few renames that put a finished report in place) a
signal is acted on only at the end, so an interrupted run is either wholly done or not at all.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal. A ``KeyboardInterrupt``, so that nothing that catches
    ``Exception`` swallows it; ``exit_code`` is the shell's: 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


class _Handler:
    """The signal handler :func:`stop_on_signals` installs (its state lives in the handler)."""

    def __init__(self) -> None:
        self.deferring = 0
        self.pending: int | None = None

    def __call__(self, signum: int, frame: object) -> None:
        if self.deferring:
            self.pending = self.pending or signum
            return
        raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread;
    the previous handlers are restored after it. Outside the main thread it does nothing
    (only the main thread can handle signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = _Handler()
    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def deferred() -> Iterator[None]:
    """A block no signal cuts short: one arriving meanwhile raises :class:`Interrupted` when
    the block ends. Without :func:`stop_on_signals` in force it changes nothing."""
    handler = signal.getsignal(signal.SIGINT)
    if not isinstance(handler, _Handler):
        yield
        return
    handler.deferring += 1
    try:
        yield
    finally:
        handler.deferring -= 1
        if not handler.deferring and handler.pending is not None:
            signum, handler.pending = handler.pending, None
            raise Interrupted(signum)
