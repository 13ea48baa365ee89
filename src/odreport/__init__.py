"""odreport: reproducible governance progress reports for NHS organisational development plans.

The package holds the pipeline, one module per job::

    tables     read raw CSV / Excel inputs robustly
    timescale  parse plan timescales as written ("April/May 2016", "On-going", ...)
    validate   check inputs before anything is derived
    derive     metrics and derived tables per organisation and period
    charts     Altair charts, rendered to static SVG
    present    accessible, escaped HTML blocks for the report notebook
    provenance checksums, code version and parameters of a report
    render     execute the notebook with papermill, export HTML with nbconvert
    cli        the ``odreport`` command the Makefile calls
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("odreport")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
