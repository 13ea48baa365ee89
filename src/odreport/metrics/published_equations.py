"""Every figure a report publishes about a survey as a linear equation over the survey's
unknown counts (:mod:`odreport.metrics.survey_system`), its suppressed figures as the targets
the audit protects, and the checks that figures derived from others (percentages, theme
scores, trends, evidence) are exactly the published counts' consequences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from odreport.metrics.disclosure_terms import (
    ALL,
    COMMENT,
    RATED,
    RESPONDENTS,
    RESPONSES,
    SKIP,
    VALENCE_COLUMNS,
    Finding,
    Target,
    close,
    flag,
    number,
    text,
)

if TYPE_CHECKING:  # annotations only
    from odreport.metrics.survey_system import SurveySystem


@dataclass
class Published:
    """The equations of one survey's published figures and its suppressed targets."""

    equations: list[tuple[np.ndarray, float, str]] = field(default_factory=list)
    targets: list[tuple[Target, np.ndarray]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, cols: np.ndarray, value: float, label: str, key: tuple | None = None) -> None:
        """Add a published figure as an equation (once per ``key`` when one is given)."""
        if key is not None:
            if key in self._seen:
                return
            self._seen.add(key)
        self.equations.append((cols, value, label))

    def leak(self, message: str) -> None:
        """Record a published figure that should not be published."""
        self.findings.append(Finding(None, 0, 0, message))


SUMMARY_NUMBERS = (
    RESPONSES,
    *VALENCE_COLUMNS,
    "base",
    "pct_favourable",
    RESPONDENTS,
    "skipped",
)


def survey_equations(
    system: SurveySystem,
    tables: Mapping[str, pd.DataFrame],
    valences: Mapping[tuple[str, str, str], str],
) -> Published:
    """Every figure published about ``system``'s survey as an equation, and its targets."""
    sid = system.survey_id
    out = Published()
    summary = survey_rows(tables.get("survey_summary"), sid)
    option_rows = _option_rows(sid, summary, survey_rows(tables.get("survey_options"), sid), out)
    shown_groups: set[tuple[str, str]] = set()
    suppressed_in: dict[tuple[str, str], int] = {}
    for r in summary.itertuples(index=False):
        q, gb, g = text(r.question_ref), text(r.group_by), text(r.group)
        where = f"survey {sid} {q}, {'overall' if gb == ALL else f'{gb} {g!r}'}"
        numbers = {c: number(getattr(r, c, None)) for c in SUMMARY_NUMBERS}
        if flag(r.suppressed):
            left = [c for c, v in numbers.items() if v is not None]
            if left:
                out.leak(f"{where}: suppressed, yet {', '.join(left)} published")
            cols = system.answer_columns(q, gb, g)
            out.targets.append((Target(sid, q, gb, g, RESPONSES), cols))
            suppressed_in[(gb, g)] = suppressed_in.get((gb, g), 0) + 1
            continue
        shown_groups.add((gb, g))
        rows = option_rows.get((q, gb, g), [])
        _shown_group(system, out, (q, gb, g), where, numbers, rows, valences)
        _consistency(out, where, numbers)
    # a group suppressed in every question it is listed under: its respondents are protected
    for (gb, g), n in sorted(suppressed_in.items()):
        if (gb, g) not in shown_groups and n:
            out.targets.append(
                (Target(sid, "", gb, g, RESPONDENTS), system.respondent_columns(gb, g))
            )
    _comments(system, out, survey_rows(tables.get("survey_comments"), sid))
    _overview(system, out, survey_rows(tables.get("survey_overview"), sid))
    return out


def _option_rows(
    sid: str, summary: pd.DataFrame, options: pd.DataFrame, out: Published
) -> dict[tuple[str, str, str], list]:
    """``survey_options`` rows by (question, grouping, group); answer counts of a group not
    shown in ``survey_summary`` are a leak."""
    published_cells = {}
    for r in summary.itertuples(index=False):
        key = (text(r.question_ref), text(r.group_by), text(r.group))
        published_cells[key] = not flag(r.suppressed)
    option_rows: dict[tuple[str, str, str], list] = {}
    for r in options.itertuples(index=False):
        key = (text(r.question_ref), text(r.group_by), text(r.group))
        option_rows.setdefault(key, []).append(r)
        if not published_cells.get(key, False):
            out.leak(
                f"survey {sid} {key[0]}, {key[1]} {key[2]!r}: answer counts published in "
                "survey_options for a group that is suppressed or not in survey_summary"
            )
    return option_rows


