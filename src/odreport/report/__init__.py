"""Stage 4, report: the sections the report notebook shows.

``sections`` (one function per report section), ``charts`` (Altair charts as static SVG),
``present`` (escaped, accessible HTML blocks) and ``templates/`` (the nbconvert page template).

The notebook calls ``report.load``, ``report.header`` and so on; those names are looked up in
:mod:`odreport.report.sections` when first used, so importing this package stays cheap.
"""

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    """Forward the notebook's ``report.<section>`` calls to :mod:`odreport.report.sections`."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(import_module("odreport.report.sections"), name)
