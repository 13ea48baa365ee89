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

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from odreport.errors import OdReportError
from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.tables import Inputs

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
PROBES = 6  # probe solutions before groups are solved one by one
TOLERANCE = 1e-6


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


# --- the system of one survey ----------------------------------------------------------------


def respondent_groups(responses: pd.DataFrame) -> pd.DataFrame:
    """``responses`` with each respondent's groups taken from their first row, so that a
    respondent belongs to one group of each grouping (blank groups become ``Not stated``
    only when counted)."""
    present = [g for g in GROUPINGS if g in responses]
    if responses.empty or not present:
        return responses
    first = responses.drop_duplicates(["survey_id", "respondent_id"]).set_index(
        ["survey_id", "respondent_id"]
    )[present]
    keys = pd.MultiIndex.from_arrays([responses["survey_id"], responses["respondent_id"]])
    out = responses.copy()
    for g in present:
        out[g] = first[g].reindex(keys).to_numpy()
    return out


class SurveySystem:
    """The unknown counts of one survey with respondent-level answers, and their true values.

    Variables: ``x[question, option, combination]`` (options include "no answer") and
    ``r[combination]`` (respondents), where a combination is one (directorate, team,
    staff group) that occurs.
    """

    def __init__(self, survey_id: str, rows: pd.DataFrame, text_questions: set[str]):
        self.survey_id = survey_id
        rows = rows.reset_index(drop=True)
        # each respondent's combination, from their first row
        person, _ = pd.factorize(rows["respondent_id"])
        first = ~pd.Series(person).duplicated().to_numpy()
        labels = []
        codes = np.zeros(len(rows), dtype=np.int64)
        for g in GROUPINGS:
            values = rows[g] if g in rows else pd.Series(None, index=rows.index, dtype=object)
            values = values.astype(object).where(values.notna(), NOT_STATED)
            code, uniques = pd.factorize(values)
            labels.append(list(uniques))
            codes = codes * max(len(uniques), 1) + code
        key_of_person = np.empty(person.max() + 1 if len(person) else 0, dtype=np.int64)
        key_of_person[person[first]] = codes[first]
        keys = key_of_person[person] if len(person) else codes
        unique_keys = np.unique(keys[first])

        def combo(key: int) -> tuple:
            parts = []
            for names in reversed(labels):
                key, code = divmod(int(key), max(len(names), 1))
                parts.append(names[code])
            return tuple(reversed(parts))

        pairs = sorted((combo(k), k) for k in unique_keys)
        self.combos: list[tuple] = [c for c, _ in pairs]
        m = len(self.combos)
        position = {k: i for i, (_, k) in enumerate(pairs)}
        where = np.array([position[k] for k in keys[first]], dtype=np.int64)
        at = np.empty(len(key_of_person), dtype=np.int64)
        at[person[first]] = where
        where_rows = at[person] if len(person) else where
        answered = rows["answer"].notna().to_numpy()
        questions = sorted(set(rows["question_ref"]))
        self.text = {q for q in questions if q in text_questions}
        refs = rows["question_ref"].to_numpy()[answered]
        given = rows["answer"].to_numpy()[answered]
        given = np.where(np.isin(refs, list(self.text)), COMMENT, given)
        pair_code, pair_uniques = pd.factorize(
            pd.Series(refs.astype(str)) + "\x1f" + given.astype(str)
        )
        seen: dict[str, set[str]] = {}
        for pair in pair_uniques:
            q, o = pair.split("\x1f", 1)
            seen.setdefault(q, set()).add(o)
        self.options: dict[str, list[str]] = {}
        for q in questions:
            self.options[q] = (
                [COMMENT, SKIP] if q in self.text else [*sorted(seen.get(q, ())), SKIP]
            )
        self._base: dict[tuple[str, str], int] = {}
        n = 0
        for q in questions:
            for o in self.options[q]:
                self._base[(q, o)] = n
                n += m
        self._r = n
        self.size = n + m
        truth = np.zeros(self.size)
        np.add.at(truth, self._r + where, 1)
        offsets = np.array(
            [self._base[tuple(pair.split("\x1f", 1))] for pair in pair_uniques], dtype=np.int64
        )
        if len(pair_code):
            np.add.at(truth, offsets[pair_code] + where_rows[answered], 1)
        for q in questions:
            got = sum(truth[self._base[(q, o)] : self._base[(q, o)] + m] for o in self.options[q])
            truth[self._base[(q, SKIP)] : self._base[(q, SKIP)] + m] = truth[self._r :] - got
        self.truth = truth
        self._members: dict[tuple[str, str], np.ndarray] = {}

    @property
    def questions(self) -> list[str]:
        return list(self.options)

    def members(self, group_by: str, group: str) -> np.ndarray:
        """Indices of the combinations in a group (all of them for ``all``)."""
        key = (group_by, group)
        if key not in self._members:
            if group_by == ALL:
                idx = np.arange(len(self.combos))
            elif group_by in GROUPINGS:
                k = GROUPINGS.index(group_by)
                idx = np.array([i for i, c in enumerate(self.combos) if c[k] == group], dtype=int)
            else:
                raise DisclosureError(f"survey {self.survey_id}: unknown grouping {group_by!r}")
            self._members[key] = idx
        return self._members[key]

    def answer_columns(
        self, question: str, group_by: str, group: str, options: Iterable[str] | None = None
    ) -> np.ndarray:
        """Variables of the answers (all but "no answer" by default) of a group to a question."""
        if question not in self.options:
            raise DisclosureError(
                f"survey {self.survey_id}: figures published for question {question!r}, "
                "which has no answers"
            )
        chosen = [o for o in self.options[question] if o != SKIP] if options is None else options
        members = self.members(group_by, group)
        parts = [self._base[(question, o)] + members for o in chosen if (question, o) in self._base]
        return np.concatenate(parts) if parts else np.array([], dtype=int)

    def respondent_columns(self, group_by: str, group: str) -> np.ndarray:
        """Variables of a group's respondents."""
        return self._r + self.members(group_by, group)

    def structure(self) -> list[tuple[np.ndarray, np.ndarray, float]]:
        """Each combination's answers and non-answers to each question add up to its
        respondents: ``sum_o x[q, o, c] - r[c] = 0``."""
        rows = []
        m = len(self.combos)
        for q in self.questions:
            for c in range(m):
                cols = [self._base[(q, o)] + c for o in self.options[q]] + [self._r + c]
                coef = [1.0] * len(self.options[q]) + [-1.0]
                rows.append((np.array(cols), np.array(coef), 0.0))
        return rows


