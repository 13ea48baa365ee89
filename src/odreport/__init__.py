"""odreport: reproducible governance progress reports for NHS organisational development plans.

One subpackage per pipeline stage, each importing only from the stages before it::

    inputs    read CSV / Excel inputs, the input format, problems, timescales, SurveyMonkey
    checks    run the Great Expectations suites on the inputs
    metrics   plan progress, meetings, Making Data Count (SPC), survey results
    report    the sections the report notebook shows, charts and HTML building blocks
    publish   the pipeline: validate, derive, render, catalogue, batch and scheduled runs
    demo      seeded illustrative and synthetic data (demonstration and benchmark only)

with ``errors`` and ``paths`` shared by all, and ``cli`` (the ``odreport`` command) on top.
"""

from importlib.metadata import PackageNotFoundError, version

from odreport.checks.deferred import leave_out

# jsonschema (imported by Altair, nbformat and Great Expectations) builds ~35 Lark parsers for
# the optional ``rfc3987_syntax`` IRI checker when it is imported: 2-3 s here, paid again in
# every report kernel (jsonschema issue 1428). No schema we use has an ``iri`` format, so the
# checker is left out: jsonschema treats a missing optional checker as "format not checked".
leave_out("rfc3987_syntax", before="jsonschema")

try:
    __version__ = version("odreport")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
