"""Seeded illustrative staff surveys for demonstration (Nottingham's pulse and staff surveys).

Nottingham and Nottinghamshire CCGs' OD strategy plans quarterly pulse surveys and an annual
staff survey (Appendix 1, Engagement: "Administer Pulse Surveys (quarterly) and Staff Surveys
(annually)"; OD Timeline row "Pulse Survey and Staff Survey": "Send out survey and analyse
results" in August 2019, December 2019 and April 2020) but publishes no results. The results
here are generated, deterministically from a seed, and every survey row says so
(``illustrative`` = yes, ``source`` names the script and seed).

What the generated data is built to show:

- five pulse waves (series ``pulse``): the timeline's three months, then quarterly to October
  2020, the last demonstration reporting period;
- one question (clear objectives, theme T5) improves after the merger: its latest waves are
  special-cause improvement on an XmR chart; the others vary by common cause only;
- directorates of very different sizes, two of them with fewer than 11 respondents, so
  small-number suppression shows;
- free-text comments, some holding an (illustrative) e-mail address or UK telephone number,
  so redaction shows; every comment is plausible staff text (hostile strings, such as
  ``<script>``, belong in the tests, never in demonstration data a report prints);
- the annual staff survey as a SurveyMonkey export (personal-data columns filled with
  obviously fake values), converted by :mod:`odreport.inputs.surveymonkey` like a real one.

All functions are pure except :func:`write_demo_surveys`, which writes the files. Each draw
uses its own ``random.Random`` seeded from the seed and a label, so nothing depends on global
state. :func:`generate_responses` builds a large synthetic input set quickly (vectorised) for
benchmarks.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from odreport.inputs.surveymonkey import (
    METADATA_HEADERS,
    RESPONSE_COLUMNS,
    convert,
    merge_responses,
    write_responses,
)
from odreport.metrics import spc

SCALE = "agree-5"
TEXT = "text"
AGREE_OPTIONS: tuple[tuple[str, str], ...] = (
    ("Strongly disagree", "unfavourable"),
    ("Disagree", "unfavourable"),
    ("Neither agree nor disagree", "neutral"),
    ("Agree", "favourable"),
    ("Strongly agree", "favourable"),
    ("Don't know", "excluded"),
)
SURVEY_COLUMNS = [
    "survey_id",
    "title",
    "audience",
    "fielded",
    "respondents",
    "population",
    "series",
    "illustrative",
    "source",
]
SCALE_COLUMNS = ["scale", "option", "option_order", "valence", "source"]
QUESTION_COLUMNS = [
    "survey",
    "question_ref",
    "question",
    "theme_ref",
    "scale",
    "higher_is_better",
    "target",
    "source",
]
PLAN = "Nottingham and Nottinghamshire CCGs OD Strategy 2019-2021"
SERIES = "pulse"
STAFF_SURVEY = "staff-2019"
EXPORT_NAME = f"exports/{STAFF_SURVEY}-surveymonkey.csv"


@dataclass(frozen=True)
class Directorate:
    """An illustrative directorate: headcount, teams, and how its staff groups are spread."""

    name: str
    headcount: int
    teams: tuple[str, ...]
    bands: tuple[float, float, float, float]  # Band 1-4, 5-7, 8a-8b, 8c and above
    mood: float  # how favourably its staff answer, relative to others


STAFF_GROUPS = ("Band 1-4", "Band 5-7", "Band 8a-8b", "Band 8c and above")
# circa 500 employees (section 1); two directorates are tiny on purpose (suppression).
DIRECTORATES: tuple[Directorate, ...] = (
    Directorate(
        "Commissioning",
        150,
        ("Planned Care", "Urgent and Emergency Care", "Mental Health and Children"),
        (0.20, 0.45, 0.28, 0.07),
        0.0,
    ),
    Directorate(
        "Finance and Contracting", 80, ("Finance", "Contracting"), (0.30, 0.45, 0.2, 0.05), -0.2
    ),
    Directorate(
        "Corporate Services",
        75,
        ("HR and OD", "Governance", "Communications and Engagement"),
        (0.35, 0.40, 0.2, 0.05),
        0.3,
    ),
    Directorate(
        "Primary Care",
        70,
        ("Primary Care Commissioning", "Medicines Optimisation"),
        (0.2, 0.5, 0.25, 0.05),
        0.1,
    ),
    Directorate("Nursing and Quality", 70, ("Quality", "Safeguarding"), (0.1, 0.5, 0.3, 0.1), -0.1),
    Directorate("Strategy and Transformation", 45, ("Strategy",), (0.15, 0.45, 0.3, 0.1), 0.2),
    Directorate("Executive Office", 9, (), (0.4, 0.0, 0.0, 0.6), 0.4),
    Directorate("Clinical Leadership", 7, (), (0.0, 0.0, 0.3, 0.7), 0.0),
)
POPULATION = sum(d.headcount for d in DIRECTORATES)


@dataclass(frozen=True)
class Question:
    """An illustrative question: wording, theme, target and the design of its results.

    ``levels`` is the designed percent favourable per wave; ``None`` means a steady level
    ``level`` with common-cause wobble drawn from the seed.
    """

    ref: str
    text: str
    theme: str
    why: str  # the plan outcome the question evidences
    level: float = 0.0
    neutral: float = 20.0
    target: float | None = None
    levels: tuple[float, ...] | None = None
    scale: str = SCALE


PULSE_QUESTIONS: tuple[Question, ...] = (
    Question(
        "Q1",
        "The CCG is developing a respectful, compassionate and inclusive culture",
        "T1",
        "section 4 Cultural Development outcome 'A shared culture that is compassionate, "
        "diverse and inclusive'",
        58,
    ),
    Question(
        "Q2",
        "My line manager gives me regular, helpful feedback",
        "T2",
        "Appendix 1 Leadership Development action 'Develop line managers skills in coaching, "
        "mentoring and giving feedback'",
        66,
        18,
    ),
    Question(
        "Q3",
        "I have strong, trusting working relationships with colleagues in my team",
        "T3",
        "section 4 Team Development outcome 'strong, effective and trusting relationships'",
        74,
        15,
    ),
    Question(
        "Q4",
        "I feel well informed about the merger and what it means for me",
        "T4",
        "section 4 Engagement outcome 'A fully engaged workforce who are well informed'",
        52,
        22,
        target=70,
    ),
    Question(
        "Q5",
        "I feel able to influence decisions that affect my work",
        "T4",
        "section 4 Engagement outcome '... and can demonstrate influence'",
        45,
        25,
    ),
    Question(
        "Q6",
        "I have clear objectives that link to the CCG's strategic objectives",
        "T5",
        "section 4 Performance Management outcome 'clear objectives linked to the strategic "
        "objectives'",
        neutral=20,
        target=75,
        # designed to improve after the merger (1 April 2020) as the new performance
        # management process and team objective-setting workshops take effect: by October
        # 2020 the latest wave is above the upper process limit (a rise over the last two
        # waves only would be too few points for the reference's 2-of-3 rule, which needs
        # three points on the same side of the mean)
        levels=(40, 41, 41, 43, 58),
    ),
    Question(
        "Q7",
        "I can access the learning and development I need to do my job well",
        "T6",
        "section 4 Learning and Development outcome 'learning opportunities/materials being "
        "accessed'",
        61,
    ),
    Question(
        "Q8",
        "I can see opportunities to develop my career in the CCG or the wider system",
        "T7",
        "section 4 Talent Management outcome 'Developmental opportunities are maximised'",
        38,
        27,
    ),
    Question(
        "Q9",
        "Is there anything else you would like to tell us?",
        "",
        "",
        scale=TEXT,
    ),
)

STAFF_GRID = (
    "Thinking about the CCG as a place to work, how far do you agree or disagree with each of "
    "the following?"
)
STAFF_QUESTIONS: tuple[Question, ...] = (
    Question(
        "Q1a",
        f"{STAFF_GRID} — I would recommend the CCG as a place to work",
        "T1",
        "section 2 National Drivers 'Make the NHS the best place to work'",
        55,
    ),
    Question(
        "Q1b",
        f"{STAFF_GRID} — Senior leaders show the behaviours they expect of others",
        "T2",
        "section 4 Leadership Development outcome 'Leadership and management "
        "developed/enhanced at every level'",
        48,
        26,
    ),
    Question(
        "Q1c",
        f"{STAFF_GRID} — Members of my team trust and support one another",
        "T3",
        "section 4 Team Development outcome 'strong, effective and trusting relationships'",
        72,
        16,
    ),
    Question(
        "Q1d",
        f"{STAFF_GRID} — My last appraisal helped me agree clear objectives",
        "T5",
        "Appendix 1 Performance Management action 'Incorporate career development "
        "conversations into the performance management process'",
        44,
        22,
    ),
    Question(
        "Q1e",
        f"{STAFF_GRID} — I have had the training and development I need to do my job",
        "T6",
        "section 4 Learning and Development outcome 'Knowledge and skills training needs at "
        "individual and team level are known'",
        59,
    ),
    Question(
        "Q1f",
        f"{STAFF_GRID} — I can see a future for my career in the CCG or the wider system",
        "T7",
        "section 4 Talent Management outcome 'A pipeline of ready now leaders and managers'",
        36,
        28,
    ),
    Question(
        "Q2",
        "The Staff Engagement Group represents my views",
        "T4",
        "section 4 Engagement outcome 'A representative Staff Engagement Group with high "
        "attendance and involvement'",
        41,
        30,
    ),
    Question(
        "Q3",
        "What one thing would most improve working for the CCG?",
        "",
        "",
        scale=TEXT,
    ),
)


@dataclass(frozen=True)
class Wave:
    """One pulse wave: its month and where the month comes from."""

    fielded: str
    why: str

    @property
    def survey_id(self) -> str:
        """The wave's survey_id, e.g. ``pulse-2019-08``."""
        return f"{SERIES}-{self.fielded}"