# --- published figures as equations ----------------------------------------------------------


def _num(value: object) -> float | None:
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


def _flag(value: object) -> bool:
    """A ``suppressed`` cell as a boolean (``True`` or the text ``"True"``)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value) if value is not None and not pd.isna(value) else False


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@dataclass
class _Published:
    """The equations of one survey's published figures and its suppressed targets."""

    equations: list[tuple[np.ndarray, float, str]] = field(default_factory=list)
    targets: list[tuple[Target, np.ndarray]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, cols: np.ndarray, value: float, label: str, key: tuple | None = None) -> None:
        if key is not None:
            if key in self._seen:
                return
            self._seen.add(key)
        self.equations.append((cols, value, label))

    def leak(self, message: str) -> None:
        self.findings.append(Finding(None, 0, 0, message))


SUMMARY_NUMBERS = (
    RESPONSES,
    *VALENCE_COLUMNS,
    "base",
    "pct_favourable",
    RESPONDENTS,
    "skipped",
)


def _valences(inputs: Inputs) -> dict[tuple[str, str, str], str]:
    """``(survey_id, question_ref, option) -> valence`` from the questions and scales."""
    scales = inputs.get("survey_scales")
    if scales is None:
        return {}
    by_scale = {
        (_text(r["scale"]), _text(r["option"])): _text(r["valence"]) for _, r in scales.iterrows()
    }
    out = {}
    for (sid, q), meta in question_map(inputs).items():
        for (scale, option), valence in by_scale.items():
            if scale == meta["scale"]:
                out[(sid, q, option)] = valence
    return out


