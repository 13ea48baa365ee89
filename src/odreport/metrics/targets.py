"""Targets of self-assessments judged at the reporting date: met, missed or not yet due."""

from __future__ import annotations

import pandas as pd

from odreport.inputs.tables import ROW
from odreport.metrics.reporting_dates import period_end, year_or_month_end

MET, MISSED, NOT_YET_DUE = "met", "missed", "not yet due"


def target_status(assessments: pd.DataFrame | None, period: str) -> pd.DataFrame:
    """Assessments with a target, each judged at the reporting date: ``met`` when the score
    is at or above the target, ``missed`` when it is below and the target date ("2010" is
    31 December 2010, "2010-06" 30 June 2010) is before the reporting date, else ``not yet
    due``. The judgement is as at the assessment (column ``assessed``; ``assessment_age_months``
    says how old it is at the reporting date, from the end of its year or month);
    ``target_due`` is the date the target falls due. Rows without a target get no judgement."""
    if assessments is None or assessments.empty:
        return pd.DataFrame()
    out = assessments.drop(columns=[ROW], errors="ignore").copy()
    as_at = pd.Timestamp(period_end(period))
    ages = []
    for assessed in out.get("assessed", pd.Series(None, index=out.index)):
        when = year_or_month_end(assessed)
        ages.append(
            None if when is None else (as_at.year - when.year) * 12 + as_at.month - when.month
        )
    out["assessment_age_months"] = pd.array(ages, dtype="Int64")
    dues, statuses = [], []
    for score, target, when in zip(
        out["score"], out.get("target"), out.get("target_date"), strict=True
    ):
        due = year_or_month_end(when)
        dues.append(due.isoformat() if due else None)
        if target is None or pd.isna(target):
            statuses.append(None)
        elif not pd.isna(score) and float(score) >= float(target):
            statuses.append(MET)
        elif due is not None and pd.Timestamp(due) < as_at:
            statuses.append(MISSED)
        else:
            statuses.append(NOT_YET_DUE)
    out["target_due"] = dues
    out["target_status"] = statuses
    return out


def target_counts(judged: pd.DataFrame) -> dict[str, int]:
    """How many targets are met, missed and not yet due (zeros included)."""
    col = judged["target_status"] if "target_status" in judged else pd.Series(dtype=object)
    return {k: int((col == k).sum()) for k in (MET, MISSED, NOT_YET_DUE)}
