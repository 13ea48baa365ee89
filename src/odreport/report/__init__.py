"""Stage 4, report: what the report notebook shows.

``data`` (the derived tables, typed, as :class:`~odreport.report.data.ReportData`),
``registry`` (the sections, in order: id, title, function, when shown), the sections by
subject (``progress``, ``assurance``, ``surveys``, ``audit``), ``present`` (the data behind
tables and figures, and how numbers are written), ``templating`` (Jinja2, autoescaping),
``charts`` (Altair charts as static SVG) and ``templates/`` (the section templates, the page
template nbconvert uses, and the catalogue of reports).

The notebook calls ``report.load(folder)``, then ``report.show(report.<id>(data))`` for each
section id of :data:`odreport.report.registry.SECTIONS`. Those names are looked up when first
used, so importing this package stays cheap.
"""

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    """``report.load``, ``report.show`` and ``report.<section id>`` for the notebook."""
    if name == "load":
        return import_module("odreport.report.data").load
    if name.startswith("__"):
        raise AttributeError(name)
    registry = import_module("odreport.report.registry")
    if name == "show":
        return registry.show
    if name in registry.BY_ID:
        return registry.BY_ID[name]
    raise AttributeError(f"module 'odreport.report' has no attribute {name!r}")
