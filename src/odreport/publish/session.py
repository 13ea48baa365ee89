"""How a process builds its reports, and what it keeps from one report to the next.

A :class:`Session` is made by whoever runs reports (the command line for one report, each batch
worker for many, a test) and passed to :func:`odreport.publish.builder.build`; it owns the
process's kernels (:class:`odreport.publish.kernels.Kernels`) and says how to go about a
build. Use it as a context manager: leaving it shuts its kernel down.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from odreport.publish.kernels import Kernels

LOCK_WAIT_S = 600.0


class Session:
    """The settings and kept state of the builds one process runs.

    - ``keep_kernels``: keep one kernel for every report (a batch worker: start-up and imports
      paid once), emptied before each; otherwise each report gets a kernel of its own.
    - ``speculate``: render the report while the inputs are validated, keeping it only if
      validation agrees (:mod:`odreport.publish.speculation`).
    - ``validate_apart``: while rendering meanwhile, validate in a process of its own (best in
      a fresh single-report process; a process that validates many times, or has imported
      Great Expectations already, validates faster in-process).
    - ``checkpoint``: called with the name of each step a build reaches (``read``,
      ``validated``, ``rendered``, ``index-staged``, ...; those of the report rendered during
      validation start with ``ahead:``, from its own thread). A seam for tests and fault
      injection: whatever it raises (or a signal it sends) stops the build there.
    - ``cache_validation``: take validation results of inputs validated before, unchanged, from
      the project's cache (:mod:`odreport.checks.cache`), and record new ones there; off, the
      inputs are validated every time (profiles, benchmarks of validation itself).
    - ``lock_wait``: how long to wait for another run building the same organisation and
      period before giving up.
    - ``kernels``: the kernels of another session, to share its kept kernel (closing this
      session then leaves them running; their own session shuts them down).
    """

    def __init__(
        self,
        *,
        keep_kernels: bool = False,
        speculate: bool = True,
        validate_apart: bool = False,
        cache_validation: bool = True,
        checkpoint: Callable[[str], None] | None = None,
        lock_wait: float = LOCK_WAIT_S,
        kernels: Kernels | None = None,
    ) -> None:
        self.owns_kernels = kernels is None
        self.kernels = Kernels(keep=keep_kernels) if kernels is None else kernels
        self.speculate = speculate
        self.validate_apart = validate_apart
        self.cache_validation = cache_validation
        self.hook = checkpoint
        self.lock_wait = lock_wait

    def checkpoint(self, name: str) -> None:
        """Tell the ``checkpoint`` hook, if any, that the build has reached ``name``."""
        if self.hook is not None:
            self.hook(name)

    def settle(self) -> None:
        """After a build in a session that keeps its kernel (a process that builds many
        reports): this process's garbage collected and every object left (the libraries, Great
        Expectations' suites, caches) moved out of the collector's sight (``gc.freeze``), so
        that later collections walk only what is newer; in another session, nothing."""
        if self.kernels.keep:
            gc.collect()
            gc.freeze()

    def close(self) -> None:
        """Shut down the session's kernel (unless it shares another session's)."""
        if self.owns_kernels:
            self.kernels.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
