"""Imports a library makes eagerly but odreport never needs: deferred, or left out.

Great Expectations imports ``scipy.stats`` (for its distribution expectations) and Altair (to
draw its own result charts) when it is imported: about 1.5 s of a 4 s import, paid by every
``make report`` before validation can start, though none of our suites uses either.
:func:`defer` puts a stand-in module in ``sys.modules``: importing the name costs nothing, and
the first use of any attribute imports the real module and forwards to it, so code that does
use it still works, only later. (``importlib.util.LazyLoader`` cannot do this on Python 3.11:
the import system reads the module's ``__spec__``, which loads it at once.)

:func:`leave_out` goes further for an optional module a library uses only if it is installed:
it is treated as not installed. ``odreport/__init__.py`` leaves out ``rfc3987_syntax`` this way.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

_LOCK = threading.RLock()


class DeferredModule(types.ModuleType):
    """A stand-in for a module not imported yet: any attribute it lacks imports the real one."""

    def __getattr__(self, attr: str) -> object:
        return getattr(load(self), attr)

    def __dir__(self) -> list[str]:
        return dir(load(self))


def defer(name: str) -> bool:
    """Put a stand-in for module ``name`` in ``sys.modules``, unless it is imported already.

    Its parent packages are imported now (``scipy`` for ``scipy.stats``; cheap). Return whether
    a stand-in was installed (``False`` when the module is loaded already or does not exist).
    """
    with _LOCK:
        if name in sys.modules:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None:
            return False
        stand_in = DeferredModule(name)
        stand_in.__spec__ = spec  # what the import system reads: not initialising
        stand_in.__file__ = spec.origin
        sys.modules[name] = stand_in
        return True


def is_deferred(name: str) -> bool:
    """Whether ``name`` is still a stand-in (deferred and not used since)."""
    module = sys.modules.get(name)
    return isinstance(module, DeferredModule) and "__deferred_real__" not in module.__dict__


def load(stand_in: DeferredModule) -> types.ModuleType:
    """Import the real module behind ``stand_in`` (once) and return it."""
    with _LOCK:
        real = stand_in.__dict__.get("__deferred_real__")
        if real is not None:
            return real
        name = stand_in.__name__
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        try:
            real = importlib.import_module(name)
        except BaseException:
            sys.modules.setdefault(name, stand_in)
            raise
        # from now on the stand-in answers as the module does, without a lookup through here
        stand_in.__dict__.update(real.__dict__)
        stand_in.__dict__["__deferred_real__"] = real
        return real


def leave_out(name: str, before: str) -> bool:
    """Make ``import name`` fail as if ``name`` were not installed, unless ``before`` (the
    library that would import it) or ``name`` is imported already; return whether it was left
    out. For optional modules a library imports only when they are present, at a cost this
    process need not pay."""
    with _LOCK:
        if before in sys.modules or name in sys.modules:
            return False
        sys.modules[name] = None  # type: ignore[assignment]
        return True
