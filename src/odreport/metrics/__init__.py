"""Stage 3, metrics: what the report says, worked out from validated inputs.

``derive`` (plan progress, overdue, exceptions, coverage), ``meetings`` (calendars and papers
deadlines), ``spc`` (Making Data Count XmR rules) and ``surveys`` (results, suppression, trends).
"""
