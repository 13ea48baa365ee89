"""Run the expectation suites in ``expectations/`` over an organisation's inputs.

Great Expectations (GX Core 1.x) is imported here only, once per run, and never inside the
report kernel. The suites are loaded from their JSON files into an ephemeral context, so no
file in the repository is rewritten. Results become :class:`~odreport.problems.Problem` lines
in the analyst's terms: ``file:row:column: what is wrong (found ..., expected ...)``.
"""

from __future__ import annotations

import copy
import logging
import os
from collections import defaultdict
from pathlib import Path

import pandas as pd

from .errors import OdReportError
from .problems import CRITICAL, WARNING, Problem, fmt_value
from .schema import load_tables
from .tables import ROW, Inputs

MAX_ROWS_LISTED = 3  # a problem hitting more rows is printed once with a count


def suite_parameters(inputs: Inputs) -> dict[str, list]:
    """Values the suites refer to with ``{"$PARAMETER": ...}``: the known references."""

    def refs(table: str, column: str) -> list:
        frame = inputs.get(table)
        if frame is None or column not in frame:
            return []
        return sorted({str(v) for v in frame[column].dropna()})

    themes, objectives, actions = (refs("themes", "theme_ref"), refs("objectives", "objective_ref"),
                                   refs("actions", "action_ref"))
    return {
        "theme_refs": themes,
        "objective_refs": objectives,
        "action_refs": actions,
        "all_refs": sorted(set(themes) | set(objectives) | set(actions)),
        "survey_ids": refs("surveys", "survey_id"),
    }


class _Gx:
    """One ephemeral GX context for the whole run."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.context.data_sources.add_pandas("inputs")
        self.asset = source.add_dataframe_asset("table")
        self.batch = self.asset.add_batch_definition_whole_dataframe("whole")
        self._n = 0

    def run(self, suite_json: dict, frame: pd.DataFrame, parameters: dict):
        self._n += 1
        data = copy.deepcopy(suite_json)
        data["name"] = f"{data['name']}-{self._n}"
        suite = self.context.suites.add(self.gx.ExpectationSuite(**data))
        definition = self.gx.ValidationDefinition(name=f"v{self._n}", data=self.batch, suite=suite)
        return definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format={"result_format": "COMPLETE", "include_unexpected_rows": False},
        )


_GX: _Gx | None = None


def _gx() -> _Gx:
    global _GX
    if _GX is None:
        _GX = _Gx()
    return _GX


def _expected(kind: str, kwargs: dict, meta: dict) -> str:
    if meta.get("expected"):
        return meta["expected"]
    if kind == "expect_column_values_to_be_in_set":
        vs = kwargs.get("value_set")
        if isinstance(vs, dict):
            return f"a known {vs.get('$PARAMETER', 'value').rstrip('s').replace('_', ' ')}"
        return "one of " + ", ".join(str(v) for v in vs)
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


def _problems_from_result(res, where: str, frame: pd.DataFrame) -> list[Problem]:
    cfg = res.expectation_config
    kind, kwargs, meta = cfg.type, cfg.kwargs, cfg.meta or {}
    severity = WARNING if str(getattr(cfg.severity, "value", cfg.severity)) == "warning" else CRITICAL
    message = meta.get("message", kind.replace("_", " "))
    info = res.exception_info or {}
    raised = info.get("raised_exception") if isinstance(info, dict) else False
    if raised:
        raise OdReportError(f"{where}: the check '{message}' could not run "
                            f"({info.get('exception_message', 'unknown error')})")
    result = res.result or {}
    if kind == "expect_table_columns_to_match_set":
        details = (result.get("details") or {}).get("mismatched") or {}
        out = [Problem(where, 1, c, "required column is missing (expected this column in the header)",
                       severity) for c in details.get("missing", [])]
        out += [Problem(where, 1, c, f"unknown column (found {fmt_value(c)}, expected only the "
                        "columns of the input format)", severity) for c in details.get("unexpected", [])]
        return out or [Problem(where, 1, None, message, severity)]
    if kind == "expect_table_row_count_to_be_between":
        return [Problem(where, None, None, f"{message} (found {result.get('observed_value')} rows)",
                        severity)]
    column = kwargs.get("column") or ", ".join(kwargs.get("column_list", []))
    rows = result.get("unexpected_index_list") or []
    values = result.get("unexpected_list") or []
    if kind == "expect_column_values_to_not_be_null" and not rows:
        rows = frame.index[frame[column].isna()].tolist()
        values = [None] * len(rows)
    expected = _expected(kind, kwargs, meta)
    groups: dict[str, list[int]] = defaultdict(list)
    for row, value in zip(rows, values or [None] * len(rows), strict=False):
        if isinstance(value, dict):
            value = ", ".join(str(v) for v in value.values())
        found = "blank" if value is None or (isinstance(value, float) and pd.isna(value)) else fmt_value(value)
        groups[f"{message} (found {found}, expected {expected})"].append(int(row))
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


def validate_inputs(inputs: Inputs, expectations_dir: Path) -> list[Problem]:
    """Run every suite over its table; return reading problems plus expectation failures."""
    problems = list(inputs.problems)
    tables = load_tables(expectations_dir)
    parameters = suite_parameters(inputs)
    for name, frame in inputs.tables.items():
        gx_frame = frame.set_index(ROW)
        gx_frame.index.name = None
        result = _gx().run(tables[name].suite, gx_frame, parameters)
        where = inputs.display_name(name)
        for res in result.results:
            if not res.success:
                problems.extend(_problems_from_result(res, where, gx_frame))
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
