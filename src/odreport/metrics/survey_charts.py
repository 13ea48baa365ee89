"""Chart data of survey results: diverging stacked bars (unfavourable left of zero,
favourable right, neutral centred) and the questions' axis labels."""

from __future__ import annotations

import pandas as pd

from odreport.metrics.survey_counts import FAVOURABLE, NEUTRAL, UNFAVOURABLE

_SIDE_RANK = {UNFAVOURABLE: 0, NEUTRAL: 1, FAVOURABLE: 2}


def short_question(ref: str, question: str, limit: int = 48) -> str:
    """A question's label for a chart axis: its ref and the grid item or the start of the text."""
    text = question.split(" — ")[-1] if " — " in question else question
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{ref} {text}".strip()


def diverging_segments(options: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Bar segments for a diverging stacked bar of each question (one group's results).

    Each option's share of the base (favourable + neutral + unfavourable) becomes a segment
    from ``start`` to ``end`` on a −100…100 axis: unfavourable options left of zero, favourable
    right, neutral centred on zero. Excluded options ("Don't know") and skipped answers are not
    segments; they are reported beside the bars.
    """
    columns = [
        "question_ref",
        "label",
        "option",
        "valence",
        "option_order",
        "percent",
        "start",
        "end",
        "rank",
    ]
    rated = options[options["valence"].isin(list(_SIDE_RANK))].copy()
    if rated.empty:
        return pd.DataFrame(columns=columns)
    bases = summary.set_index(["survey_id", "question_ref", "group_by", "group"])["base"]
    rows = []
    for key, part in rated.groupby(["survey_id", "question_ref", "group_by", "group"], sort=False):
        base = bases.get(key)
        if base is None or pd.isna(base) or not base:
            continue
        part = part.assign(rank=part["valence"].map(_SIDE_RANK)).sort_values(
            ["rank", "option_order"]
        )
        shares = 100 * part["count"] / float(base)
        left = -(
            shares[part["valence"] == UNFAVOURABLE].sum()
            + shares[part["valence"] == NEUTRAL].sum() / 2
        )
        question = summary.loc[
            (summary["survey_id"] == key[0]) & (summary["question_ref"] == key[1]), "question"
        ].iloc[0]
        for (_, opt), share in zip(part.iterrows(), shares, strict=True):
            rows.append(
                {
                    "question_ref": key[1],
                    "label": short_question(key[1], str(question)),
                    "option": opt["option"],
                    "valence": opt["valence"],
                    "option_order": int(opt["option_order"]),
                    "percent": float(share),
                    "start": float(left),
                    "end": float(left + share),
                    "rank": int(opt["rank"]),
                }
            )
            left += share
    return pd.DataFrame(rows, columns=columns)