def _survey_equations(
    system: SurveySystem,
    tables: Mapping[str, pd.DataFrame],
    valences: Mapping[tuple[str, str, str], str],
) -> _Published:
    """Every figure published about ``system``'s survey as an equation, and its targets."""
    sid = system.survey_id
    out = _Published()
    summary = _rows(tables.get("survey_summary"), sid)
    options = _rows(tables.get("survey_options"), sid)
    published_cells = {}
    for r in summary.itertuples(index=False):
        key = (_text(r.question_ref), _text(r.group_by), _text(r.group))
        published_cells[key] = not _flag(r.suppressed)
    option_rows: dict[tuple[str, str, str], list] = {}
    for r in options.itertuples(index=False):
        key = (_text(r.question_ref), _text(r.group_by), _text(r.group))
        option_rows.setdefault(key, []).append(r)
        if not published_cells.get(key, False):
            out.leak(
                f"survey {sid} {key[0]}, {key[1]} {key[2]!r}: answer counts published in "
                "survey_options for a group that is suppressed or not in survey_summary"
            )
    shown_groups: set[tuple[str, str]] = set()
    suppressed_in: dict[tuple[str, str], int] = {}
    closed = 0
    for r in summary.itertuples(index=False):
        q, gb, g = _text(r.question_ref), _text(r.group_by), _text(r.group)
        where = f"survey {sid} {q}, {'overall' if gb == ALL else f'{gb} {g!r}'}"
        numbers = {c: _num(getattr(r, c, None)) for c in SUMMARY_NUMBERS}
        if _flag(r.suppressed):
            left = [c for c, v in numbers.items() if v is not None]
            if left:
                out.leak(f"{where}: suppressed, yet {', '.join(left)} published")
            cols = system.answer_columns(q, gb, g)
            out.targets.append((Target(sid, q, gb, g, RESPONSES), cols))
            suppressed_in[(gb, g)] = suppressed_in.get((gb, g), 0) + 1
            continue
        shown_groups.add((gb, g))
        if numbers[RESPONDENTS] is not None:
            out.add(
                system.respondent_columns(gb, g),
                numbers[RESPONDENTS],
                f"{where}: respondents",
                key=("respondents", gb, g, numbers[RESPONDENTS]),
            )
        if numbers["skipped"] is not None:
            out.add(
                system.answer_columns(q, gb, g, [SKIP]), numbers["skipped"], f"{where}: skipped"
            )
        rows = option_rows.get((q, gb, g), [])
        by_option = {_text(o.option): _num(o.count) for o in rows}
        for option, count in by_option.items():
            if count is None:
                continue
            out.add(system.answer_columns(q, gb, g, [option]), count, f"{where}: {option}")
        for o in rows:
            pct, count = _num(getattr(o, "percent", None)), _num(o.count)
            total = numbers[RESPONSES]
            if (
                pct is not None
                and count is not None
                and total
                and not _close(pct, 100 * count / total)
            ):
                out.leak(f"{where}: percent of {_text(o.option)!r} is not its count's share")
        # the other numbers must follow from the counts, or are equations of their own
        implied = sum(v or 0 for v in by_option.values())
        if numbers[RESPONSES] is not None and not (rows and _close(implied, numbers[RESPONSES])):
            out.add(system.answer_columns(q, gb, g), numbers[RESPONSES], f"{where}: responses")
        for valence in VALENCE_COLUMNS:
            value = numbers[valence]
            if value is None:
                continue
            chosen = [o for o in system.options.get(q, []) if valences.get((sid, q, o)) == valence]
            implied = sum(by_option.get(o) or 0 for o in chosen)
            if not (rows and _close(implied, value)):
                out.add(system.answer_columns(q, gb, g, chosen), value, f"{where}: {valence}")
        rated = [numbers[v] for v in RATED]
        if (
            numbers["base"] is not None
            and None not in rated
            and not _close(numbers["base"], sum(rated))
        ):
            out.leak(f"{where}: base is not favourable + neutral + unfavourable")
        if numbers["pct_favourable"] is not None:
            base, fav = numbers["base"], numbers["favourable"]
            if not base or fav is None or not _close(numbers["pct_favourable"], 100 * fav / base):
                out.leak(f"{where}: percent favourable is not favourable / base")
        if (
            numbers[RESPONDENTS] is not None
            and numbers["skipped"] is not None
            and numbers[RESPONSES] is not None
            and not _close(numbers[RESPONDENTS], numbers[RESPONSES] + numbers["skipped"])
        ):
            out.leak(f"{where}: respondents is not responses + skipped")
        closed += 1
    # a group suppressed in every question it is listed under: its respondents are protected
    for (gb, g), n in sorted(suppressed_in.items()):
        if (gb, g) not in shown_groups and n:
            out.targets.append(
                (Target(sid, "", gb, g, RESPONDENTS), system.respondent_columns(gb, g))
            )
    comments = _rows(tables.get("survey_comments"), sid)
    if not comments.empty:
        for q, part in comments.groupby("question_ref", sort=True):
            q = _text(q)
            if q in system.text:
                out.add(
                    system.answer_columns(q, ALL, ALL, [COMMENT]),
                    float(len(part)),
                    f"survey {sid} {q}: comments",
                )
            else:
                out.leak(f"survey {sid} {q}: comments published for a question not free text")
    overview = _rows(tables.get("survey_overview"), sid)
    for r in overview.itertuples(index=False):
        value = _num(getattr(r, RESPONDENTS, None))
        # a survey's declared respondents (surveys.csv) may come from elsewhere: used as an
        # equation when it is the count of these answers, as the reader could then assume
        if value is not None and _close(
            value, system.truth[system.respondent_columns(ALL, ALL)].sum()
        ):
            out.add(
                system.respondent_columns(ALL, ALL),
                value,
                f"survey {sid}: respondents",
                key=("respondents", ALL, ALL, value),
            )
    return out


