"""Stage 5, publish: turn an organisation's inputs into published reports.

``pipeline`` (validate, derive, render one report), ``render`` (papermill and nbconvert),
``manifest`` (incremental builds), ``provenance``, ``catalogue`` (reports/index.html), ``batch``
(many reports in worker processes), ``schedule`` (what is due before each meeting) and
``scaffold`` (``make new-org``, with ``templates/new_org``).
"""
