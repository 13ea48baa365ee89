"""One survey's unknown counts for the disclosure audit: for each question, answer option
(and "no answer") and combination of directorate, team and staff group that occurs, how many
respondents gave that answer; and each combination's respondents, with their true values."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from odreport.metrics.disclosure_terms import (
    ALL,
    COMMENT,
    GROUPINGS,
    NOT_STATED,
    SKIP,
    DisclosureError,
)


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
