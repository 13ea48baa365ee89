"""Stage 2, checks: the Great Expectations suites in ``expectations/`` run on the inputs.

``validate`` runs the suites and phrases each failure as a :class:`~odreport.inputs.problems.Problem`;
``deferred`` keeps Great Expectations from importing modules our suites never use.
"""