def _shown_group(
    system: SurveySystem,
    out: Published,
    cell: tuple[str, str, str],
    where: str,
    numbers: dict[str, float | None],
    rows: list,
    valences: Mapping[tuple[str, str, str], str],
) -> None:
    """The equations of a shown group of one question: respondents, skipped, each answer's
    count, and responses and valence totals unless they follow from the counts."""
    q, gb, g = cell
    sid = system.survey_id
    if numbers[RESPONDENTS] is not None:
        out.add(
            system.respondent_columns(gb, g),
            numbers[RESPONDENTS],
            f"{where}: respondents",
            key=("respondents", gb, g, numbers[RESPONDENTS]),
        )
    if numbers["skipped"] is not None:
        out.add(system.answer_columns(q, gb, g, [SKIP]), numbers["skipped"], f"{where}: skipped")
    by_option = {text(o.option): number(o.count) for o in rows}
    for option, count in by_option.items():
        if count is None:
            continue
        out.add(system.answer_columns(q, gb, g, [option]), count, f"{where}: {option}")
    for o in rows:
        pct, count = number(getattr(o, "percent", None)), number(o.count)
        total = numbers[RESPONSES]
        if pct is not None and count is not None and total and not close(pct, 100 * count / total):
            out.leak(f"{where}: percent of {text(o.option)!r} is not its count's share")
    # the other numbers must follow from the counts, or are equations of their own
    implied = sum(v or 0 for v in by_option.values())
    if numbers[RESPONSES] is not None and not (rows and close(implied, numbers[RESPONSES])):
        out.add(system.answer_columns(q, gb, g), numbers[RESPONSES], f"{where}: responses")
    for valence in VALENCE_COLUMNS:
        value = numbers[valence]
        if value is None:
            continue
        chosen = [o for o in system.options.get(q, []) if valences.get((sid, q, o)) == valence]
        implied = sum(by_option.get(o) or 0 for o in chosen)
        if not (rows and close(implied, value)):
            out.add(system.answer_columns(q, gb, g, chosen), value, f"{where}: {valence}")


def _consistency(out: Published, where: str, numbers: dict[str, float | None]) -> None:
    """A shown group's base, percent favourable and respondents must follow from its other
    numbers."""
    rated = [numbers[v] for v in RATED]
    if numbers["base"] is not None and None not in rated and not close(numbers["base"], sum(rated)):
        out.leak(f"{where}: base is not favourable + neutral + unfavourable")
    if numbers["pct_favourable"] is not None:
        base, fav = numbers["base"], numbers["favourable"]
        if not base or fav is None or not close(numbers["pct_favourable"], 100 * fav / base):
            out.leak(f"{where}: percent favourable is not favourable / base")
    if (
        numbers[RESPONDENTS] is not None
        and numbers["skipped"] is not None
        and numbers[RESPONSES] is not None
        and not close(numbers[RESPONDENTS], numbers[RESPONSES] + numbers["skipped"])
    ):
        out.leak(f"{where}: respondents is not responses + skipped")


def _comments(system: SurveySystem, out: Published, comments: pd.DataFrame) -> None:
    """The number of comments published per free-text question is an equation."""
    sid = system.survey_id
    if comments.empty:
        return
    for q, part in comments.groupby("question_ref", sort=True):
        q = text(q)
        if q in system.text:
            out.add(
                system.answer_columns(q, ALL, ALL, [COMMENT]),
                float(len(part)),
                f"survey {sid} {q}: comments",
            )
        else:
            out.leak(f"survey {sid} {q}: comments published for a question not free text")


def _overview(system: SurveySystem, out: Published, overview: pd.DataFrame) -> None:
    """A survey's declared respondents (surveys.csv) may come from elsewhere: used as an
    equation when it is the count of these answers, as the reader could then assume."""
    sid = system.survey_id
    for r in overview.itertuples(index=False):
        value = number(getattr(r, RESPONDENTS, None))
        if value is not None and close(
            value, system.truth[system.respondent_columns(ALL, ALL)].sum()
        ):
            out.add(
                system.respondent_columns(ALL, ALL),
                value,
                f"survey {sid}: respondents",
                key=("respondents", ALL, ALL, value),
            )


