"""Small-number suppression of survey groups: primary (fewer responses than the threshold)
and secondary (until no suppressed group can be worked out by subtraction), and the removal
of every number of a suppressed group."""

from __future__ import annotations

import pandas as pd

from odreport.metrics.survey_counts import ALL, VALENCES


def suppress(summary: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Mark the groups whose numbers must not be shown (column ``suppressed``).

    Primary: fewer than ``min_group_size`` responses. Secondary, within each breakdown (one grouping
    column of one question): while a reader could work out the suppressed groups from the
    total and the groups shown (one suppressed group, or suppressed groups that together have
    fewer than ``min_group_size`` responses), the smallest group still shown is suppressed as well.
    """
    out = summary.copy()
    out["suppressed"] = out["responses"] < min_group_size
    for _, idx in out.groupby(["survey_id", "question_ref", "group_by"]).groups.items():
        part = out.loc[idx]
        if (part["group_by"] == ALL).all():
            continue
        hidden = set(part.index[part["suppressed"]])
        while hidden and len(hidden) < len(part):
            total_hidden = int(part.loc[list(hidden), "responses"].sum())
            if len(hidden) >= 2 and total_hidden >= min_group_size:
                break
            shown = part.drop(index=list(hidden)).sort_values(["responses", "group"])
            hidden.add(shown.index[0])
        out.loc[list(hidden), "suppressed"] = True
    # a whole-survey total below the threshold hides every breakdown of it too
    overall_hidden = set(
        map(
            tuple,
            out.loc[
                (out["group_by"] == ALL) & out["suppressed"], ["survey_id", "question_ref"]
            ].values,
        )
    )
    if overall_hidden:
        keys = list(zip(out["survey_id"], out["question_ref"], strict=True))
        out.loc[[k in overall_hidden for k in keys], "suppressed"] = True
    out["suppressed"] = out["suppressed"].astype(bool)
    return out



def blank_suppressed(summary: pd.DataFrame) -> pd.DataFrame:
    """Remove every number of a suppressed group (nothing of it reaches data/processed)."""
    out = summary.copy()
    numbers = ["responses", *VALENCES, "base", "pct_favourable", "respondents", "skipped"]
    for col in numbers:
        out[col] = out[col].astype("Float64")
    out.loc[out["suppressed"], numbers] = pd.NA
    return out
