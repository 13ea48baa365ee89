"""A large synthetic survey input set for benchmarks, vectorised with NumPy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from odreport.demo.survey_design import (
    AGREE_OPTIONS,
    COMMENTS,
    DIRECTORATES,
    PULSE_QUESTIONS,
    SCALE,
    SERIES,
    STAFF_GROUPS,
    TEXT,
    question_row,
)


def generate_responses(n_rows: int, seed: int, waves: int = 8) -> dict[str, pd.DataFrame]:
    """A synthetic survey input set with exactly ``n_rows`` respondent-level rows.

    Tables as :func:`odreport.inputs.tables.read_inputs` gives them (``themes``, ``surveys``,
    ``survey_scales``, ``survey_questions``, ``survey_responses``; blanks as ``None``), for
    ``Inputs(org="benchmark", tables=...)``. Vectorised with NumPy (seconds for a million
    rows); strings are shared, not copied, per row.
    """
    if n_rows < 1 or waves < 1:
        raise ValueError("n_rows and waves must be at least 1")
    rng = np.random.default_rng(seed)
    refs = [q.ref for q in PULSE_QUESTIONS]
    n_q = len(refs)
    people = -(-n_rows // n_q)
    months = pd.period_range("2019-08", periods=waves, freq="3M").strftime("%Y-%m").tolist()
    ids = np.array([f"{SERIES}-{m}" for m in months], dtype=object)
    wave_of = np.sort(rng.integers(0, waves, people))
    counts = np.bincount(wave_of, minlength=waves)
    within = np.arange(people) - np.repeat(np.cumsum(counts) - counts, counts)
    respondent = np.array([f"R{i:06d}" for i in range(1, int(counts.max()) + 1)], dtype=object)
    sizes = np.array([d.headcount for d in DIRECTORATES], dtype=float)
    directorate = rng.choice(len(DIRECTORATES), people, p=sizes / sizes.sum())
    names = np.array([d.name for d in DIRECTORATES], dtype=object)
    teams = np.array([d.teams[0] if d.teams else None for d in DIRECTORATES], dtype=object)
    groups = np.array([*STAFF_GROUPS, None], dtype=object)
    group = rng.choice(len(groups), people, p=[0.24, 0.44, 0.24, 0.05, 0.03])
    answers = _answers(rng, people)
    frame = pd.DataFrame(
        {
            "survey_id": np.repeat(ids[wave_of], n_q)[:n_rows],
            "respondent_id": np.repeat(respondent[within], n_q)[:n_rows],
            "question_ref": np.tile(np.array(refs, dtype=object), people)[:n_rows],
            "answer": answers.ravel()[:n_rows],
            "directorate": np.repeat(names[directorate], n_q)[:n_rows],
            "team": np.repeat(teams[directorate], n_q)[:n_rows],
            "staff_group": np.repeat(groups[group], n_q)[:n_rows],
        },
        dtype=object,
    )
    frame["_row"] = np.arange(2, n_rows + 2, dtype="int64")
    source = f"Synthetic (odreport.demo.surveys.generate_responses, seed {seed})"
    out = {**_metadata(ids, months, counts, source), "survey_responses": frame}
    for table in out.values():
        if "_row" not in table:
            table["_row"] = np.arange(2, len(table) + 2, dtype="int64")
    return out


def _answers(rng: np.random.Generator, people: int) -> np.ndarray:
    """Each person's answer to each pulse question (``None`` when skipped or no comment)."""
    n_q = len(PULSE_QUESTIONS)
    options = np.array([None] + [o for o, _ in AGREE_OPTIONS], dtype=object)
    answers = np.empty((people, n_q), dtype=object)
    for j, q in enumerate(PULSE_QUESTIONS):
        if q.scale == TEXT:
            pool = np.array([None, *COMMENTS], dtype=object)
            pick = rng.integers(1, len(pool), people) * (rng.random(people) < 0.17)
            answers[:, j] = pool[pick]
            continue
        fav = (q.levels[0] if q.levels else q.level) / 100 * 0.92
        neu = q.neutral / 100 * 0.92
        unf = max(0.92 - fav - neu, 0.0)
        # skip, SD, D, N, A, SA, Don't know
        p = np.array([0.03, unf * 0.3, unf * 0.7, neu, fav * 0.7, fav * 0.3, 0.05])
        answers[:, j] = options[rng.choice(len(p), people, p=p / p.sum())]
    return answers


def _metadata(
    ids: np.ndarray, months: list[str], counts: np.ndarray, source: str
) -> dict[str, pd.DataFrame]:
    """The themes, surveys, scale and questions the synthetic answers belong to."""
    surveys = pd.DataFrame(
        {
            "survey_id": ids,
            "title": [f"Synthetic pulse {m}" for m in months],
            "audience": "All staff",
            "fielded": months,
            "respondents": pd.array(counts, dtype="Int64"),
            "population": pd.array([max(int(c) * 3 // 2, 1) for c in counts], dtype="Int64"),
            "series": SERIES,
            "illustrative": "yes",
            "source": source,
        }
    )
    scales = pd.DataFrame(
        {
            "scale": SCALE,
            "option": [o for o, _ in AGREE_OPTIONS],
            "option_order": pd.array(range(1, len(AGREE_OPTIONS) + 1), dtype="Int64"),
            "valence": [v for _, v in AGREE_OPTIONS],
            "source": source,
        }
    )
    questions = pd.DataFrame([question_row(SERIES, q, source) for q in PULSE_QUESTIONS])
    questions["theme_ref"] = questions["theme_ref"].replace("", None)
    questions["higher_is_better"] = questions["higher_is_better"].replace("", None)
    questions["target"] = pd.array(
        [None if q.target is None else float(q.target) for q in PULSE_QUESTIONS], dtype="Float64"
    )
    themes = pd.DataFrame(
        {
            "theme_ref": [f"T{i}" for i in range(1, 8)],
            "theme": [
                "Cultural Development",
                "Leadership Development",
                "Team Development",
                "Engagement",
                "Performance Management",
                "Learning and Development",
                "Talent Management",
            ],
        }
    )
    return {
        "themes": themes,
        "surveys": surveys,
        "survey_scales": scales,
        "survey_questions": questions,
    }
