"""Rendering while validating: work done before validation ends, kept only if it agrees.

Validation (Great Expectations) and the notebook's run take about the same time, so on two
cores they overlap: :class:`Speculation` derives and renders the report in a thread while the
main thread validates. The report must list validation's warnings, which are not known yet,
so it assumes those of the last build of the same report; :meth:`Speculation.take` keeps the
result only if validation passed and found exactly those. Nothing it writes is in place
before then: it writes into the run's staging folder (:mod:`odreport.publish.staging`). When
validation fails the work is stopped at once (:meth:`Speculation.abandon`: its kernel
killed), so the analyst waits for nothing more.

In a fresh single-report process Great Expectations is best imported and run in a process of
its own (:func:`validate_in_child`), so that it has the second core instead of taking turns
with the render for this process's interpreter lock.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from odreport.errors import OdReportError
from odreport.inputs.problems import Problem
from odreport.inputs.tables import Inputs
from odreport.publish.interrupts import deferred
from odreport.publish.session import Session

log = logging.getLogger(__name__)

T = TypeVar("T")

# Above this size of raw inputs a report is not rendered during validation: validation is then
# most of the time anyway, and the render of data not yet validated (a runaway file of a million
# rows, say) could cost far more than it saves.
MAX_INPUT_BYTES = 5 * 1024 * 1024

KEPT = "kept"
DROPPED = "dropped"
OTHER_WARNINGS = "validation found other warnings than those assumed"


def worth_it(raw_files: list[Path], inputs: Inputs) -> bool:
    """Whether to render during validation: the inputs could all be read and are no larger
    than :data:`MAX_INPUT_BYTES`."""
    if any(p.is_critical for p in inputs.problems):
        return False
    return sum(p.stat().st_size for p in raw_files) <= MAX_INPUT_BYTES


class Speculation(Generic[T]):
    """``work(cancel)`` run in a thread of its own, its result kept or dropped later.

    ``discard`` removes what the work wrote, when its result is dropped. ``outcome`` says what
    happened: ``""`` while undecided, :data:`KEPT`, or ``"dropped: <why>"``.
    """

    def __init__(
        self,
        session: Session,
        work: Callable[[threading.Event], T],
        discard: Callable[[], None],
        name: str = "",
    ) -> None:
        self.session = session
        self.work, self.discard, self.name = work, discard, name
        self.result: T | None = None
        self.failed = ""  # why the work failed
        self.outcome = ""
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="odreport-speculation", daemon=True)
        # Set when the work has ended. Waited for instead of ``thread.join()``: on Python 3.11
        # a join cut short by a signal marks the thread as ended though it still runs.
        self.done = threading.Event()

    def start(self) -> Speculation[T]:
        """Start the work; return ``self``."""
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = self.work(self.cancel)
        except BaseException as exc:  # unvalidated inputs may break anything: built again later
            self.failed = f"{exc.__class__.__name__}: {exc}"
        finally:
            self.done.set()

    def take(self, agrees: bool) -> T | None:
        """The work's result if validation ``agrees`` with what it assumed and the work
        succeeded; else ``None``, with everything it wrote removed."""
        if not agrees:
            return self._drop(OTHER_WARNINGS)
        self.done.wait()
        if self.failed or self.result is None:
            return self._drop(f"it failed ({self.failed or 'nothing rendered'})")
        self.outcome = KEPT
        log.debug("%s: report rendered during validation kept", self.name)
        return self.result

    def _drop(self, why: str) -> None:
        self.outcome = f"{DROPPED}: {why}"
        log.debug("%s: report rendered during validation dropped: %s", self.name, why)
        self.abandon()  # the inputs are valid: the kernel it ran in renders the report next
        return None

    def abandon(self, stop: bool = False) -> None:
        """Drop the work's result and remove what it wrote; with ``stop``, stop it first
        rather than wait for it to finish (invalid inputs, or an interrupted run): its kernel
        is killed."""
        if stop and not self.done.is_set():
            with deferred():  # a second or so; a second Ctrl-C must not cut it short
                self.cancel.set()
                self.session.kernels.kill()
                self.done.wait()
        self.done.wait()
        self.outcome = self.outcome or f"{DROPPED}: stopped"
        self.discard()


def validate_in_child(inputs: Inputs, expectations: Path) -> list[Problem]:
    """:func:`odreport.checks.validate.validate_inputs` in a new process, on the same (pickled)
    inputs. Stopping this process (an exception here, e.g. an interrupt) stops the child."""
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe(duplex=False)
    child = context.Process(
        target=_validate_child, args=(there, inputs, expectations), name="odreport-validate"
    )
    child.daemon = True
    with deferred():  # an interrupt cutting the inputs' transfer short would upset the child
        child.start()
    there.close()
    try:
        kind, value = here.recv()
    except EOFError:
        raise OdReportError("the validation process ended without a result") from None
    except BaseException:
        child.kill()
        raise
    finally:
        here.close()
        child.join(timeout=10)
    if kind == "error":
        raise value
    return value


def _validate_child(conn, inputs: Inputs, expectations: Path) -> None:
    """In the validation process: validate, send the problems (or the error) and leave at
    once (its interpreter's tear-down would only delay the parent's exit)."""
    try:
        from odreport.checks.validate import validate_inputs

        conn.send(("ok", validate_inputs(inputs, expectations)))
    except BaseException as exc:
        if not isinstance(exc, OdReportError):
            exc = OdReportError(f"validation failed: {exc.__class__.__name__}: {exc}")
        conn.send(("error", exc))
    finally:
        conn.close()
        atexit._run_exitfuncs()  # e.g. multiprocessing's finalizers (a lock tqdm made)
        os._exit(0)