TIMELINE = "Appendix 2 OD Timeline row 'Pulse Survey and Staff Survey' (Send out survey)"
QUARTERLY = "Appendix 1 Engagement action 'Administer Pulse Surveys (quarterly)'"
PULSE_WAVES: tuple[Wave, ...] = (
    Wave("2019-08", TIMELINE),
    Wave("2019-12", TIMELINE),
    Wave("2020-04", TIMELINE),
    Wave("2020-07", f"{QUARTERLY}, after the timeline ends"),
    Wave("2020-10", f"{QUARTERLY}, after the timeline ends"),
)
STAFF_FIELDED = "2019-10"
STAFF_WHY = (
    "Appendix 1 Engagement action 'Staff Surveys (annually)'; month illustrative, between the "
    "August and December pulse waves"
)

COMMENTS = (
    "More notice of changes to team structures would help.",
    "The drop-in sessions have been really useful.",
    "Still unclear who my line manager will be after the merger.",
    "Too many meetings; not enough time to do the work.",
    "Good to see the Staff Engagement Group feeding back at the staff timeout.",
    "Communication from the Executive Team has improved.",
    "Please keep the bitesize learning sessions going.",
    "Worried about the 20% reduction in running costs and what it means for my post.",
    "My team has been brilliant through all the change.",
    "It would help to know how the six CCGs' policies will be aligned.",
    "The new appraisal paperwork is much clearer.",
    "Travelling between sites takes up a lot of time.",
    "I would like more opportunities to work across the ICS.",
    "Not sure the survey results lead to any action.",
)
COMMENTS_2020 = (
    "Working from home has been well supported by my manager.",
    "I miss seeing colleagues since we moved to remote working.",
    "Virtual team meetings are working well.",
)
# Illustrative personal data (reserved example domains, Ofcom drama numbers) for redaction.
PERSONAL_COMMENTS = (
    "Happy to talk more about this: email jo.example@example.org or call 0115 496 0321.",
    "Please contact me on 07700 900123, I have ideas about the timeouts.",
    "Ask HR to reply to a.n.other@example.com about flexible working.",
)
PRIVACY_COMMENT = "Who reads these comments? I would only answer honestly if they stay anonymous."
STAFF_COMMENTS = (
    "Clearer priorities for the single CCG.",
    "Fewer changes at once.",
    "Better IT for working across sites.",
    "Recognition for teams who go the extra mile.",
    "More chances to develop into senior roles.",
    "Faster decisions.",
)


