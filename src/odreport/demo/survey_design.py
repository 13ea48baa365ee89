"""What the illustrative Nottingham surveys ask, of whom and when: the scale, the directorates
and staff groups, the pulse and staff survey questions, the waves, and the comments people
write. Sources are cited in :mod:`odreport.demo.surveys`."""

from __future__ import annotations

from dataclasses import dataclass

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


def question_row(owner: str, q: Question, source: str) -> dict:
    """A question as a row of ``survey_questions.csv``."""
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