def _rows(frame: pd.DataFrame | None, survey_id: str) -> pd.DataFrame:
    if frame is None or frame.empty or "survey_id" not in frame:
        return pd.DataFrame()
    return frame[frame["survey_id"].astype(str) == survey_id]


# --- derived figures: trends, evidence, published aggregates ----------------------------------


def _derived_findings(tables: Mapping[str, pd.DataFrame]) -> list[Finding]:
    """Trend and evidence figures must repeat published overall results (or pool them), and a
    suppressed question's figures must not appear in the published-results tables."""
    out: list[Finding] = []
    summary = tables.get("survey_summary")
    if summary is None or summary.empty:
        return out
    overall = {}
    for r in summary[summary["group_by"].astype(str) == ALL].itertuples(index=False):
        overall[(_text(r.survey_id), _text(r.question_ref))] = (
            _flag(r.suppressed),
            _num(r.pct_favourable),
            _num(r.base),
            _num(r.favourable),
            _text(getattr(r, "theme_ref", "")),
        )

    def same(where: str, value: float | None, base: float | None, key) -> None:
        got = overall.get(key)
        if got is None:
            if value is not None or base is not None:
                out.append(Finding(None, 0, 0, f"{where}: a figure for a question not published"))
            return
        hidden, pct, b, _, _ = got
        if hidden:
            if value is not None or base is not None:
                out.append(Finding(None, 0, 0, f"{where}: repeats a suppressed result"))
            return
        for mine, theirs in ((value, pct), (base, b)):
            if (mine is None) != (theirs is None) or (
                mine is not None and theirs is not None and not _close(mine, theirs)
            ):
                out.append(Finding(None, 0, 0, f"{where}: differs from the published result"))
                return

    trends = tables.get("survey_trends")
    if trends is not None and not trends.empty:
        for r in trends.itertuples(index=False):
            sid, measure = _text(r.survey_id), _text(r.measure)
            value, base = _num(r.value), _num(r.base)
            where = f"survey_trends {sid} {measure}"
            if measure.startswith("theme:"):
                theme = measure.split(":", 1)[1]
                shown = [
                    v
                    for (s, _), v in overall.items()
                    if s == sid and v[4] == theme and not v[0] and v[2] is not None
                ]
                pooled = sum(v[2] for v in shown)
                fav = sum(v[3] or 0 for v in shown)
                if base is None and value is None and not pooled:
                    continue
                if (
                    base is None
                    or value is None
                    or not _close(base, pooled)
                    or not _close(value * base, 100 * fav)
                ):
                    out.append(Finding(None, 0, 0, f"{where}: not the pooled published results"))
            else:
                same(where, value, base, (sid, measure))
    evidence = tables.get("survey_evidence")
    if evidence is not None and not evidence.empty:
        for r in evidence.itertuples(index=False):
            key = (_text(r.survey_id), _text(r.question_ref))
            same(f"survey_evidence {key[0]} {key[1]}", _num(r.pct_favourable), _num(r.base), key)
    for name in ("survey_published", "survey_checks"):
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        for r in frame.drop_duplicates(["survey_id", "question_ref"]).itertuples(index=False):
            key = (_text(r.survey_id), _text(r.question_ref))
            got = overall.get(key)
            if got is not None and got[0]:
                out.append(
                    Finding(None, 0, 0, f"{name} {key[0]} {key[1]}: repeats a suppressed result")
                )
    return out


