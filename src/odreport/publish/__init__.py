"""Stage 5, publish: turn an organisation's inputs into published reports.

``pipeline`` (load, validate, derive and write the tables), ``builder`` (one report: staged,
rendered while validating, put in place at once), ``session`` (how a process builds reports and
the kernels it keeps), ``kernels``, ``speculation`` (rendering while validating), ``render``
(papermill and nbconvert), ``staging`` (commit, locks, clean-up after killed runs),
``interrupts`` (SIGINT and SIGTERM), ``files`` (atomic writes, damaged files), ``manifest``
(incremental builds), ``provenance``, ``catalogue`` (reports/index.html), ``batch`` (many reports
in worker processes), ``schedule`` (what is due before each meeting) and ``scaffold``
(``make new-org``, with ``templates/new_org``).
"""
