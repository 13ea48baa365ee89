"""The derived tables of one report: one schema per table, shared by the pipeline that writes
them and the notebook that reads them.

``data/processed/<org>/<period>/`` holds, for every table in :data:`TABLES`:

- ``<name>.parquet``, the hand-off: written with pyarrow in the table's schema (column names,
  order and types), read back with the same types, so nothing is re-parsed from text;
- ``<name>.csv``, a copy for analysts who open the tables in Excel; a text cell that Excel
  would run as a formula (first character ``=``, ``+``, ``-``, ``@``, tab or carriage return)
  gets a leading apostrophe (OWASP's advice on CSV injection); numbers are written as numbers;

and ``summary.json``: the report's facts (organisation, period, metrics, headline, meeting,
provenance, survey settings) with its data-quality warnings as
:class:`~odreport.inputs.problems.Problem` fields, read back as :class:`Problem` objects.

Column kinds: ``text`` (never missing: a blank is ``""``), ``int`` (never missing), ``count``
(a whole number that may be missing: pandas ``Int64``), ``number`` (``float64``, missing is
NaN), ``flag`` (``bool``), ``date`` (``datetime64``, missing is NaT).

Files are reproducible: the same frame gives the same bytes (no timestamps, no writer
metadata but the format library's fixed version string).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from odreport.inputs.problems import Problem
from odreport.metrics.status import BRAG_ORDER

TEXT, INT, COUNT, NUMBER, FLAG, DATE = "text", "int", "count", "number", "flag", "date"
KINDS = (TEXT, INT, COUNT, NUMBER, FLAG, DATE)
_PANDAS = {
    TEXT: "str",
    INT: "int64",
    COUNT: "Int64",
    NUMBER: "float64",
    FLAG: "bool",
    DATE: "datetime64[us]",
}

FACTS = "summary.json"  # the report's facts (file name kept: reports and notebooks load it)
WARNINGS = "data_quality"  # the key of the warnings in summary.json
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SchemaError(ValueError):
    """A frame or file that does not match its table's schema."""