# --- solving ----------------------------------------------------------------------------------


def _matrix(system: SurveySystem, published: _Published):
    from scipy.sparse import csr_matrix

    rows, cols, data, rhs = [], [], [], []
    for i, (c, coef, value) in enumerate(system.structure()):
        rows += [i] * len(c)
        cols += c.tolist()
        data += coef.tolist()
        rhs.append(value)
    base = len(rhs)
    for j, (c, value, _) in enumerate(published.equations):
        rows += [base + j] * len(c)
        cols += c.tolist()
        data += [1.0] * len(c)
        rhs.append(value)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(rhs), system.size))
    return matrix, np.array(rhs, dtype=float)


def _alternating(targets: list[tuple[Target, np.ndarray]]) -> np.ndarray:
    """+1, -1, +1, ... over the suppressed groups of each grouping (by name), the same sign for
    a group in every question."""
    names: dict[str, list[str]] = {}
    for t, _ in targets:
        names.setdefault(t.group_by, [])
        if t.group not in names[t.group_by]:
            names[t.group_by].append(t.group)
    sign = {
        (gb, g): 1.0 if i % 2 == 0 else -1.0
        for gb, groups in names.items()
        for i, g in enumerate(sorted(groups))
    }
    return np.array([sign[(t.group_by, t.group)] for t, _ in targets])


def _inward(low: float, high: float) -> tuple[float, float]:
    """A range of counts rounded inwards to whole numbers."""
    lo = math.ceil(low - TOLERANCE) if not math.isinf(low) else low
    hi = math.floor(high + TOLERANCE) if not math.isinf(high) else high
    return lo, hi


_CACHE: dict[str, tuple[dict, list]] = {}
"""Audits already solved in this process, by a digest of their equations, targets and
threshold: the same tables audited again (read back after writing, say) cost no solving."""


