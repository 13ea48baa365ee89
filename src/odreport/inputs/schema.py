"""The input format, as read from the expectation suites in ``expectations/``.

Each suite is a Great Expectations 1.x suite saved as JSON. Its ``meta`` holds the table's
description, whether the table is required, and per column its type, whether a value is
required, whether the column may be left out of the header, a description and an example.
Reading that JSON needs no Great Expectations import, so loading stays quick; the expectations
themselves are run by :mod:`odreport.checks.validate`. The data dictionary
(``docs/data-dictionary.md``) is generated here from the same suites: every rule on a column's
values in words, conditions and references to other tables included.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COLUMN_TYPES = ("text", "int", "number", "date", "month")


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    name: str
    type: str
    required: bool
    description: str
    example: str
    may_be_left_out: bool = False  # absent from the header: read as a blank column


@dataclass(frozen=True)
class Table:
    """One input table: its name (file stem), whether it must exist, and its columns."""

    name: str
    description: str
    required: bool
    columns: tuple[Column, ...]
    suite: dict

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _table_from_suite(suite: dict) -> Table:
    meta = suite.get("meta", {})
    columns = tuple(
        Column(
            name=name,
            type=spec.get("type", "text"),
            required=bool(spec.get("required", False)),
            description=spec.get("description", ""),
            example=str(spec.get("example", "")),
            may_be_left_out=bool(spec.get("may_be_left_out", False)),
        )
        for name, spec in meta.get("columns", {}).items()
    )
    for col in columns:
        if col.type not in COLUMN_TYPES:
            raise ValueError(
                f"suite {suite['name']}: column {col.name} has unknown type {col.type}"
            )
    return Table(
        name=suite["name"],
        description=meta.get("description", ""),
        required=bool(meta.get("required_table", False)),
        columns=columns,
        suite=suite,
    )


@cache
def _load_tables(expectations_dir: str) -> dict[str, Table]:
    tables = {}
    for path in sorted(Path(expectations_dir).glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        tables[suite["name"]] = _table_from_suite(suite)
    return tables


def load_tables(expectations_dir: Path) -> dict[str, Table]:
    """All input tables defined by the suites in ``expectations_dir``, keyed by name."""
    return _load_tables(str(Path(expectations_dir).resolve()))


# --- the data dictionary -----------------------------------------------------------------

# What each ``{"$PARAMETER": name}`` of the suites stands for (the values are worked out from
# the organisation's own inputs by :func:`odreport.checks.validate.suite_parameters`).
PARAMETER_WORDS = {
    "theme_refs": "a theme_ref in themes.csv",
    "objective_refs": "an objective_ref in objectives.csv",
    "action_refs": "an action_ref in actions.csv",
    "all_refs": "a theme_ref, objective_ref or action_ref of the plan",
    "survey_ids": "a survey_id in surveys.csv",
    "survey_or_series": "a survey_id or series in surveys.csv",
    "scales": "a scale in survey_scales.csv, or text",
    "question_keys": "a question_ref in survey_questions.csv for this survey or its series",
    "scale_options": "an option of the question's scale in survey_scales.csv",
    "framework_codes": "a framework and code listed together in frameworks.csv",
    "plan_start": "the plan's start date (plan_start in organisation.csv)",
    "plan_end": "the plan's end date (plan_end in organisation.csv)",
    "org_folder": "the name of the organisation's folder in data/raw/",
}

_OPERATORS = {
    "==": "is",
    "!=": "is not",
    ">=": "is at least",
    "<=": "is at most",
    ">": "is more than",
    "<": "is less than",
}
_CLAUSE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$")


def parameter_words(value: object) -> str:
    """A suite's ``{"$PARAMETER": name}`` in words; other values as they are written."""
    if isinstance(value, dict):
        name = value.get("$PARAMETER")
        if name not in PARAMETER_WORDS:
            raise ValueError(
                f"no words for the suite parameter {value!r}: add it to PARAMETER_WORDS"
            )
        return PARAMETER_WORDS[name]
    return _fmt(value)


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def condition_words(condition: str) -> str:
    """A pandas ``row_condition`` in words: ``status == "Complete"`` → ``status is Complete``,
    ``rating >= 8 and rating <= 12`` → ``rating is between 8 and 12``."""
    clauses = []
    for part in condition.split(" and "):
        match = _CLAUSE_RE.match(part)
        if not match:
            raise ValueError(f"row condition not understood: {condition!r}")
        column, op, value = match.groups()
        clauses.append((column, op, value.strip().strip("\"'")))
    if (
        len(clauses) == 2
        and clauses[0][0] == clauses[1][0]
        and {clauses[0][1], clauses[1][1]} == {">=", "<="}
    ):
        low, high = sorted(clauses, key=lambda c: c[1] != ">=")
        return f"{low[0]} is between {low[2]} and {high[2]}"
    return " and ".join(f"{c} {_OPERATORS[op]} {v}" for c, op, v in clauses)