@dataclass(frozen=True)
class Table:
    """One processed table: its name (file stem), what a row is, and its typed columns."""

    name: str
    row: str
    columns: tuple[tuple[str, str], ...]

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def kind(self, column: str) -> str:
        return dict(self.columns)[column]

    def conform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with exactly this table's columns, in order, typed by their kinds.

        A frame with no columns and no rows is an empty table. Raises :class:`SchemaError`
        on a missing or unexpected column, or a value that does not fit its column's kind
        (a missing value in a column that may not have one, a fraction in a count).
        """
        if frame.shape == (0, 0):
            frame = pd.DataFrame(columns=self.column_names)
        missing = [c for c in self.column_names if c not in frame.columns]
        extra = [c for c in frame.columns if c not in self.column_names]
        if missing or extra:
            raise SchemaError(
                f"{self.name}: columns do not match the schema"
                + (f"; missing {missing}" if missing else "")
                + (f"; unexpected {extra}" if extra else "")
            )
        out = {}
        for column, kind in self.columns:
            try:
                out[column] = _typed(frame[column].reset_index(drop=True), kind)
            except (TypeError, ValueError) as exc:
                raise SchemaError(f"{self.name}.{column} ({kind}): {exc}") from None
        return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))

    def empty(self) -> pd.DataFrame:
        """A table with no rows (columns typed)."""
        return self.conform(pd.DataFrame())


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _typed(values: pd.Series, kind: str) -> pd.Series:
    if kind == TEXT:
        return values.map(lambda v: "" if _blank(v) else str(v)).astype("str")
    if kind == INT:
        if values.isna().any():
            raise ValueError("a value is missing")
        return pd.to_numeric(values).astype("int64")
    if kind == COUNT:
        numbers = pd.to_numeric(values).astype("Float64")
        if (numbers.dropna() % 1 != 0).any():
            raise ValueError("a value is not a whole number")
        return numbers.astype("Int64")
    if kind == NUMBER:
        return pd.to_numeric(values).astype("Float64").astype("float64")
    if kind == FLAG:
        if values.dtype != bool and not values.map(lambda v: v is True or v is False).all():
            raise ValueError("a value is not True or False")
        return values.astype(bool)
    if kind == DATE:
        return pd.to_datetime(values).astype("datetime64[us]")
    raise ValueError(f"unknown kind {kind!r}")


def _table(name: str, row: str, *columns: tuple[str, str]) -> Table:
    return Table(name, row, tuple(columns))


def _text(*names: str) -> list[tuple[str, str]]:
    return [(n, TEXT) for n in names]


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        _table(
            "items",
            "an action (or objective) of the plan with its status at the reporting period",
            *_text("action_ref", "theme_ref", "objective_ref", "action", "detail", "methods"),
            *_text("resource", "category", "lead", "timescale", "cost"),
            ("cost_gbp", NUMBER),
            *_text("source", "content", "theme"),
            ("theme_order", INT),
            ("timescale_kind", TEXT),
            ("start", DATE),
            ("original_due", DATE),
            *_text("status", "rag"),
            ("percent_complete", NUMBER),
            *_text("commentary", "illustrative"),
            ("current_due", DATE),
            ("reported", FLAG),
            ("brag", TEXT),
            ("overdue", FLAG),
            ("days_overdue", COUNT),
            ("slipped", FLAG),
            ("exception_reasons", TEXT),
            ("exception", FLAG),
            ("period", TEXT),
        ),
        _table(
            "status_by_theme",
            "a theme and BRAG category with its number of items",
            ("theme_order", INT),
            *_text("theme_ref", "theme", "brag"),
            ("items", INT),
            ("brag_order", INT),
        ),
        _table(
            "trend",
            "a reporting period up to the report's, with its plan-level figures",
            ("period", TEXT),
            ("share_complete", COUNT),
            ("overdue", INT),
            ("complete", INT),
            ("items", INT),
        ),
        _table(
            "changes",
            "an item that changed since the previous report",
            *_text("change", "action_ref", "action", "lead", "before", "now"),
        ),
        _table(
            "accountability",
            "a lead with their items by BRAG category",
            ("lead", TEXT),
            *[(b, INT) for b in BRAG_ORDER],
            ("Total", INT),
            ("Overdue", INT),
        ),
        _table(
            "themes",
            "a theme of the plan with its lead and items",
            *_text("theme_ref", "theme", "lead"),
            ("items", INT),
            ("complete", INT),
        ),
        _table(
            "coverage",
            "a framework domain with the actions that support it",
            *_text("framework", "code", "name"),
            ("actions", INT),
            ("off_track", INT),
            ("gap", TEXT),
        ),
        _table(
            "risks",
            "a risk of the register as published",
            *_text("risk_ref", "domain", "risk"),
            ("severity", INT),
            ("likelihood", INT),
            ("rating", INT),
            *_text("rag", "mitigation"),
            ("residual_severity", COUNT),
            ("residual_likelihood", COUNT),
            ("residual_rating", COUNT),
            *_text("residual_rag", "source"),
        ),
        _table(
            "assessments",
            "a self-assessment or competency score of a framework domain",
            *_text("framework", "code", "domain", "assessed"),
            ("score", NUMBER),
            ("scale", TEXT),
            ("maturity_level", COUNT),
            ("target", NUMBER),
            *_text("target_date", "source"),
            ("assessment_age_months", COUNT),
            *_text("target_due", "target_status"),
        ),
        _table(
            "trajectory",
            "a reporting period (overall, or one theme) with the items due by then and done",
            *_text("period", "reporting_date", "theme_ref", "theme"),
            *[(c, INT) for c in ("theme_order", "items", "due", "complete", "due_complete")],
            *[(c, INT) for c in ("gap", "complete_early", "undated", "due_current")],
        ),
        _table(
            "completions",
            "a reporting period with the number of items completed in it (a flow)",
            ("period", TEXT),
            ("completed_in_period", COUNT),
        ),
        _table(
            "accountability_gaps",
            "an item with no lead named (in the item, its theme or the source)",
            *_text("action_ref", "action", "theme_ref", "theme", "brag"),
        ),
        _table(
            "source_notes",
            "a known gap or inconsistency in the source document (source_notes.csv)",
            *_text("note_ref", "table", "ref", "kind", "note", "source"),
        ),
        _table(
            "survey_overview",
            "a survey shown in the report",
            *_text("survey_id", "title", "audience", "fielded", "series"),
            ("respondents", COUNT),
            ("population", COUNT),
            *_text("illustrative", "source"),
            ("response_rate", NUMBER),
            ("suppressed", FLAG),
        ),
        _table(
            "survey_summary",
            "the results of a survey question for one group (suppressed: no numbers)",
            *_text("survey_id", "question_ref", "group_by", "group"),
            *[(c, COUNT) for c in ("responses", "unfavourable", "neutral", "favourable")],
            ("excluded", COUNT),
            ("base", COUNT),
            ("pct_favourable", NUMBER),
            ("respondents", COUNT),
            ("skipped", COUNT),
            *_text("question", "theme_ref"),
            ("suppressed", FLAG),
        ),
        _table(
            "survey_options",
            "the answers given to one option of a question by one group",
            *_text("survey_id", "question_ref", "group_by", "group", "option"),
            ("option_order", INT),
            ("valence", TEXT),
            ("count", INT),
            ("percent", NUMBER),
        ),
        _table(
            "survey_comments",
            "a free-text comment (redacted) under its question",
            *_text("survey_id", "question_ref", "question", "comment"),
        ),
        _table(
            "survey_trends",
            "a wave of a pulse-survey measure (a question or a theme score)",
            *_text("series", "measure", "measure_label", "theme_ref", "wave", "survey_id"),
            ("value", NUMBER),
            ("base", COUNT),
            ("higher_is_better", FLAG),
            ("target", NUMBER),
        ),
        _table(
            "survey_evidence",
            "the latest result of a survey question linked to a plan theme",
            *_text("theme_ref", "survey_id", "survey", "fielded", "question_ref", "question"),
            ("pct_favourable", NUMBER),
            ("base", COUNT),
            ("trend", TEXT),
        ),
        _table(
            "survey_checks",
            "a published question whose answered + skipped is not the survey's respondents",
            *_text("survey_id", "question_ref", "question"),
            ("answered", COUNT),
            ("skipped", COUNT),
            ("respondents", COUNT),
        ),
        _table(
            "survey_published",
            "an option of a question as the source published it",
            *_text("survey_id", "question_ref", "question", "option"),
            ("option_order", COUNT),
            ("percent", NUMBER),
            ("count", COUNT),
            ("answered", COUNT),
            ("skipped", COUNT),
        ),
    ]
}
TABLES["exceptions"] = Table(
    "exceptions",
    "an item the meeting should discuss: not complete and overdue, off track, at risk or moved",
    TABLES["items"].columns,
)
"""Every processed table, by name."""


# --- Parquet ---------------------------------------------------------------------------------


def _arrow_type(kind: str):
    import pyarrow as pa

    return {
        TEXT: pa.string(),
        INT: pa.int64(),
        COUNT: pa.int64(),
        NUMBER: pa.float64(),
        FLAG: pa.bool_(),
        DATE: pa.date32(),
    }[kind]


def arrow_schema(table: Table):
    """The table's schema as a :class:`pyarrow.Schema` (no metadata)."""
    import pyarrow as pa

    return pa.schema(
        [pa.field(c, _arrow_type(k), nullable=k in (COUNT, NUMBER, DATE)) for c, k in table.columns]
    )