def _solve(system: SurveySystem, published: _Published, min_n: int, result: AuditResult) -> None:
    """Bracket every target's range; add a finding for each narrower than ``min_n``."""
    from scipy.optimize import linprog

    if not published.targets:
        return
    matrix, rhs = _matrix(system, published)
    if not np.allclose(matrix @ system.truth, rhs, atol=1e-6):
        bad = [
            published.equations[i - (len(rhs) - len(published.equations))][2]
            for i in np.flatnonzero(~np.isclose(matrix @ system.truth, rhs, atol=1e-6))
            if i >= len(rhs) - len(published.equations)
        ]
        raise DisclosureError(
            f"survey {system.survey_id}: published figures do not match the answers "
            f"({'; '.join(bad[:3]) or 'structure'})"
        )
    digest = hashlib.sha256()
    for part in (matrix.indptr, matrix.indices, matrix.data, rhs, system.truth):
        digest.update(np.ascontiguousarray(part).tobytes())
    for target, cols in published.targets:
        digest.update(repr(target).encode())
        digest.update(np.ascontiguousarray(cols).tobytes())
    digest.update(str(min_n).encode())
    key = digest.hexdigest()
    if key in _CACHE:
        widths, findings = _CACHE[key]
        result.widths.update(widths)
        result.findings.extend(findings)
        return
    objectives = np.zeros((len(published.targets), system.size))
    for i, (_, cols) in enumerate(published.targets):
        objectives[i, cols] = 1.0
    low = objectives @ system.truth
    high = low.copy()

    def run(c: np.ndarray) -> np.ndarray | None:
        result.linear_programmes += 1
        res = linprog(c, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs-ipm")
        if res.status == 0:
            return res.x
        if res.status == 3:  # unbounded
            return None
        raise DisclosureError(
            f"survey {system.survey_id}: the audit's linear programme failed ({res.message})"
        )

    def seen(x: np.ndarray) -> None:
        values = objectives @ x
        np.minimum(low, values, out=low)
        np.maximum(high, values, out=high)

    def proven() -> np.ndarray:
        lo, hi = np.ceil(low - TOLERANCE), np.floor(high + TOLERANCE)
        return hi - lo >= min_n

    rng = np.random.default_rng(20251124)
    alternate = _alternating(published.targets)
    for k in range(PROBES):
        if proven().all():
            break
        open_ = ~proven()
        if k < 2:  # each group pushed up once and down once, its neighbours the other way
            weights = alternate * (1.0 if k == 0 else -1.0) * open_
        else:
            weights = rng.choice([-1.0, 1.0], size=len(low)) * open_
        x = run(weights @ objectives)
        if x is not None:
            seen(x)
    for i in np.argsort(high - low, kind="stable"):
        if proven()[i]:
            continue
        x = run(-objectives[i])
        if x is None:
            high[i] = math.inf
        else:
            seen(x)
        if proven()[i]:
            continue
        x = run(objectives[i])
        if x is not None:
            seen(x)
    widths, findings = {}, []
    for i, (target, _) in enumerate(published.targets):
        lo, hi = _inward(low[i], high[i])
        widths[target] = hi - lo
        if hi - lo < min_n:
            findings.append(Finding(target, lo, hi))
    if len(_CACHE) > 256:  # a batch worker audits many reports: keep the last ones only
        _CACHE.clear()
    _CACHE[key] = (widths, findings)
    result.widths.update(widths)
    result.findings.extend(findings)


# --- the audit --------------------------------------------------------------------------------


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
    result.findings.extend(_derived_findings(tables))
    if summary is None or summary.empty:
        return result
    ids = sorted({_text(s) for s in summary["survey_id"]})
    if built is None:
        built = systems(inputs, ids)
    valences = _valences(inputs)
    for sid in ids:
        if sid not in built:
            result.findings.extend(_aggregate_findings(tables, sid, min_group_size, result))
            continue
        published = _survey_equations(built[sid], tables, valences)
        result.findings.extend(published.findings)
        result.audited += len(published.targets)
        result.equations += len(published.equations)
        _solve(built[sid], published, min_group_size, result)
    return result


def _aggregate_findings(
    tables: Mapping[str, pd.DataFrame], sid: str, min_n: int, result: AuditResult
) -> list[Finding]:
    """A survey known only from its published aggregates has no breakdown: a suppressed
    question is protected when nothing repeats it (checked with the derived figures) and the
    survey's respondents (its upper bound) are not below the threshold."""
    summary = _rows(tables.get("survey_summary"), sid)
    overview = _rows(tables.get("survey_overview"), sid)
    respondents = None
    if not overview.empty:
        respondents = _num(overview.iloc[0].get(RESPONDENTS))
    out = []
    for r in summary.itertuples(index=False):
        if not _flag(r.suppressed):
            continue
        if _text(r.group_by) != ALL:
            out.append(Finding(None, 0, 0, f"survey {sid}: a breakdown of published aggregates"))
            continue
        target = Target(sid, _text(r.question_ref), ALL, ALL, RESPONSES)
        high = math.inf if respondents is None else respondents
        result.audited += 1
        result.widths[target] = high
        if high < min_n:
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


# --- secondary suppression ------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """A group of one question (or of the whole survey, by its respondents) being suppressed."""

    row: object  # index of its row in the summary
    group_by: str
    group: str
    size: float  # responses (respondents for the whole survey)
    respondents: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.group_by, self.group)

    def order(self) -> tuple:
        """Smallest first: respondents (the same in every question, so that the same groups
        are chosen in each), then size, then name."""
        return (self.respondents, self.size, self.group)


