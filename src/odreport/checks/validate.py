"""Run the expectation suites in ``expectations/`` over an organisation's inputs.

Great Expectations (GX Core 1.x) is imported here only, once per run, and never inside the
report kernel. The suites are loaded from their JSON files into an ephemeral context, so no
file in the repository is rewritten. Results become :class:`~odreport.inputs.problems.Problem` lines
in the analyst's terms: ``file:row:column: what is wrong (found ..., expected ...)``.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from odreport.checks.deferred import defer
from odreport.checks.narrative import check_narratives
from odreport.errors import OdReportError
from odreport.inputs.problems import (
    CRITICAL,
    FREE_TEXT_COLUMNS,
    WARNING,
    Problem,
    fmt_private,
    fmt_value,
)
from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.schema import load_tables
from odreport.inputs.tables import ROW, Inputs

MAX_ROWS_LISTED = 3  # a problem hitting more rows is printed once with a count
MAX_VALUES_LISTED = 15  # a longer list of allowed values is described, not listed


# Modules Great Expectations imports at once but only uses in expectations and renderers our
# suites do not have (distribution tests, result charts): their import waits for a first use.
DEFERRED = ("scipy.stats", "altair")

PARAMETER_TABLES = {
    "theme_refs": ("themes",),
    "objective_refs": ("objectives",),
    "action_refs": ("actions",),
    "all_refs": ("themes", "objectives", "actions"),
    "survey_ids": ("surveys",),
    "survey_or_series": ("surveys",),
    "scales": ("survey_scales",),
    "question_keys": ("surveys", "survey_questions"),
    "scale_options": ("survey_scales",),
    "framework_codes": ("frameworks",),
    "plan_start": ("organisation",),
    "plan_end": ("organisation",),
}


def _unreadable(inputs: Inputs, expectations_dir: Path) -> set[str]:
    """Tables that exist (or must) but could not be read: their problems are already listed."""
    tables = load_tables(expectations_dir)
    return {
        name
        for name, table in tables.items()
        if name not in inputs.tables and (name in inputs.files or table.required)
    }


def _depends_on_unreadable(expectation: dict, unreadable: set[str]) -> bool:
    return any(
        isinstance(value, dict)
        and "$PARAMETER" in value
        and unreadable & set(PARAMETER_TABLES.get(value["$PARAMETER"], ()))
        for value in expectation["kwargs"].values()
    )


def suite_parameters(inputs: Inputs) -> dict[str, list]:
    """Values the suites refer to with ``{"$PARAMETER": ...}``: the known references."""

    def refs(table: str, column: str) -> list:
        frame = inputs.get(table)
        if frame is None or column not in frame:
            return []
        return sorted({str(v) for v in frame[column].dropna()})

    themes, objectives, actions = (
        refs("themes", "theme_ref"),
        refs("objectives", "objective_ref"),
        refs("actions", "action_ref"),
    )
    return {
        "theme_refs": themes,
        "objective_refs": objectives,
        "action_refs": actions,
        "all_refs": sorted(set(themes) | set(objectives) | set(actions)),
        "survey_ids": refs("surveys", "survey_id"),
        "survey_or_series": sorted(
            set(refs("surveys", "survey_id")) | set(refs("surveys", "series"))
        ),
        "scales": sorted({*refs("survey_scales", "scale"), TEXT_SCALE}),
        "question_keys": sorted(f"{s}|{q}" for s, q in question_map(inputs)),
        "scale_options": _scale_options(inputs),
        "framework_codes": _framework_codes(inputs),
        "org_folder": [inputs.org],  # org_id must be the folder's name
        **_plan_period(inputs),
    }


def _scale_options(inputs: Inputs) -> list[str]:
    frame = inputs.get("survey_scales")
    if frame is None:
        return []
    return sorted(
        {f"{s}|{o}" for s, o in zip(frame["scale"], frame["option"], strict=True) if s and o}
    )


def _framework_codes(inputs: Inputs) -> list[str]:
    frame = inputs.get("frameworks")
    if frame is None:
        return []
    return sorted(
        f"{f}:{c}"
        for f, c in zip(frame["framework"], frame["code"], strict=True)
        if f is not None and c is not None
    )


def _plan_period(inputs: Inputs) -> dict[str, str]:
    """The plan's first and last day, for date-range checks (GX wants a time part)."""
    org = inputs.get("organisation")
    out = {"plan_start": "1900-01-01T00:00:00", "plan_end": "2999-12-31T00:00:00"}
    if org is not None and len(org) == 1:
        for key in out:
            value = org[key].iloc[0] if key in org else None
            if value is not None and not pd.isna(value):
                out[key] = pd.Timestamp(value).strftime("%Y-%m-%dT00:00:00")
    return out


