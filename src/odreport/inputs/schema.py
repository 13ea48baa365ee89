"""The input format, as read from the expectation suites in ``expectations/``.

Each suite is a Great Expectations 1.x suite saved as JSON. Its ``meta`` holds the table's
description, whether the table is required, and per column its type, whether a value is
required, a description and an example. Reading that JSON needs no Great Expectations import,
so loading stays quick; the expectations themselves are run by :mod:`odreport.checks.validate`.
"""

from __future__ import annotations

import json
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


def data_dictionary_markdown(expectations_dir: Path) -> str:
    """The data dictionary (every table, column, type, allowed values) as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the expectation suites in `expectations/` by `make docs`; "
        "do not edit by hand.",
        "",
    ]
    for table in load_tables(expectations_dir).values():
        allowed = _allowed_values(table.suite)
        ranges = _ranges(table.suite)
        req = "required" if table.required else "optional"
        lines += [f"## {table.name}.csv ({req})", "", table.description, ""]
        lines += ["| column | type | value required | allowed | description | example |"]
        lines += ["|---|---|---|---|---|---|"]
        for c in table.columns:
            allow = (allowed.get(c.name) or ranges.get(c.name) or "").replace("|", "\\|")
            lines.append(
                f"| {c.name} | {c.type} | {'yes' if c.required else 'no'} | {allow} "
                f"| {c.description} | {c.example} |"
            )
        lines += ["", "Checks (critical checks stop the report; warnings are listed in it):", ""]
        for exp in table.suite.get("expectations", []):
            kw = exp.get("kwargs", {})
            cols = kw.get("column") or kw.get("column_A") or ", ".join(kw.get("column_list", []))
            cols = exp.get("meta", {}).get("column", cols)
            where = f" `{cols}`" if cols else ""
            cond = f" where `{kw['row_condition']}`" if kw.get("row_condition") else ""
            lines.append(
                f"- {exp.get('severity', 'critical')}:{where} {exp['meta']['message']}{cond}"
            )
        lines.append("")
    return "\n".join(lines)


def _allowed_values(suite: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for exp in suite.get("expectations", []):
        kw = exp.get("kwargs", {})
        if exp["type"] == "expect_column_values_to_be_in_set":
            vs = kw.get("value_set")
            if isinstance(vs, dict):
                out[kw["column"]] = (
                    f"a known {vs.get('$PARAMETER', 'value')[:-1].replace('_', ' ')}"
                )
            else:
                out[kw["column"]] = ", ".join(str(v) for v in vs)
        elif exp["type"] == "expect_column_values_to_match_regex":
            out.setdefault(kw["column"], f"pattern `{kw['regex']}`")
    return out


def _ranges(suite: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for exp in suite.get("expectations", []):
        kw = exp.get("kwargs", {})
        if exp["type"] == "expect_column_values_to_be_between":
            lo, hi = kw.get("min_value"), kw.get("max_value")
            if lo is not None and hi is not None:
                out[kw["column"]] = f"{lo}–{hi}"
            elif lo is not None:
                out[kw["column"]] = f"≥ {lo}"
            elif hi is not None:
                out[kw["column"]] = f"≤ {hi}"
    return out
