"""Columns the suites derive before validating (``meta.derived_columns`` of a suite).

Cross-column and cross-table rules compare a column with a value derived from others (a
risk's rating with severity × likelihood, an answer with the options of its question's
scale). Text derived from a few columns is worked out once per distinct combination of
them and spread to every row: a million survey answers hold a few hundred combinations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from odreport.errors import OdReportError
from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.tables import Inputs


def add_derived_columns(frame: pd.DataFrame, suite: dict, inputs: Inputs) -> list[str]:
    """Add the suite's ``meta.derived_columns`` to ``frame``; return their names.

    Cross-column and cross-table rules compare a column with a value derived from others.
    The derivation is declared in the suite next to the expectation that uses it:
    ``{"expr": "severity * likelihood"}`` (a pandas expression over the row),
    ``{"group_sum": "percent", "by": [...]}`` (total of a column within a group),
    ``{"lookup": "surveys.respondents", "on": "survey_id"}`` (a value from another table),
    ``{"band": "maturity_levels", "score": "score", "match": "framework"}`` (the level whose
    score band holds the value),
    ``{"question_key": ["survey_id", "question_ref"]}`` (``survey_id|question_ref``),
    ``{"question_scale": ["survey_id", "question_ref"]}`` (the answer scale of the question,
    blank for free-text or unknown questions).
    """
    names = []
    for name, spec in (suite.get("meta", {}).get("derived_columns") or {}).items():
        try:
            frame[name] = _derive(frame, spec, inputs)
        except Exception as exc:
            if all(c in frame for c in spec_columns(spec)):
                raise OdReportError(
                    f"derived column {name!r} could not be computed ({exc})"
                ) from exc
            frame[name] = pd.Series(pd.NA, index=frame.index, dtype="Float64")
        names.append(name)
    return names


def spec_columns(spec: dict) -> list[str]:
    """The columns a derivation reads."""
    cols = list(spec.get("by", [])) + list(spec.get("concat", []))
    cols += list(spec.get("question_key", [])) + list(spec.get("question_scale", []))
    cols += [spec[k] for k in ("group_sum", "on", "score") if k in spec]
    if "match" in spec:
        cols.append(spec["match"])
    return cols


def _derive(frame: pd.DataFrame, spec: dict, inputs: Inputs) -> pd.Series:
    """One derived column (see :func:`add_derived_columns`)."""
    if "expr" in spec:
        return pd.to_numeric(frame.eval(spec["expr"]), errors="coerce").astype("Float64")
    if "concat" in spec:
        return on_distinct(frame, spec["concat"], lambda part: _joined(part, spec.get("sep", ":")))
    if "question_key" in spec:
        return on_distinct(frame, spec["question_key"], lambda part: _joined(part, "|"))
    if "question_scale" in spec:
        scales = {
            f"{s}|{q}": meta["scale"]
            for (s, q), meta in question_map(inputs).items()
            if meta["scale"] != TEXT_SCALE
        }

        def scale(part: pd.DataFrame) -> pd.Series:
            out = _joined(part, "|").map(scales)
            return out.astype(object).where(out.notna(), None)

        return on_distinct(frame, spec["question_scale"], scale)
    if "month_start" in spec:
        return pd.to_datetime(frame[spec["month_start"]].astype("string") + "-01", errors="coerce")
    if "group_sum" in spec:
        values = pd.to_numeric(frame[spec["group_sum"]], errors="coerce").astype("Float64")
        keys = [frame[c].fillna("") for c in spec["by"]]
        total = values.groupby(keys).transform(lambda s: s.sum(min_count=1))
        return total.where(values.notna())
    if "lookup" in spec:
        table, column = spec["lookup"].split(".")
        other = inputs.get(table)
        if other is None:
            return pd.Series(pd.NA, index=frame.index, dtype="Float64")
        mapping = other.drop_duplicates(spec["on"]).set_index(spec["on"])[column]
        return pd.to_numeric(frame[spec["on"]].map(mapping), errors="coerce").astype("Float64")
    if "band" in spec:
        bands = inputs.get(spec["band"])
        out = pd.Series(pd.NA, index=frame.index, dtype="Float64")
        if bands is None:
            return out
        for idx, row in frame.iterrows():
            score = row[spec["score"]]
            if pd.isna(score):
                continue
            mine = bands[bands[spec["match"]] == row[spec["match"]]].sort_values("min_score")
            for i, (_, band) in enumerate(mine.iterrows()):
                last = i == len(mine) - 1
                if band["min_score"] <= score and (
                    score < band["max_score"] or (last and score <= band["max_score"])
                ):
                    out[idx] = band["level"]
        return out
    raise OdReportError(f"unknown derived column specification {spec!r}")


def _joined(part: pd.DataFrame, sep: str) -> pd.Series:
    """The columns of ``part`` as text joined by ``sep`` (blank when one of them is)."""
    columns = [part[c].astype("string") for c in part.columns]
    out = columns[0]
    for column in columns[1:]:
        out = out + sep + column
    return out.astype(object).where(out.notna(), None)


def on_distinct(
    frame: pd.DataFrame, columns: list[str], compute: Callable[[pd.DataFrame], pd.Series]
) -> pd.Series:
    """``compute(frame[columns])`` worked out on each distinct combination of ``columns`` once
    (blanks included), as an object column of ``frame``."""
    part = frame[list(columns)]
    codes = part.groupby(list(columns), dropna=False, sort=False).ngroup().to_numpy()
    first = np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())  # group 0, 1, 2, ...
    values = np.empty(len(first), dtype=object)
    values[:] = list(compute(part.iloc[first]))
    return pd.Series(values[codes], index=frame.index, dtype=object)