def _blocks(system: SurveySystem, cells: list[_Cell], gb1: str, gb2: str) -> list[list[_Cell]]:
    """Groups of two groupings in blocks that cover the same respondents (connected through
    overlaps): within a block, the two groupings' totals are equal."""
    nodes = [c for c in cells if c.group_by in (gb1, gb2)]
    parent = list(range(len(nodes)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[int, int] = {}  # combination -> a node holding it
    for i, n in enumerate(nodes):
        for c in system.members(n.group_by, n.group).tolist():
            if c in owner:
                a, b = find(owner[c]), find(i)
                if a != b:
                    parent[a] = b
            else:
                owner[c] = i
    out: dict[int, list[_Cell]] = {}
    for i, n in enumerate(nodes):
        out.setdefault(find(i), []).append(n)
    return list(out.values())


def suppress_across(
    summary: pd.DataFrame, built: Mapping[str, SurveySystem], min_n: int
) -> pd.Series:
    """Secondary suppression across groupings and questions (before the audit, which has the
    last word).

    Where the groups of two groupings cover the same respondents (the teams of a directorate
    and the directorate; a team that is a whole directorate), their totals are equal, so a
    suppressed group on one side is the other side's total minus the groups shown. Until no
    such block has one suppressed group, or suppressed groups on one side that together have
    fewer than ``min_n`` responses with the other side shown, the smallest group shown on
    the suppressed side is suppressed too (else the smallest on the other side). A group
    suppressed in one question is suppressed in every question of the survey: its
    respondents, shown with any question, would otherwise bound its responses to the others
    within the few who skipped them. Returns the new ``suppressed`` column.
    """
    hidden = summary["suppressed"].map(_flag).to_dict()
    has_people = "respondents" in summary
    frame = pd.DataFrame(
        {
            "survey_id": summary["survey_id"].astype(str),
            "question_ref": summary["question_ref"].astype(str),
            "group_by": summary["group_by"].astype(str),
            "group": summary["group"].astype(str),
            "size": pd.to_numeric(summary["responses"], errors="coerce").fillna(0),
            "people": pd.to_numeric(
                summary["respondents"] if has_people else summary["responses"], errors="coerce"
            ).fillna(0),
        },
        index=summary.index,
    )
    for sid, part in frame.groupby("survey_id", sort=False):
        system = built.get(str(sid))
        if system is None:
            continue
        questions: list[list[_Cell]] = []
        overall_hidden: list[bool] = []
        for _, q in part.groupby("question_ref", sort=False):
            cells = [
                _Cell(i, gb, g, size, people)
                for i, gb, g, size, people in zip(
                    q.index, q["group_by"], q["group"], q["size"], q["people"], strict=True
                )
            ]
            overall_hidden.append(any(hidden[c.row] for c in cells if c.group_by == ALL))
            questions.append([c for c in cells if c.group_by != ALL])
        people = {}
        for cells in questions:
            for c in cells:
                people.setdefault(
                    c.key, _Cell(c.key, c.group_by, c.group, c.respondents, c.respondents)
                )
        survey_wide: set[tuple[str, str]] = set()
        for _ in range(len(people) + 1):
            flags = {k: c.size < min_n or k in survey_wide for k, c in people.items()}
            flags = _settle(system, list(people.values()), flags, min_n)
            survey_wide |= {k for k, v in flags.items() if v}
            grown = False
            for cells, whole in zip(questions, overall_hidden, strict=True):
                if whole:
                    for c in cells:
                        hidden[c.row] = True
                    continue
                mine = {c.row: hidden[c.row] or c.key in survey_wide for c in cells}
                mine = _settle(system, cells, mine, min_n)
                hidden.update(mine)
                found = {c.key for c in cells if mine[c.row]}
                if not found <= survey_wide:
                    survey_wide |= found
                    grown = True
            if not grown:
                break
    return pd.Series(hidden, dtype=bool).reindex(summary.index)


def _settle(system: SurveySystem, cells: list[_Cell], flags: dict, min_n: int) -> dict:
    """Apply :func:`_within` and :func:`_across` until nothing changes."""
    for _ in range(len(cells) + 1):
        before = dict(flags)
        _within(cells, flags, min_n)
        _across(system, cells, flags, min_n)
        if flags == before:
            break
    return flags


def _smallest_shown(cells: list[_Cell], flags: dict) -> _Cell | None:
    shown = [c for c in cells if not flags[c.row]]
    return min(shown, key=_Cell.order) if shown else None


def _within(cells: list[_Cell], flags: dict, min_n: int) -> None:
    """Within each grouping (whose groups add up to the total): no lone suppressed group, and
    suppressed groups together at least ``min_n``."""
    by: dict[str, list[_Cell]] = {}
    for c in cells:
        by.setdefault(c.group_by, []).append(c)
    for part in by.values():
        while True:
            hid = [c for c in part if flags[c.row]]
            if not hid or (len(hid) >= 2 and sum(c.size for c in hid) >= min_n):
                break
            pick = _smallest_shown(part, flags)
            if pick is None:
                break
            flags[pick.row] = True


def _across(system: SurveySystem, cells: list[_Cell], flags: dict, min_n: int) -> None:
    groupings = [g for g in GROUPINGS if any(c.group_by == g for c in cells)]
    for a, gb1 in enumerate(groupings):
        for gb2 in groupings[a + 1 :]:
            for block in _blocks(system, cells, gb1, gb2):
                sides = [[c for c in block if c.group_by == gb] for gb in (gb1, gb2)]
                for _ in range(len(block)):
                    hid = [[c for c in side if flags[c.row]] for side in sides]
                    if bool(hid[0]) == bool(hid[1]):
                        break  # none hidden, or some on both sides: the audit decides
                    k = 0 if hid[0] else 1
                    if len(hid[k]) >= 2 and sum(c.size for c in hid[k]) >= min_n:
                        break
                    pick = _smallest_shown(sides[k], flags) or _smallest_shown(sides[1 - k], flags)
                    if pick is None:
                        break
                    flags[pick.row] = True


# --- secondary suppression after a failed audit ----------------------------------------------


def more_suppression(
    result: AuditResult,
    summary: pd.DataFrame,
    inputs: Inputs,
    built: Mapping[str, SurveySystem] | None = None,
) -> set[tuple[str, str, str, str]]:
    """Groups ``(survey_id, question_ref, group_by, group)`` to suppress next, one per failed
    figure: the smallest group shown of the same breakdown that overlaps a published group the
    failed one overlaps (its parent, such as the directorate of a team), else the smallest
    such published group itself, else the question's whole breakdown. A failed respondents
    figure suppresses the chosen group in every question."""
    out: set[tuple[str, str, str, str]] = set()
    targets = [f.target for f in result.findings if f.target is not None]
    if not targets:
        return out
    if built is None:
        built = systems(inputs, {t.survey_id for t in targets})
    shown = summary[~summary["suppressed"].map(_flag)]
    for t in targets:
        system = built.get(t.survey_id)
        mine = shown[shown["survey_id"].astype(str) == t.survey_id]
        questions = [t.question_ref] if t.question_ref else sorted(set(mine["question_ref"]))
        if system is None:
            continue
        members = set(system.members(t.group_by, t.group).tolist())
        for q in questions:
            cells = mine[mine["question_ref"] == q]
            choice = _choose(system, cells, t.group_by, members)
            if choice is not None:
                out.add((t.survey_id, q, *choice))
    return out


def _choose(
    system: SurveySystem, cells: pd.DataFrame, group_by: str, members: set[int]
) -> tuple[str, str] | None:
    def size(r) -> tuple:
        return (_num(r.respondents) or 0, _num(r.responses) or 0, _text(r.group))

    groups = [
        (r, set(system.members(_text(r.group_by), _text(r.group)).tolist()))
        for r in cells.itertuples(index=False)
    ]
    parents = [(r, m) for r, m in groups if m & members and _text(r.group_by) != group_by]
    cover = set().union(*(m for r, m in parents if _text(r.group_by) != ALL)) if parents else set()
    siblings = [
        r for r, m in groups if _text(r.group_by) == group_by and m & cover and not m <= members
    ]
    if not siblings:
        siblings = [r for r, m in groups if _text(r.group_by) == group_by]
    if siblings:
        r = min(siblings, key=size)
        return _text(r.group_by), _text(r.group)
    others = [r for r, _ in parents if _text(r.group_by) != ALL]
    if others:
        r = min(others, key=size)
        return _text(r.group_by), _text(r.group)
    rest = [r for r, _ in groups if _text(r.group_by) != ALL]
    if rest:
        r = min(rest, key=size)
        return _text(r.group_by), _text(r.group)
    overall = [r for r, _ in groups if _text(r.group_by) == ALL]
    if overall:
        return ALL, _text(overall[0].group)
    return None
