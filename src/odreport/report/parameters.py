"""The report notebook's parameters, and their defaults in JupyterLab.

Papermill sets ``org``, ``period`` and ``processed_dir`` for every report: it injects their
values in a cell after the notebook's ``parameters`` cell. Opened in JupyterLab, a notebook
runs its ``parameters`` cell only, so its defaults are what it shows: ``odreport lab --org x``
(``make lab ORG=x``) prepares the organisation's derived tables and presets these defaults
through environment variables, which every kernel JupyterLab starts inherits. The report
notebook and local notebooks (``notebooks/local/<org>/``) read them the same way::

    from odreport.report.parameters import preset

    org = preset("org", "rotherham")
    period = preset("period")
    processed_dir = preset("processed_dir")
"""

from __future__ import annotations

import os

NAMES = ("org", "period", "processed_dir")
"""The parameters every report notebook (standard or local) receives."""


def variable(name: str) -> str:
    """The environment variable that presets parameter ``name``: ``ODREPORT_<NAME>``."""
    if name not in NAMES:
        raise KeyError(f"not a report parameter: {name!r} (expected one of {', '.join(NAMES)})")
    return f"ODREPORT_{name.upper()}"


def preset(name: str, default: str = "") -> str:
    """Parameter ``name`` as preset for JupyterLab (its environment variable), else
    ``default``. In a report run papermill's value, set after the parameters cell, wins."""
    return os.environ.get(variable(name)) or default