def write_parquet(table: Table, frame: pd.DataFrame, path: Path, conformed: bool = False) -> None:
    """Write ``frame`` (conformed to ``table``, unless it is ``conformed`` already) as Parquet:
    the same frame, the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = frame if conformed else table.conform(frame)
    arrays = []
    for column, kind in table.columns:
        values = frame[column]
        if kind == DATE:
            array = pa.array(values, from_pandas=True).cast(pa.date32())
        else:
            array = pa.array(values, type=_arrow_type(kind), from_pandas=True)
        arrays.append(array)
    pq.write_table(pa.Table.from_arrays(arrays, schema=arrow_schema(table)), path)


def read_parquet(table: Table, path: Path) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`, typed by its schema; raises
    :class:`SchemaError` when the file was written with another schema."""
    import pyarrow.parquet as pq

    data = pq.read_table(path)
    if not data.schema.equals(arrow_schema(table), check_metadata=False):
        raise SchemaError(f"{path}: not the {table.name} table of this version; run it again")
    frame = data.to_pandas(date_as_object=False)
    for column, kind in table.columns:
        frame[column] = frame[column].astype(_PANDAS[kind])
    return frame


# --- CSV copies -------------------------------------------------------------------------------


def csv_safe(text: str) -> str:
    """A text cell as Excel may show but never run: a leading apostrophe when it starts like a
    formula (``=``, ``+``, ``-``, ``@``, tab, carriage return)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(table: Table, frame: pd.DataFrame, path: Path, conformed: bool = False) -> None:
    """Write ``frame`` (conformed to ``table``, unless it is ``conformed`` already) as a CSV
    copy for people to open: text cells neutralised by :func:`csv_safe`, numbers and dates as
    they are."""
    frame = frame.copy() if conformed else table.conform(frame)
    for column, kind in table.columns:
        if kind == TEXT:
            frame[column] = frame[column].map(csv_safe)
        elif kind == DATE:
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame.to_csv(path, index=False, lineterminator="\n")


# --- the facts: summary.json -------------------------------------------------------------------------


def problem_fields(problem: Problem) -> dict:
    """A problem as plain fields (JSON), not as a formatted line."""
    return dataclasses.asdict(problem)


def problem_from_fields(fields: dict) -> Problem:
    """The :class:`Problem` whose fields :func:`problem_fields` wrote."""
    return Problem(**fields)


def _json_default(value: object) -> object:
    if isinstance(value, Problem):
        return problem_fields(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def write_facts(facts: dict, path: Path) -> None:
    """Write the report's facts; its ``data_quality`` warnings are :class:`Problem` objects."""
    text = json.dumps(facts, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")


def read_facts(path: Path) -> dict:
    """The report's facts written by :func:`write_facts`, warnings as :class:`Problem`."""
    facts = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(facts, dict):
        raise ValueError(f"{path}: not a report's facts")
    facts[WARNINGS] = [problem_from_fields(f) for f in facts.get(WARNINGS, [])]
    return facts




# --- a report's folder --------------------------------------------------------------------------


def write(folder: Path, tables: dict[str, pd.DataFrame], facts: dict) -> None:
    """Write every table of :data:`TABLES` (Parquet and CSV copy) and ``summary.json`` into
    ``folder``; raises :class:`SchemaError` when a table is missing, unknown or off-schema."""
    missing = sorted(set(TABLES) - set(tables))
    unknown = sorted(set(tables) - set(TABLES))
    if missing or unknown:
        raise SchemaError(f"processed tables: missing {missing}, unknown {unknown}")
    for name, table in TABLES.items():
        frame = table.conform(tables[name])  # once: both writers take it as it is
        write_parquet(table, frame, folder / f"{name}.parquet", conformed=True)
        write_csv(table, frame, folder / f"{name}.csv", conformed=True)
    write_facts(facts, folder / FACTS)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """One table of ``folder``, typed by its schema."""
    return read_parquet(TABLES[name], Path(folder) / f"{name}.parquet")


def read_warnings(folder: Path) -> list[Problem] | None:
    """The data-quality warnings of the report made from ``folder``; ``None`` when there is
    no readable ``summary.json`` there."""
    try:
        return read_facts(Path(folder) / FACTS)[WARNINGS]
    except (OSError, ValueError, KeyError, TypeError):
        return None
