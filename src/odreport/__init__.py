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

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (imported by Altair, nbformat and Great Expectations) builds ~35 Lark parsers for
# the optional ``rfc3987_syntax`` IRI checker when it is imported: 2-3 s here, paid again in
# every report kernel (jsonschema issue 1428). No schema we use has an ``iri`` format, so the
# checker is left out: jsonschema treats a missing optional checker as "format not checked".
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

try:
    __version__ = version("odreport")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
