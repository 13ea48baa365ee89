"""Seeded demonstration and benchmark data; never used to build a real organisation's report.

``progress`` (illustrative progress and meeting calendars), ``surveys`` (illustrative survey
answers) and ``synthetic`` (whole synthetic organisations for ``make bench``).
"""
