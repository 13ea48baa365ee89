"""Disclosure control over everything a report publishes about a survey, and its audit.

A report publishes many figures about the same respondents: overall results, results by
directorate, by team and by staff group (teams sit inside directorates), each answer's count,
respondents and skipped answers per group, comment counts, and the same figures again in the
trends and theme evidence. Suppressing each breakdown on its own is not enough: a suppressed
team is its directorate minus the other teams shown. So the figures are treated as one system.

**The system.** For one survey, the unknowns are the counts of the finest cells a reader could
reason about: for each question, each answer option (and "no answer"), and each combination of
directorate, team and staff group that occurs (a reader is assumed to know which teams sit in
which directorate), the number of respondents who gave that answer; and for each combination
its number of respondents. Every published figure is a sum of such counts, so it is a linear
equation; all counts are at least zero; and each respondent answers each question once (a
combination's answers and non-answers to a question add up to its respondents).

**The audit.** For every suppressed group of every question, its number of responses is
minimised and maximised subject to every published equation (a linear programme, solved with
:func:`scipy.optimize.linprog` and HiGHS). The group is protected when the range, rounded
inwards to whole numbers, is at least the threshold wide; a group suppressed in every
question has its number of respondents audited the same way. Ranges are first bracketed with
a few probe solutions (any solution is a set of counts consistent with everything published,
so the values it gives are possible); only groups the probes do not prove wide enough are
solved on their own. The linear programme allows fractions, so a range it finds can be a
little wider than the whole-number range; never narrower.

Numbers a reader could derive from others (percentages and their bases, theme scores pooled
over questions, trends and evidence repeating the overall results) are checked to be exactly
the published counts' consequences; a figure that is not, or a suppressed group with any
number left, fails the audit. :func:`audit_published` raises :class:`DisclosureError` (exit
code 1) when anything fails: nothing is published.

:func:`more_suppression` names the groups to suppress next when the audit fails (a group of
the same breakdown that shares the published total the suppressed one was worked out from,
else that total itself), so the caller suppresses until the audit passes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.tables import Inputs
from odreport.metrics import secondary_suppression
from odreport.metrics.disclosure_solver import solve
from odreport.metrics.disclosure_terms import (
    ALL,
    GROUPINGS,
    NOT_STATED,
    RESPONDENTS,
    RESPONSES,
    AuditResult,
    DisclosureError,
    Finding,
    Target,
    flag,
    number,
    text,
)
from odreport.metrics.published_equations import (
    derived_findings,
    survey_equations,
    survey_rows,
)
from odreport.metrics.secondary_suppression import suppress_across
from odreport.metrics.survey_system import SurveySystem, respondent_groups

__all__ = [
    "ALL",
    "GROUPINGS",
    "NOT_STATED",
    "AuditResult",
    "DisclosureError",
    "Finding",
    "SurveySystem",
    "Target",
    "audit",
    "audit_published",
    "more_suppression",
    "respondent_groups",
    "suppress_across",
    "systems",
]


def systems(inputs: Inputs, survey_ids: Iterable[str]) -> dict[str, SurveySystem]:
    """The system of every survey in ``survey_ids`` with respondent-level answers."""
    responses = inputs.get("survey_responses")
    if responses is None or responses.empty:
        return {}
    wanted = set(survey_ids)
    text = {k for k, m in question_map(inputs).items() if m["scale"] == TEXT_SCALE}
    out = {}
    for sid, rows in responses[responses["survey_id"].isin(wanted)].groupby("survey_id", sort=True):
        out[str(sid)] = SurveySystem(str(sid), rows, {q for s, q in text if s == sid})
    return out


def answer_valences(inputs: Inputs) -> dict[tuple[str, str, str], str]:
    """``(survey_id, question_ref, option) -> valence`` from the questions and scales."""
    scales = inputs.get("survey_scales")
    if scales is None:
        return {}
    by_scale = {
        (text(r["scale"]), text(r["option"])): text(r["valence"]) for _, r in scales.iterrows()
    }
    out = {}
    for (sid, q), meta in question_map(inputs).items():
        for (scale, option), valence in by_scale.items():
            if scale == meta["scale"]:
                out[(sid, q, option)] = valence
    return out


def audit(
    tables: Mapping[str, pd.DataFrame],
    inputs: Inputs,
    min_group_size: int,
    built: Mapping[str, SurveySystem] | None = None,
) -> AuditResult:
    """Audit the survey tables a report publishes (see the module's description).

    ``built`` may hold the surveys' systems already made by :func:`systems` from ``inputs``.
    """
    result = AuditResult(min_group_size)
    summary = tables.get("survey_summary")
    result.findings.extend(derived_findings(tables))
    if summary is None or summary.empty:
        return result
    ids = sorted({text(s) for s in summary["survey_id"]})
    if built is None:
        built = systems(inputs, ids)
    valences = answer_valences(inputs)
    for sid in ids:
        if sid not in built:
            result.findings.extend(_aggregate_findings(tables, sid, min_group_size, result))
            continue
        published = survey_equations(built[sid], tables, valences)
        result.findings.extend(published.findings)
        result.audited += len(published.targets)
        result.equations += len(published.equations)
        solve(built[sid], published, min_group_size, result)
    return result


def _aggregate_findings(
    tables: Mapping[str, pd.DataFrame], sid: str, min_group_size: int, result: AuditResult
) -> list[Finding]:
    """A survey known only from its published aggregates has no breakdown: a suppressed
    question is protected when nothing repeats it (checked with the derived figures) and the
    survey's respondents (its upper bound) are not below the threshold."""
    summary = survey_rows(tables.get("survey_summary"), sid)
    overview = survey_rows(tables.get("survey_overview"), sid)
    respondents = None
    if not overview.empty:
        respondents = number(overview.iloc[0].get(RESPONDENTS))
    out = []
    for r in summary.itertuples(index=False):
        if not flag(r.suppressed):
            continue
        if text(r.group_by) != ALL:
            out.append(Finding(None, 0, 0, f"survey {sid}: a breakdown of published aggregates"))
            continue
        target = Target(sid, text(r.question_ref), ALL, ALL, RESPONSES)
        high = math.inf if respondents is None else respondents
        result.audited += 1
        result.widths[target] = high
        if high < min_group_size:
            out.append(Finding(target, 0, high))
    return out


def audit_published(
    tables: Mapping[str, pd.DataFrame],
    inputs: Inputs,
    min_group_size: int,
    built: Mapping[str, SurveySystem] | None = None,
) -> AuditResult:
    """Audit the survey tables a report publishes (``survey_summary``, ``survey_options``,
    ``survey_overview``, ``survey_comments``, ``survey_trends``, ``survey_evidence``,
    ``survey_published``, ``survey_checks``: as derived, or read back from
    ``data/processed``) against the inputs they were made from.

    Raises :class:`DisclosureError` naming the problems if a suppressed figure can be worked
    out to a range narrower than ``min_group_size`` or a published figure repeats a
    suppressed one; returns the result (figures audited, narrowest range) otherwise.
    """
    result = audit(tables, inputs, min_group_size, built)
    if not result.passed:
        lines = [f.line() for f in result.findings]
        raise DisclosureError(
            "survey disclosure audit failed: "
            + "; ".join(lines[:5])
            + (f" (and {len(lines) - 5} more)" if len(lines) > 5 else ""),
            result,
        )
    return result


def more_suppression(
    result: AuditResult,
    summary: pd.DataFrame,
    inputs: Inputs,
    built: Mapping[str, SurveySystem] | None = None,
) -> set[tuple[str, str, str, str]]:
    """Groups ``(survey_id, question_ref, group_by, group)`` to suppress next after a failed
    audit (:func:`odreport.metrics.secondary_suppression.more_suppression`); ``built`` may
    hold the surveys' systems already made by :func:`systems` from ``inputs``."""
    if built is None:
        targets = [f.target for f in result.findings if f.target is not None]
        built = systems(inputs, {t.survey_id for t in targets})
    return secondary_suppression.more_suppression(result, summary, built)