class _Gx:
    """One ephemeral GX context for the whole run."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        for name in DEFERRED:  # imported by GX, used by none of our suites
            defer(name)
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
        """Validate ``frame`` against the suite: a quick pass that only says pass or fail,
        then, for a suite that fails, a complete pass naming the rows and values. Valid tables
        (the usual case) cost half as much."""
        quick = self._run(suite_json, frame, parameters, {"result_format": "BOOLEAN_ONLY"})
        if quick.success:
            return quick
        complete = {"result_format": "COMPLETE", "include_unexpected_rows": False}
        return self._run(suite_json, frame, parameters, complete)

    def _run(self, suite_json: dict, frame: pd.DataFrame, parameters: dict, result_format):
        self._n += 1
        data = copy.deepcopy(suite_json)
        data["name"] = f"{data['name']}-{self._n}"
        suite = self.context.suites.add(self.gx.ExpectationSuite(**data))
        definition = self.gx.ValidationDefinition(name=f"v{self._n}", data=self.batch, suite=suite)
        try:
            return definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format=result_format,
            )
        finally:  # a batch worker validates hundreds of tables: keep the context small
            self.context.suites.delete(data["name"])


_GX: _Gx | None = None


def _gx() -> _Gx:
    global _GX
    if _GX is None:
        _GX = _Gx()
    return _GX


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
            if all(c in frame for c in _spec_columns(spec)):
                raise OdReportError(
                    f"derived column {name!r} could not be computed ({exc})"
                ) from exc
            frame[name] = pd.Series(pd.NA, index=frame.index, dtype="Float64")
        names.append(name)
    return names


def _spec_columns(spec: dict) -> list[str]:
    cols = list(spec.get("by", [])) + list(spec.get("concat", []))
    cols += list(spec.get("question_key", [])) + list(spec.get("question_scale", []))
    cols += [spec[k] for k in ("group_sum", "on", "score") if k in spec]
    if "match" in spec:
        cols.append(spec["match"])
    return cols


def _derive(frame: pd.DataFrame, spec: dict, inputs: Inputs) -> pd.Series:
    if "expr" in spec:
        return pd.to_numeric(frame.eval(spec["expr"]), errors="coerce").astype("Float64")
    if "concat" in spec:
        parts = [frame[c].astype("string") for c in spec["concat"]]
        out = parts[0]
        for part in parts[1:]:
            out = out + spec.get("sep", ":") + part
        return out.astype(object).where(out.notna(), None)
    if "question_key" in spec:
        survey, question = (frame[c].astype("string") for c in spec["question_key"])
        out = survey + "|" + question
        return out.astype(object).where(out.notna(), None)
    if "question_scale" in spec:
        scales = {
            f"{s}|{q}": meta["scale"]
            for (s, q), meta in question_map(inputs).items()
            if meta["scale"] != TEXT_SCALE
        }
        survey, question = (frame[c].astype("string") for c in spec["question_scale"])
        out = (survey + "|" + question).map(scales)
        return out.astype(object).where(out.notna(), None)
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


def _expected(kind: str, kwargs: dict, meta: dict) -> str:
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
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _problems_from_result(
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


def _needs(expectation: dict, suite: dict, missing: set[str]) -> bool:
    """Whether an expectation reads a missing column (directly, or through a derived column
    made from it); the table-wide checks need none."""
    if not missing or expectation["type"].startswith("expect_table_"):
        return False
    derived = suite.get("meta", {}).get("derived_columns") or {}
    kwargs, meta = expectation["kwargs"], expectation.get("meta") or {}
    wanted = [kwargs.get(k) for k in ("column", "column_A", "column_B")]
    wanted += [*(kwargs.get("column_list") or []), meta.get("found_column")]
    seen: set[str] = set()
    while wanted:
        col = wanted.pop()
        if not col or col in seen:
            continue
        seen.add(col)
        if col in missing:
            return True
        if col in derived:
            wanted += _spec_columns(derived[col])
    return False


def validate_inputs(inputs: Inputs, expectations_dir: Path) -> list[Problem]:
    """Run every suite over its table; return reading problems plus expectation failures."""
    problems = list(inputs.problems)
    tables = load_tables(expectations_dir)
    # a table without one of its columns (renamed, say) is reported by its column check; the
    # checks that need the column, and other tables' checks against it, are not run
    missing = {
        name: set(tables[name].column_names) - set(frame.columns)
        for name, frame in inputs.tables.items()
    }
    incomplete = {name for name, cols in missing.items() if cols}
    complete = Inputs(
        org=inputs.org,
        tables={n: f for n, f in inputs.tables.items() if n not in incomplete},
        files=inputs.files,
        problems=inputs.problems,
    )
    parameters = suite_parameters(complete)
    unreadable = _unreadable(inputs, expectations_dir) | incomplete
    printable = frozenset(o.split("|", 1)[1] for o in parameters["scale_options"])
    for name, frame in inputs.tables.items():
        gx_frame = frame.set_index(ROW)
        gx_frame.index.name = None
        for col in gx_frame.columns:  # NaN, not <NA>, so row conditions compare cleanly
            if str(gx_frame[col].dtype) in ("Int64", "Float64"):
                gx_frame[col] = gx_frame[col].astype("float64")
        suite = copy.deepcopy(tables[name].suite)
        # A check against a table that could not be read would only repeat that problem.
        suite["expectations"] = [
            e
            for e in suite["expectations"]
            if not _depends_on_unreadable(e, unreadable) and not _needs(e, suite, missing[name])
        ]
        derived = add_derived_columns(gx_frame, suite, complete)
        for exp in suite["expectations"]:
            if exp["type"] == "expect_table_columns_to_match_set":
                exp["kwargs"]["column_set"] = list(exp["kwargs"]["column_set"]) + derived
        result = _gx().run(suite, gx_frame, parameters)
        where = inputs.display_name(name)
        private = FREE_TEXT_COLUMNS.get(name, ())
        for res in result.results:
            if not res.success:
                problems.extend(_problems_from_result(res, where, gx_frame, private, printable))
    # A value that could not be read is reported once, not again as missing or out of range.
    unreadable = {(p.file, p.row, p.column) for p in inputs.problems if p.row is not None}
    problems = [
        p for p in problems if p in inputs.problems or (p.file, p.row, p.column) not in unreadable
    ]
    problems += check_narratives(inputs)  # what narrative/<period>.md refers to (checks.narrative)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
