"""Survey questions as the inputs define them: each wave's questions, scales and themes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # for type hints only: no import at run time
    from odreport.inputs.tables import Inputs


TEXT_SCALE = "text"  # the scale of a free-text question


def text(value: object) -> str:
    """A cell as text: blank for missing values."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def question_map(inputs: Inputs) -> dict[tuple[str, str], dict]:
    """Metadata of every question of every survey wave, keyed by ``(survey_id, question_ref)``.

    A question row names a survey or a series; a row for the survey itself wins over one for
    its series.
    """
    surveys, questions = inputs.get("surveys"), inputs.get("survey_questions")
    if surveys is None or questions is None:
        return {}
    by_key: dict[tuple[str, str], dict] = {}
    for _, q in questions.iterrows():
        by_key[(text(q["survey"]), text(q["question_ref"]))] = {
            "question": text(q["question"]),
            "theme_ref": text(q["theme_ref"]),
            "scale": text(q["scale"]),
            "higher_is_better": text(q["higher_is_better"]) != "no",
            "target": None if pd.isna(q["target"]) else float(q["target"]),
        }
    out: dict[tuple[str, str], dict] = {}
    for _, s in surveys.iterrows():
        sid, series = text(s["survey_id"]), text(s["series"])
        for (owner, ref), meta in by_key.items():
            if (owner == series and series and (sid, ref) not in by_key) or owner == sid:
                out[(sid, ref)] = meta
    return out
