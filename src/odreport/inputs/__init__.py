"""Stage 1, inputs: read an organisation's raw files and describe what is wrong with them.

``schema`` (the input format, from the suites' metadata), ``tables`` (CSV / Excel reading),
``problems`` (file:row:column findings), ``timescale`` (dates as plans write them) and
``surveymonkey`` (exports converted to respondent-level answers).
"""
