"""Run the expectation suites in ``expectations/`` over an organisation's inputs.

Great Expectations (GX Core 1.x) is imported here only, once per run, and never inside the
report kernel. The suites are loaded from their JSON files into an ephemeral context, so no
file in the repository is rewritten. Results become :class:`~odreport.inputs.problems.Problem` lines
in the analyst's terms: ``file:row:column: what is wrong (found ..., expected ...)``.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
from pathlib import Path

import pandas as pd

from odreport.checks.deferred import defer
from odreport.checks.derived import add_derived_columns, spec_columns
from odreport.checks.messages import problems_from_result
from odreport.checks.narrative import check_narratives
from odreport.inputs.problems import FREE_TEXT_COLUMNS, Problem
from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.schema import load_tables
from odreport.inputs.tables import ROW, Inputs

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


GX_VERSION = "1.24.1"  # the version _configuration_once was written against (pyproject pins it)


def _configuration_once() -> None:
    """Make Great Expectations build an expectation's configuration once per look-up of its
    arguments, not once per argument.

    ``Expectation.configuration`` is a property that builds a new ``ExpectationConfiguration``
    from the expectation's fields every time it is read (a pydantic ``dict()`` and a deep
    copy), and GX 1.24's ``_get_domain_kwargs``, ``_get_success_kwargs`` and
    ``_get_runtime_kwargs`` read it once for every argument name: about 7,000 configurations
    per organisation, half the time of validating it. These replacements read it once per
    call (``_get_runtime_kwargs``, which looks up the domain and success arguments too, once
    for all three) and are otherwise the same code, so the results are too (the message corpus,
    tests/checks/corpus, checks them); they are installed only on the version they were
    written against (:data:`GX_VERSION`)."""
    from great_expectations.expectations.expectation import Expectation, parse_result_format

    def success_kwarg(self, kwargs: dict, key: str):
        if key in kwargs:
            return kwargs[key]
        field = self.__fields__.get(key)
        return field.default if field is not None and not field.required else None

    def domain(self, kwargs: dict) -> dict:
        return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}

    def success(self, kwargs: dict) -> dict:
        domain_kwargs = domain(self, kwargs)
        success_kwargs = {
            key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys
        }
        success_kwargs.update(domain_kwargs)
        return success_kwargs

    def _get_domain_kwargs(self) -> dict:
        return domain(self, self.configuration.kwargs)

    def _get_success_kwargs(self) -> dict:
        return success(self, self.configuration.kwargs)

    def _get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict:
        runtime_configuration = runtime_configuration or {}
        kwargs = self.configuration.kwargs  # one configuration for the three look-ups
        success_kwargs = success(self, kwargs)
        runtime_kwargs = {
            key: runtime_configuration.get(key, success_kwarg(self, kwargs, key))
            for key in self.runtime_keys
        }
        runtime_kwargs.update(success_kwargs)
        runtime_kwargs["result_format"] = parse_result_format(runtime_kwargs["result_format"])
        return runtime_kwargs

    Expectation._get_domain_kwargs = _get_domain_kwargs
    Expectation._get_success_kwargs = _get_success_kwargs
    Expectation._get_runtime_kwargs = _get_runtime_kwargs


class _Gx:
    """One ephemeral GX context for the whole process. Each distinct suite (a table's suite
    with the checks that apply to this organisation's inputs) is built once and kept with its
    validation definition: building a suite from its JSON is most of the cost of validating a
    small table, and a batch worker validates the same few suites for hundreds of them."""

    KEEP = 64  # distinct suites kept (a batch worker meets a few per table type)

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        for name in DEFERRED:  # imported by GX, used by none of our suites
            defer(name)
        from tqdm import tqdm

        # GX makes a (disabled) tqdm bar per validation graph, and tqdm's default lock is a
        # multiprocessing semaphore: left behind by a validation process that is stopped, it
        # made Python's resource tracker warn after the run's last line. A thread lock will do.
        tqdm.set_lock(threading.RLock())
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        # GX fingerprints each batch (an MD5 of every cell, a second per million rows) for the
        # results stores; this ephemeral context stores nothing, so nothing reads it.
        pandas_execution_engine.HASH_THRESHOLD = 0
        if gx.__version__ == GX_VERSION:
            _configuration_once()
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.context.data_sources.add_pandas("inputs")
        self.asset = source.add_dataframe_asset("table")
        self.batch = self.asset.add_batch_definition_whole_dataframe("whole")
        self._built: dict[str, tuple[str, object]] = {}
        self._n = 0

    def run(self, suite_json: dict, frame: pd.DataFrame, parameters: dict):
        """Validate ``frame`` against the suite: a quick pass that only says pass or fail,
        then, for a suite that fails, a complete pass naming the rows and values. Valid tables
        (the usual case) cost half as much.

        The frame is validated as a batch (``Batch.validate``), not through a validation
        definition's ``run``: the same validator and results, without the definition's checks
        that it and its suite are saved in the context, and without serialising the results
        into the context's (ephemeral, never read) results store, a sixth of the time."""
        suite = self._suite(suite_json)
        batch = self.batch.get_batch(batch_parameters={"dataframe": frame})
        quick = batch.validate(
            suite,
            result_format={"result_format": "BOOLEAN_ONLY"},
            expectation_parameters=parameters,
        )
        if quick.success:
            return quick
        complete = {"result_format": "COMPLETE", "include_unexpected_rows": False}
        return batch.validate(suite, result_format=complete, expectation_parameters=parameters)

    def _suite(self, suite_json: dict):
        """The expectation suite of ``suite_json``, built on its first use."""
        key = json.dumps(suite_json, sort_keys=True, default=str)
        if key not in self._built:
            if len(self._built) >= self.KEEP:  # the oldest goes
                name, _ = self._built.pop(next(iter(self._built)))
                self.context.suites.delete(name)
            self._n += 1
            data = copy.deepcopy(suite_json)
            data["name"] = f"{data['name']}-{self._n}"
            suite = self.context.suites.add(self.gx.ExpectationSuite(**data))
            self._built[key] = (data["name"], suite)
        return self._built[key][1]


_GX: _Gx | None = None


def _gx() -> _Gx:
    global _GX
    if _GX is None:
        _GX = _Gx()
    return _GX


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
            wanted += spec_columns(derived[col])
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
                problems.extend(problems_from_result(res, where, gx_frame, private, printable))
    # A value that could not be read is reported once, not again as missing or out of range.
    unreadable = {(p.file, p.row, p.column) for p in inputs.problems if p.row is not None}
    problems = [
        p for p in problems if p in inputs.problems or (p.file, p.row, p.column) not in unreadable
    ]
    problems += check_narratives(inputs)  # what narrative/<period>.md refers to (checks.narrative)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
