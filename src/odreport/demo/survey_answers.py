"""Seeded answers of the illustrative surveys: respondents in directorates, teams and staff
groups, their closed answers and comments, and the pulse waves in the long form of
``survey_responses.csv``. Each draw uses its own ``random.Random`` seeded from the seed and a
label, so nothing depends on global state."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from odreport.demo.survey_design import (
    AGREE_OPTIONS,
    COMMENTS,
    COMMENTS_2020,
    DIRECTORATES,
    PERSONAL_COMMENTS,
    PRIVACY_COMMENT,
    PULSE_QUESTIONS,
    PULSE_WAVES,
    STAFF_GROUPS,
    TEXT,
)
from odreport.inputs.surveymonkey import RESPONSE_COLUMNS
from odreport.metrics import spc


def seeded_rng(seed: int, *labels: object) -> random.Random:
    """A random generator of its own for one draw, seeded from the seed and labels."""
    return random.Random(":".join([str(seed), *map(str, labels)]))


def respondents(seed: int, label: str, rate: float) -> pd.DataFrame:
    """Respondents of one survey: id, directorate, team, staff group and a mood score.

    About ``rate`` of each directorate's headcount respond (varied a little per directorate).
    """
    rng = seeded_rng(seed, label, "people")
    rows = []
    for d in DIRECTORATES:
        own = min(max(rate + rng.uniform(-0.08, 0.08), 0.3), 0.95)
        n = max(1, round(d.headcount * own))
        for _ in range(n):
            team = rng.choice(d.teams) if d.teams else None
            group = rng.choices(STAFF_GROUPS, weights=d.bands)[0]
            if rng.random() < 0.03:
                group = None  # prefer not to say
            rows.append(
                {
                    "directorate": d.name,
                    "team": team,
                    "staff_group": group,
                    "mood": d.mood + rng.gauss(0, 1),
                }
            )
    rng.shuffle(rows)
    out = pd.DataFrame(rows)
    out.insert(0, "respondent_id", [f"R{i:04d}" for i in range(1, len(out) + 1)])
    return out


def closed_answers(
    people: pd.DataFrame, percent_favourable: float, neutral: float, rng: random.Random
) -> list[str | None]:
    """Answers to one closed question: exact shares of the base, the happiest most favourable.

    A few skip (blank) or answer Don't know; of the rest, ``percent_favourable`` per cent
    (rounded) agree and ``neutral`` per cent neither agree nor disagree.
    """
    n = len(people)
    status = ["answer"] * n
    for i in range(n):
        r = rng.random()
        status[i] = "skip" if r < 0.03 else "dont" if r < 0.08 else "answer"
    base = [i for i in range(n) if status[i] == "answer"]
    fav = round(percent_favourable / 100 * len(base))
    neu = min(round(neutral / 100 * len(base)), len(base) - fav)
    unf = len(base) - fav - neu
    strong_unf = round(unf * rng.uniform(0.25, 0.4))
    strong_fav = round(fav * rng.uniform(0.25, 0.4))
    ladder = (
        ["Strongly disagree"] * strong_unf
        + ["Disagree"] * (unf - strong_unf)
        + ["Neither agree nor disagree"] * neu
        + ["Agree"] * (fav - strong_fav)
        + ["Strongly agree"] * strong_fav
    )
    score = {i: float(people["mood"].iloc[i]) + rng.gauss(0, 1.2) for i in base}
    order = sorted(base, key=lambda i: (score[i], i))
    out: list[str | None] = [None] * n
    for i in range(n):
        if status[i] == "dont":
            out[i] = "Don't know"
    for i, answer in zip(order, ladder, strict=True):
        out[i] = answer
    return out


def percent_favourable(answers: list[str | None]) -> float:
    """Percent favourable of a list of answers (Don't know and blanks out of the base)."""
    valence = dict(AGREE_OPTIONS)
    rated = [valence[a] for a in answers if a is not None and valence[a] != "excluded"]
    return 100 * rated.count("favourable") / len(rated)


def _reading(values: list[float]) -> list[str]:
    return spc.xmr(values, improvement="up").points["variation"].tolist()


def comment_answers(
    people: pd.DataFrame, pool: tuple[str, ...], extra: tuple[str, ...], rng: random.Random
) -> list[str | None]:
    """Free-text answers: about one in six comment; ``extra`` comments are placed as well."""
    out: list[str | None] = [
        rng.choice(pool) if rng.random() < 0.17 else None for _ in people.index
    ]
    free = [i for i, a in enumerate(out) if a is None]
    for text, i in zip(extra, rng.sample(free, len(extra)), strict=True):
        out[i] = text
    return out


# --- pulse waves ---------------------------------------------------------------------------


def _extras(wave_index: int) -> tuple[str, ...]:
    """Which illustrative personal-data and privacy comments each wave carries."""
    return {
        1: (PERSONAL_COMMENTS[1],),
        3: (PERSONAL_COMMENTS[0],),
        4: (PERSONAL_COMMENTS[2], PRIVACY_COMMENT),
    }.get(wave_index, ())


def pulse_waves(seed: int) -> tuple[list[pd.DataFrame], dict[str, int]]:
    """Respondents of every pulse wave, and each wave's response count."""
    people = []
    for w in PULSE_WAVES:
        rate = seeded_rng(seed, w.survey_id, "rate").uniform(0.55, 0.70)
        people.append(respondents(seed, w.survey_id, rate))
    return people, {w.survey_id: len(p) for w, p in zip(PULSE_WAVES, people, strict=True)}


def pulse_answers(seed: int, people: list[pd.DataFrame]) -> dict[str, list[list[str | None]]]:
    """Every pulse question's answers per wave, following each question's design.

    Common-cause questions draw a steady level with a small wobble per wave; a draw whose XmR
    reading (or its theme's pooled reading) shows special cause is drawn again, so only the
    designed question shows special cause.
    """
    out: dict[str, list[list[str | None]]] = {}
    for q in PULSE_QUESTIONS:
        if q.scale == TEXT:
            out[q.ref] = [
                comment_answers(
                    p,
                    COMMENTS + (COMMENTS_2020 if w.fielded >= "2020-04" else ()),
                    _extras(i),
                    seeded_rng(seed, w.survey_id, q.ref),
                )
                for i, (w, p) in enumerate(zip(PULSE_WAVES, people, strict=True))
            ]
            continue
        for attempt in range(100):
            rng = seeded_rng(seed, q.ref, attempt)
            levels = q.levels or tuple(q.level + rng.uniform(-3, 3) for _ in PULSE_WAVES)
            waves = [
                closed_answers(p, level, q.neutral, rng)
                for p, level in zip(people, levels, strict=True)
            ]
            reading = _reading([percent_favourable(a) for a in waves])
            theme = [k for k in PULSE_QUESTIONS if k.theme == q.theme and k.ref in out]
            pooled = _reading(
                [
                    _pooled([out[k.ref][i] for k in theme] + [waves[i]])
                    for i in range(len(PULSE_WAVES))
                ]
            )
            if q.levels is not None:
                ok = reading[-1] == spc.IMPROVEMENT and spc.CONCERN not in reading
            else:
                ok = set(reading) | set(pooled) == {spc.COMMON}
            if ok:
                out[q.ref] = waves
                break
        else:  # pragma: no cover - the design makes this unreachable
            raise RuntimeError(f"could not generate {q.ref} to its design")
    return out


def _pooled(answer_lists: list[list[str | None]]) -> float:
    return percent_favourable([a for answers in answer_lists for a in answers])


def long_form(survey_id: str, people: pd.DataFrame, answers: dict[str, list]) -> pd.DataFrame:
    """Respondent-level rows: one per respondent and question, respondents in order."""
    refs = list(answers)
    n = len(people)
    frame = pd.DataFrame(
        {
            "survey_id": survey_id,
            "respondent_id": np.repeat(people["respondent_id"].to_numpy(), len(refs)),
            "question_ref": np.tile(np.array(refs, dtype=object), n),
            "answer": [answers[r][i] for i in range(n) for r in refs],
            "directorate": np.repeat(people["directorate"].to_numpy(), len(refs)),
            "team": np.repeat(people["team"].to_numpy(), len(refs)),
            "staff_group": np.repeat(people["staff_group"].to_numpy(), len(refs)),
        }
    )
    return frame[RESPONSE_COLUMNS].astype(object)