def survey_rows(frame: pd.DataFrame | None, survey_id: str) -> pd.DataFrame:
    """The rows of one survey in a published table (empty when there are none)."""
    if frame is None or frame.empty or "survey_id" not in frame:
        return pd.DataFrame()
    return frame[frame["survey_id"].astype(str) == survey_id]


# --- derived figures: trends, evidence, published aggregates ----------------------------------


def derived_findings(tables: Mapping[str, pd.DataFrame]) -> list[Finding]:
    """Trend and evidence figures must repeat published overall results (or pool them), and a
    suppressed question's figures must not appear in the published-results tables."""
    out: list[Finding] = []
    summary = tables.get("survey_summary")
    if summary is None or summary.empty:
        return out
    overall = _overall_results(summary)
    trends = tables.get("survey_trends")
    if trends is not None and not trends.empty:
        for r in trends.itertuples(index=False):
            sid, measure = text(r.survey_id), text(r.measure)
            value, base = number(r.value), number(r.base)
            where = f"survey_trends {sid} {measure}"
            if measure.startswith("theme:"):
                out.extend(_pooled(overall, where, sid, measure.split(":", 1)[1], value, base))
            else:
                out.extend(_repeats(overall, where, value, base, (sid, measure)))
    evidence = tables.get("survey_evidence")
    if evidence is not None and not evidence.empty:
        for r in evidence.itertuples(index=False):
            key = (text(r.survey_id), text(r.question_ref))
            where = f"survey_evidence {key[0]} {key[1]}"
            out.extend(_repeats(overall, where, number(r.pct_favourable), number(r.base), key))
    for name in ("survey_published", "survey_checks"):
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        for r in frame.drop_duplicates(["survey_id", "question_ref"]).itertuples(index=False):
            key = (text(r.survey_id), text(r.question_ref))
            got = overall.get(key)
            if got is not None and got[0]:
                out.append(
                    Finding(None, 0, 0, f"{name} {key[0]} {key[1]}: repeats a suppressed result")
                )
    return out


_Overall = dict[tuple[str, str], tuple[bool, "float | None", "float | None", "float | None", str]]


def _overall_results(summary: pd.DataFrame) -> _Overall:
    """``(survey_id, question_ref) -> (suppressed, pct_favourable, base, favourable, theme)``
    of the overall results."""
    overall = {}
    for r in summary[summary["group_by"].astype(str) == ALL].itertuples(index=False):
        overall[(text(r.survey_id), text(r.question_ref))] = (
            flag(r.suppressed),
            number(r.pct_favourable),
            number(r.base),
            number(r.favourable),
            text(getattr(r, "theme_ref", "")),
        )
    return overall


def _repeats(
    overall: _Overall, where: str, value: float | None, base: float | None, key: tuple[str, str]
) -> list[Finding]:
    """A figure that must repeat a published overall result (percent favourable and base)."""
    got = overall.get(key)
    if got is None:
        if value is not None or base is not None:
            return [Finding(None, 0, 0, f"{where}: a figure for a question not published")]
        return []
    hidden, pct, b, _, _ = got
    if hidden:
        if value is not None or base is not None:
            return [Finding(None, 0, 0, f"{where}: repeats a suppressed result")]
        return []
    for mine, theirs in ((value, pct), (base, b)):
        if (mine is None) != (theirs is None) or (
            mine is not None and theirs is not None and not close(mine, theirs)
        ):
            return [Finding(None, 0, 0, f"{where}: differs from the published result")]
    return []


def _pooled(
    overall: _Overall,
    where: str,
    sid: str,
    theme: str,
    value: float | None,
    base: float | None,
) -> list[Finding]:
    """A theme's trend must pool the theme's published overall results."""
    shown = [
        v
        for (s, _), v in overall.items()
        if s == sid and v[4] == theme and not v[0] and v[2] is not None
    ]
    pooled = sum(v[2] for v in shown)
    fav = sum(v[3] or 0 for v in shown)
    if base is None and value is None and not pooled:
        return []
    if (
        base is None
        or value is None
        or not close(base, pooled)
        or not close(value * base, 100 * fav)
    ):
        return [Finding(None, 0, 0, f"{where}: not the pooled published results")]
    return []
