"""What the survey disclosure audit speaks of: the suppressed figures it protects (targets),
what it finds, its result and its error; and how a published cell is read (a table may be read
back from CSV as text). The audit itself is :mod:`odreport.metrics.disclosure`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from odreport.errors import OdReportError

GROUPINGS = ("directorate", "team", "staff_group")
"""Grouping columns of respondent-level answers (as in :mod:`odreport.metrics.surveys`)."""
ALL = "all"
NOT_STATED = "Not stated"
# Sentinels start with a control character, which validation never lets into the inputs
# (not NUL: pandas string columns stored by pyarrow cut a string at NUL).
SKIP = "\x1eno answer"  # the "option" of respondents who did not answer a question
COMMENT = "\x1ecomment"  # the "option" of a free-text answer
RESPONSES = "responses"
RESPONDENTS = "respondents"
VALENCE_COLUMNS = ("favourable", "neutral", "unfavourable", "excluded")
RATED = ("favourable", "neutral", "unfavourable")


class DisclosureError(OdReportError):
    """Published survey figures would let a reader work out a suppressed group (exit code 1).

    A bug, never bad input: the run stops before anything is written. ``result`` holds the
    audit's findings when the audit ran.
    """

    def __init__(self, message: str, result: AuditResult | None = None):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Target:
    """A suppressed figure the audit protects: a group's responses to a question (or its
    respondents, ``question_ref`` blank, when it is suppressed in every question)."""

    survey_id: str
    question_ref: str
    group_by: str
    group: str
    measure: str

    def label(self) -> str:
        """How the figure is named in messages."""
        where = "overall" if self.group_by == ALL else f"{self.group_by} {self.group!r}"
        question = f" {self.question_ref}" if self.question_ref else ""
        return f"survey {self.survey_id}{question}, {where}: {self.measure}"


@dataclass(frozen=True)
class Finding:
    """A suppressed figure that the published figures pin down to a range narrower than the
    threshold (``low``..``high``, whole numbers), or a published figure that should not be."""

    target: Target | None
    low: float
    high: float
    message: str = ""

    def line(self) -> str:
        """One line for the analyst (no suppressed value is printed, only the range)."""
        if self.message:
            return self.message
        assert self.target is not None
        return (
            f"{self.target.label()} can be worked out from the published figures to between "
            f"{_fmt(self.low)} and {_fmt(self.high)}"
        )


def _fmt(value: float) -> str:
    return "unbounded" if math.isinf(value) else f"{value:g}"


@dataclass
class AuditResult:
    """What the audit checked and found."""

    min_group_size: int
    audited: int = 0  # suppressed figures audited
    equations: int = 0  # published figures used as equations
    widths: dict[Target, float] = field(default_factory=dict)  # proven range widths
    findings: list[Finding] = field(default_factory=list)
    linear_programmes: int = 0

    @property
    def passed(self) -> bool:
        """Whether every suppressed figure is protected and nothing else leaks."""
        return not self.findings

    @property
    def min_width(self) -> float | None:
        """The narrowest range proven for a suppressed figure (``None``: none audited)."""
        return min(self.widths.values()) if self.widths else None

    def describe(self) -> str:
        """One line: figures audited and the narrowest range."""
        narrowest = self.min_width
        return (
            f"{self.audited} suppressed figures audited against {self.equations} published "
            f"figures; narrowest range {_fmt(narrowest) if narrowest is not None else 'n/a'} "
            f"(threshold {self.min_group_size}); {len(self.findings)} problems"
        )


def number(value: object) -> float | None:
    """A published number, or ``None`` when blank (a table read back from CSV has strings)."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() == "":
            return None
        value = float(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    return float(value)


def flag(value: object) -> bool:
    """A ``suppressed`` cell as a boolean (``True`` or the text ``"True"``)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value) if value is not None and not pd.isna(value) else False


def close(a: float, b: float) -> bool:
    """Whether two published numbers are equal but for floating-point rounding."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def text(value: object) -> str:
    """A published cell as text (blank for a missing value)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