def _range_words(low: object, high: object, strict_low: bool, strict_high: bool) -> str:
    """A range in words: numbers as ``0 to 100``, ``at least 0``; dates the suite takes from
    the organisation's inputs as ``on or after the plan's start date (...)``."""
    dated = isinstance(low, dict) or isinstance(high, dict)
    if not dated and low is not None and high is not None and not (strict_low or strict_high):
        return f"{_fmt(low)} to {_fmt(high)}"
    parts = []
    if low is not None:
        if dated:
            parts.append(("after " if strict_low else "on or after ") + parameter_words(low))
        else:
            parts.append(("more than " if strict_low else "at least ") + _fmt(low))
    if high is not None:
        if dated:
            parts.append(("before " if strict_high else "on or before ") + parameter_words(high))
        else:
            parts.append(("less than " if strict_high else "at most ") + _fmt(high))
    return " and ".join(parts)


def _rule_words(kind: str, kwargs: dict) -> str | None:
    """What one expectation allows, in words; ``None`` for rules that are not about the
    values of one column (uniqueness, pairs of columns, the header)."""
    if kind == "expect_column_values_to_be_in_set":
        values = kwargs.get("value_set")
        if isinstance(values, dict):
            return parameter_words(values)
        return ", ".join(_fmt(v) for v in values)
    if kind == "expect_column_values_to_be_between":
        return _range_words(
            kwargs.get("min_value"),
            kwargs.get("max_value"),
            bool(kwargs.get("strict_min")),
            bool(kwargs.get("strict_max")),
        )
    if kind == "expect_column_values_to_match_regex":
        return f"matching `{kwargs['regex']}`"
    if kind == "expect_column_values_to_not_match_regex":
        return f"not matching `{kwargs['regex']}`"
    return None


def column_rules(table: Table) -> dict[str, list[str]]:
    """Every rule on each column's values, in words: the unconditional rules first, then those
    that apply to some rows only, with their condition ("must be Blue when status is
    Complete"). A rule on a value derived from the column says so; a warning says so."""
    derived = table.suite.get("meta", {}).get("derived_columns") or {}
    rules: dict[str, list[tuple[bool, str]]] = {c.name: [] for c in table.columns}
    for exp in table.suite.get("expectations", []):
        kwargs, meta = exp.get("kwargs", {}), exp.get("meta", {})
        if "column" not in kwargs:
            continue
        words = _rule_words(exp["type"], kwargs)
        if words is None:
            continue
        checked = kwargs["column"]
        column = meta.get("column", checked)
        if checked in derived and exp["type"] == "expect_column_values_to_be_between":
            if "month_start" in derived[checked]:
                words = f"a month whose first day is {words}"
            else:
                words = f"{checked}: {words}"
        warning = exp.get("severity") == "warning"
        condition = kwargs.get("row_condition")
        if condition:
            values = kwargs.get("value_set")
            if isinstance(values, list):
                words = " or ".join(_fmt(v) for v in values)
            verb = "should be" if warning else "must be"
            words = f"{verb} {words} when {condition_words(condition)}"
        if warning:
            words += " (otherwise a warning)"
        rules.setdefault(column, []).append((bool(condition), words))
    return {
        name: [w for _, w in sorted(found, key=lambda r: r[0])] for name, found in rules.items()
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def data_dictionary_markdown(expectations_dir: Path) -> str:
    """The data dictionary (every table and column: type, whether a value is required, every
    rule on its values in words, description and a valid example) as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the expectation suites in `expectations/` by `make docs`; "
        "do not edit by hand.",
        "",
        "For each column: its type, whether a value is required, what values are allowed "
        "(every rule on the column's values; a rule that applies to some rows only says when, "
        "and a rule that only gives a warning says so), a description and a valid example. "
        "A column marked *may be left out* can be missing from the header: it is then read "
        "as blank. Rules that involve several columns or rows are in each table's list of "
        "checks.",
        "",
    ]
    for table in load_tables(expectations_dir).values():
        rules = column_rules(table)
        req = "required" if table.required else "optional"
        lines += [f"## {table.name}.csv ({req})", "", table.description, ""]
        lines += ["| column | type | value required | allowed | description | example |"]
        lines += ["|---|---|---|---|---|---|"]
        for c in table.columns:
            required = "yes" if c.required else "no"
            if c.may_be_left_out:
                required += " (may be left out)"
            lines.append(
                f"| {c.name} | {c.type} | {required} | {_cell('; '.join(rules[c.name]))} "
                f"| {_cell(c.description)} | {_cell(c.example)} |"
            )
        lines += ["", "Checks (critical checks stop the report; warnings are listed in it):", ""]
        for exp in table.suite.get("expectations", []):
            kw = exp.get("kwargs", {})
            cols = kw.get("column") or kw.get("column_A") or ", ".join(kw.get("column_list", []))
            cols = exp.get("meta", {}).get("column", cols)
            where = f" `{cols}`" if cols else ""
            cond = (
                f" (when {condition_words(kw['row_condition'])})" if kw.get("row_condition") else ""
            )
            lines.append(
                f"- {exp.get('severity', 'critical')}:{where} {exp['meta']['message']}{cond}"
            )
        lines.append("")
    return "\n".join(lines)
