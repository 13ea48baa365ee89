"""Phrase a failed Great Expectations result as problems in the analyst's terms:
``file:row:column: what is wrong (found ..., expected ...)``.

A failure hitting more than :data:`MAX_ROWS_LISTED` rows with the same message is one line
with a count; values of free-text columns are described, never shown (they may hold personal
details), unless they are options of a scale.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pandas as pd

from odreport.errors import OdReportError
from odreport.inputs.problems import CRITICAL, WARNING, Problem, fmt_private, fmt_value

MAX_ROWS_LISTED = 3  # a problem hitting more rows is printed once with a count
MAX_VALUES_LISTED = 15  # a longer list of allowed values is described, not listed


def _expected(kind: str, kwargs: dict, meta: dict) -> str:
    """What the expectation wanted, for the message's ``expected ...`` part."""
    if meta.get("expected"):  # "{values}": the values a parameter stood for, e.g. the folder
        values = kwargs.get("value_set")
        listed = ", ".join(fmt_value(v) for v in values) if isinstance(values, list) else ""
        return meta["expected"].replace("{values}", listed)
    if kind == "expect_column_values_to_be_in_set":
        vs = kwargs.get("value_set")
        if isinstance(vs, dict) or len(vs) > MAX_VALUES_LISTED:
            return meta.get("expected_many", "a known value")
        if not vs:
            return meta.get("expected_many", "a value, but none are defined")
        return "one of " + ", ".join(str(_num(v)) for v in vs)
    if kind == "expect_column_values_to_be_between":
        lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
        if lo is not None and hi is not None:
            return f"between {lo:g} and {hi:g}"
        return f"at least {lo:g}" if lo is not None else f"at most {hi:g}"
    if kind == "expect_column_values_to_match_regex":
        return f"a value matching {kwargs.get('regex')}"
    if kind == "expect_column_values_to_not_be_null":
        return "a value"
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        return "each value once"
    return ""


def _renamed(name: str) -> str:
    """A column name compared loosely: a renamed column differs only in case or punctuation."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def problems_from_result(
    res,
    where: str,
    frame: pd.DataFrame,
    private: tuple[str, ...] = (),
    printable: frozenset[str] = frozenset(),
) -> list[Problem]:
    """The problems of one failed expectation. Values of the ``private`` (free-text) columns
    are described, not shown, unless they are in ``printable`` (options of the scales)."""
    cfg = res.expectation_config
    kind, kwargs, meta = cfg.type, cfg.kwargs, cfg.meta or {}
    severity = (
        WARNING if str(getattr(cfg.severity, "value", cfg.severity)) == "warning" else CRITICAL
    )
    message = meta.get("message", kind.replace("_", " "))
    info = res.exception_info or {}
    raised = info.get("raised_exception") if isinstance(info, dict) else False
    if raised:
        raise OdReportError(
            f"{where}: the check '{message}' could not run "
            f"({info.get('exception_message', 'unknown error')})"
        )
    result = res.result or {}
    if kind == "expect_table_columns_to_match_set":
        details = (result.get("details") or {}).get("mismatched") or {}
        missing, unexpected = list(details.get("missing", [])), list(details.get("unexpected", []))
        renamed = []
        for m in list(missing):
            alike = [u for u in unexpected if _renamed(u) == _renamed(m)]
            if len(alike) == 1:
                missing.remove(m)
                unexpected.remove(alike[0])
                renamed.append(
                    Problem(
                        where,
                        1,
                        m,
                        f"column renamed (found {fmt_value(alike[0])}, expected {fmt_value(m)})",
                        severity,
                    )
                )
        details = {"missing": missing, "unexpected": unexpected}
        out = renamed + [
            Problem(
                where,
                1,
                c,
                "required column is missing (expected this column in the header)",
                severity,
            )
            for c in details.get("missing", [])
        ]
        out += [
            Problem(
                where,
                1,
                c,
                f"unknown column (found {fmt_value(c)}, expected only the "
                "columns of the input format)",
                severity,
            )
            for c in details.get("unexpected", [])
        ]
        return out or [Problem(where, 1, None, message, severity)]
    if kind == "expect_table_row_count_to_be_between":
        return [
            Problem(
                where,
                None,
                None,
                f"{message} (found {result.get('observed_value')} rows)",
                severity,
            )
        ]
    column = (
        kwargs.get("column") or kwargs.get("column_A") or ", ".join(kwargs.get("column_list", []))
    )
    column = meta.get("column", column)
    rows = result.get("unexpected_index_list") or []
    values = result.get("unexpected_list") or []
    if kind == "expect_column_values_to_not_be_null" and not rows:
        rows = frame.index[frame[kwargs["column"]].isna()].tolist()
        values = [None] * len(rows)
    expected = _expected(kind, kwargs, meta)
    shown_column = meta.get("found_column") or kwargs.get("column")
    hide = shown_column in private
    groups: dict[str, list[int]] = defaultdict(list)
    for row, value in zip(rows, values or [None] * len(rows), strict=False):
        if meta.get("found_column"):
            value = frame.loc[row, meta["found_column"]]
        if hide and value is not None and not pd.isna(value) and str(value) not in printable:
            groups[f"{message} (found {fmt_private(value)}, expected {expected})"].append(int(row))
            continue
        if isinstance(value, dict):
            value = ", ".join(str(v) for v in value.values())
        if isinstance(value, tuple):
            a, b = (_found(v, quote=False) for v in value)
            text = meta.get("detail", "found {a}, expected {b}").format(a=a, b=b)
            groups[f"{message} ({text})"].append(int(row))
            continue
        groups[f"{message} (found {_found(value)}, expected {expected})"].append(int(row))
    out = []
    for text, hit in groups.items():
        hit = sorted(hit)
        if len(hit) > MAX_ROWS_LISTED:
            out.append(Problem(where, hit[0], column, text, severity, rows=len(hit)))
        else:
            out += [Problem(where, r, column, text, severity) for r in hit]
    if not out:
        out.append(Problem(where, None, column or None, message, severity))
    return out


def _found(value: object, quote: bool = True) -> str:
    """A found value for a message: blank, a number, a date, or a quoted text."""
    if value is None or (not isinstance(value, str | tuple) and pd.isna(value)):
        return "blank"
    if isinstance(value, dt.date | np.datetime64):
        return pd.Timestamp(value).date().isoformat()
    value = _num(value)
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return fmt_value(value) if quote else str(value)


def _num(value: object) -> object:
    """Whole floats print as integers in messages (16, not 16.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):
        return _num(value.item())
    return value
