"""Secondary suppression of survey groups: before the audit, across groupings and questions
(:func:`suppress_across`); after a failed audit, the groups to suppress next
(:func:`more_suppression`). The audit (:mod:`odreport.metrics.disclosure`) has the last word."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from odreport.metrics.disclosure_terms import ALL, GROUPINGS, AuditResult, flag, number, text

if TYPE_CHECKING:  # annotations only
    from odreport.metrics.survey_system import SurveySystem


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
    summary: pd.DataFrame, built: Mapping[str, SurveySystem], min_group_size: int
) -> pd.Series:
    """Secondary suppression across groupings and questions (before the audit, which has the
    last word).

    Where the groups of two groupings cover the same respondents (the teams of a directorate
    and the directorate; a team that is a whole directorate), their totals are equal, so a
    suppressed group on one side is the other side's total minus the groups shown. Until no
    such block has one suppressed group, or suppressed groups on one side that together have
    fewer than ``min_group_size`` responses with the other side shown, the smallest group shown on
    the suppressed side is suppressed too (else the smallest on the other side). A group
    suppressed in one question is suppressed in every question of the survey: its
    respondents, shown with any question, would otherwise bound its responses to the others
    within the few who skipped them. Returns the new ``suppressed`` column.
    """
    hidden = summary["suppressed"].map(flag).to_dict()
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
            flags = {k: c.size < min_group_size or k in survey_wide for k, c in people.items()}
            flags = _settle(system, list(people.values()), flags, min_group_size)
            survey_wide |= {k for k, v in flags.items() if v}
            grown = False
            for cells, whole in zip(questions, overall_hidden, strict=True):
                if whole:
                    for c in cells:
                        hidden[c.row] = True
                    continue
                mine = {c.row: hidden[c.row] or c.key in survey_wide for c in cells}
                mine = _settle(system, cells, mine, min_group_size)
                hidden.update(mine)
                found = {c.key for c in cells if mine[c.row]}
                if not found <= survey_wide:
                    survey_wide |= found
                    grown = True
            if not grown:
                break
    return pd.Series(hidden, dtype=bool).reindex(summary.index)


def _settle(system: SurveySystem, cells: list[_Cell], flags: dict, min_group_size: int) -> dict:
    """Apply :func:`_within` and :func:`_across` until nothing changes."""
    for _ in range(len(cells) + 1):
        before = dict(flags)
        _within(cells, flags, min_group_size)
        _across(system, cells, flags, min_group_size)
        if flags == before:
            break
    return flags


def _smallest_shown(cells: list[_Cell], flags: dict) -> _Cell | None:
    shown = [c for c in cells if not flags[c.row]]
    return min(shown, key=_Cell.order) if shown else None


def _within(cells: list[_Cell], flags: dict, min_group_size: int) -> None:
    """Within each grouping (whose groups add up to the total): no lone suppressed group, and
    suppressed groups together at least ``min_group_size``."""
    by: dict[str, list[_Cell]] = {}
    for c in cells:
        by.setdefault(c.group_by, []).append(c)
    for part in by.values():
        while True:
            hid = [c for c in part if flags[c.row]]
            if not hid or (len(hid) >= 2 and sum(c.size for c in hid) >= min_group_size):
                break
            pick = _smallest_shown(part, flags)
            if pick is None:
                break
            flags[pick.row] = True


def _across(system: SurveySystem, cells: list[_Cell], flags: dict, min_group_size: int) -> None:
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
                    if len(hid[k]) >= 2 and sum(c.size for c in hid[k]) >= min_group_size:
                        break
                    pick = _smallest_shown(sides[k], flags) or _smallest_shown(sides[1 - k], flags)
                    if pick is None:
                        break
                    flags[pick.row] = True


def more_suppression(
    result: AuditResult,
    summary: pd.DataFrame,
    built: Mapping[str, SurveySystem],
) -> set[tuple[str, str, str, str]]:
    """Groups ``(survey_id, question_ref, group_by, group)`` to suppress next, one per failed
    figure: the smallest group shown of the same breakdown that overlaps a published group the
    failed one overlaps (its parent, such as the directorate of a team), else the smallest
    such published group itself, else the question's whole breakdown. A failed respondents
    figure suppresses the chosen group in every question. ``built``: the surveys' systems
    (:func:`odreport.metrics.disclosure.systems`)."""
    out: set[tuple[str, str, str, str]] = set()
    targets = [f.target for f in result.findings if f.target is not None]
    if not targets:
        return out
    shown = summary[~summary["suppressed"].map(flag)]
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
        return (number(r.respondents) or 0, number(r.responses) or 0, text(r.group))

    groups = [
        (r, set(system.members(text(r.group_by), text(r.group)).tolist()))
        for r in cells.itertuples(index=False)
    ]
    parents = [(r, m) for r, m in groups if m & members and text(r.group_by) != group_by]
    cover = set().union(*(m for r, m in parents if text(r.group_by) != ALL)) if parents else set()
    siblings = [
        r for r, m in groups if text(r.group_by) == group_by and m & cover and not m <= members
    ]
    if not siblings:
        siblings = [r for r, m in groups if text(r.group_by) == group_by]
    if siblings:
        r = min(siblings, key=size)
        return text(r.group_by), text(r.group)
    others = [r for r, _ in parents if text(r.group_by) != ALL]
    if others:
        r = min(others, key=size)
        return text(r.group_by), text(r.group)
    rest = [r for r, _ in groups if text(r.group_by) != ALL]
    if rest:
        r = min(rest, key=size)
        return text(r.group_by), text(r.group)
    overall = [r for r, _ in groups if text(r.group_by) == ALL]
    if overall:
        return ALL, text(overall[0].group)
    return None