# --- respondents -----------------------------------------------------------------------------


def _rng(seed: int, *labels: object) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, labels)]))


def respondents(seed: int, label: str, rate: float) -> pd.DataFrame:
    """Respondents of one survey: id, directorate, team, staff group and a mood score.

    About ``rate`` of each directorate's headcount respond (varied a little per directorate).
    """
    rng = _rng(seed, label, "people")
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
        rate = _rng(seed, w.survey_id, "rate").uniform(0.55, 0.70)
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
                    _rng(seed, w.survey_id, q.ref),
                )
                for i, (w, p) in enumerate(zip(PULSE_WAVES, people, strict=True))
            ]
            continue
        for attempt in range(100):
            rng = _rng(seed, q.ref, attempt)
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


def _long(survey_id: str, people: pd.DataFrame, answers: dict[str, list]) -> pd.DataFrame:
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


def _blank_if_missing(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- staff survey as a SurveyMonkey export ----------------------------------------------------


def staff_survey_export(seed: int) -> tuple[list[list[str]], int]:
    """The annual staff survey as SurveyMonkey's two header rows and one row per respondent.

    Personal-data columns hold obviously fake values (reserved example domain, documentation
    IP range, "Test" names); the converter drops them.
    """
    rate = _rng(seed, STAFF_SURVEY, "rate").uniform(0.55, 0.70)
    people = respondents(seed, STAFF_SURVEY, rate)
    rng = _rng(seed, STAFF_SURVEY, "answers")
    grid = [q for q in STAFF_QUESTIONS if q.ref.startswith("Q1")]
    single = [q for q in STAFF_QUESTIONS if not q.ref.startswith("Q1")]
    answers = {
        q.ref: closed_answers(people, q.level, q.neutral, rng)
        for q in STAFF_QUESTIONS
        if q.scale != TEXT
    }
    answers["Q3"] = comment_answers(people, STAFF_COMMENTS, (PERSONAL_COMMENTS[0],), rng)
    header_1 = [
        *METADATA_HEADERS,
        "Directorate",
        "Team",
        "Staff group",
        STAFF_GRID,
        *[""] * (len(grid) - 1),
        *[q.text for q in single],
    ]
    header_2 = [""] * len(METADATA_HEADERS) + ["Response"] * 3
    header_2 += [q.text.split(" — ", 1)[1] for q in grid]
    header_2 += ["Open-Ended Response" if q.scale == TEXT else "Response" for q in single]
    rows = [header_1, header_2]
    respondent = 11_480_000_000
    for i, person in people.iterrows():
        respondent += rng.randint(3, 40)
        day, minute = 1 + rng.randint(0, 30), rng.randint(0, 44)
        took = rng.randint(3, 15)
        rows.append(
            [
                str(respondent),
                "250000001",
                f"10/{day:02d}/2019 09:{minute:02d}:00 AM",
                f"10/{day:02d}/2019 09:{minute + took:02d}:00 AM",
                f"192.0.2.{i % 250 + 1}",
                f"test.respondent{i + 1:04d}@example.invalid",
                "Test",
                f"Respondent{i + 1:04d}",
                "illustrative",
                person["directorate"],
                _blank_if_missing(person["team"]),
                _blank_if_missing(person["staff_group"]),
                *[answers[q.ref][i] or "" for q in grid],
                *[answers[q.ref][i] or "" for q in single],
            ]
        )
    return rows, len(people)


# --- the input tables -----------------------------------------------------------------------


def survey_tables(seed: int, source: str) -> dict[str, pd.DataFrame]:
    """surveys, survey_scales and survey_questions of the demonstration (no responses)."""
    _, counts = pulse_waves(seed)
    _, staff_n = staff_survey_export(seed)
    surveys = [
        {
            "survey_id": w.survey_id,
            "title": f"Staff pulse survey {pd.Period(w.fielded).strftime('%B %Y')}",
            "audience": "All CCG staff",
            "fielded": w.fielded,
            "respondents": counts[w.survey_id],
            "population": POPULATION,
            "series": SERIES,
            "illustrative": "yes",
            "source": f"{source}; cadence from {PLAN}, {w.why}",
        }
        for w in PULSE_WAVES
    ]
    surveys.append(
        {
            "survey_id": STAFF_SURVEY,
            "title": "Annual staff survey 2019",
            "audience": "All CCG staff",
            "fielded": STAFF_FIELDED,
            "respondents": staff_n,
            "population": POPULATION,
            "series": "",
            "illustrative": "yes",
            "source": f"{source}; cadence from {PLAN}, {STAFF_WHY}",
        }
    )
    scales = [
        {
            "scale": SCALE,
            "option": option,
            "option_order": i,
            "valence": valence,
            "source": f"{source}: a 5-point agreement scale, Don't know kept out of the base",
        }
        for i, (option, valence) in enumerate(AGREE_OPTIONS, start=1)
    ]
    questions = [
        _question_row(owner, q, source)
        for owner, group in ((SERIES, PULSE_QUESTIONS), (STAFF_SURVEY, STAFF_QUESTIONS))
        for q in group
    ]
    return {
        "surveys": pd.DataFrame(surveys, columns=SURVEY_COLUMNS),
        "survey_scales": pd.DataFrame(scales, columns=SCALE_COLUMNS),
        "survey_questions": pd.DataFrame(questions, columns=QUESTION_COLUMNS),
    }


def _question_row(owner: str, q: Question, source: str) -> dict:
    why = f"; theme from {PLAN}, {q.why}" if q.why else ""
    return {
        "survey": owner,
        "question_ref": q.ref,
        "question": q.text,
        "theme_ref": q.theme,
        "scale": q.scale,
        "higher_is_better": "" if q.scale == TEXT else "yes",
        "target": "" if q.target is None else f"{q.target:g}",
        "source": f"{source}: wording illustrative{why}",
    }


def pulse_responses(seed: int) -> pd.DataFrame:
    """Respondent-level rows of every pulse wave."""
    people, _ = pulse_waves(seed)
    answers = pulse_answers(seed, people)
    parts = [
        _long(w.survey_id, p, {ref: answers[ref][i] for ref in answers})
        for i, (w, p) in enumerate(zip(PULSE_WAVES, people, strict=True))
    ]
    return pd.concat(parts, ignore_index=True)


def write_demo_surveys(raw_dir: Path, seed: int, source: str) -> dict[str, int]:
    """Write the survey inputs and the staff survey's SurveyMonkey export into ``raw_dir``.

    The staff survey's rows in ``survey_responses.csv`` come from converting the export with
    :func:`odreport.inputs.surveymonkey.convert`, as an analyst's import would. Returns rows written
    per file.
    """
    tables = survey_tables(seed, source)
    for name, frame in tables.items():
        frame.to_csv(raw_dir / f"{name}.csv", index=False, lineterminator="\n")
    export = raw_dir / EXPORT_NAME
    export.parent.mkdir(parents=True, exist_ok=True)
    rows, _ = staff_survey_export(seed)
    with export.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    staff = convert(export, STAFF_SURVEY, tables["survey_questions"])
    responses = merge_responses(pulse_responses(seed), STAFF_SURVEY, staff)
    write_responses(responses, raw_dir / "survey_responses.csv")
    counts = {f"{name}.csv": len(frame) for name, frame in tables.items()}
    counts["survey_responses.csv"] = len(responses)
    counts[EXPORT_NAME] = len(rows) - 2
    return counts


# --- a large synthetic input set for benchmarks ------------------------------------------------


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
    questions = pd.DataFrame([_question_row(SERIES, q, source) for q in PULSE_QUESTIONS])
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
    out = {
        "themes": themes,
        "surveys": surveys,
        "survey_scales": scales,
        "survey_questions": questions,
        "survey_responses": frame,
    }
    for table in out.values():
        if "_row" not in table:
            table["_row"] = np.arange(2, len(table) + 2, dtype="int64")
    return out
