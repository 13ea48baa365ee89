"""The processed tables: one schema shared by writer and reader, reproducible Parquet, CSV
copies that Excel cannot run, and warnings that travel as Problem objects."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest

from odreport.inputs.problems import WARNING, Problem
from odreport.inputs.schema import load_tables
from odreport.metrics import processed
from odreport.metrics.processed import TABLES, SchemaError
from support import REPO

# One table with every kind of column, used through the public Table API.
EVERY_KIND = processed.Table(
    "example",
    "a test row",
    (
        ("name", processed.TEXT),
        ("n", processed.INT),
        ("base", processed.COUNT),
        ("share", processed.NUMBER),
        ("hidden", processed.FLAG),
        ("due", processed.DATE),
    ),
)


def _example() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["a", None, '=HYPERLINK("http://x","click")'],
            "n": [1, 2, 3],
            "base": [12.0, np.nan, -3.0],
            "share": [12.5, None, -0.25],
            "hidden": [True, False, False],
            "due": [pd.Timestamp("2016-03-31"), pd.NaT, pd.Timestamp("2020-01-01")],
        }
    )


def test_conform_types_every_kind():
    frame = EVERY_KIND.conform(_example())
    kinds = ["str", "int64", "Int64", "float64", "bool", "datetime64[us]"]
    assert [str(t) for t in frame.dtypes] == kinds
    assert frame["name"].tolist()[:2] == ["a", ""]  # a blank text is "", never missing
    assert frame["base"].tolist()[:1] == [12] and pd.isna(frame["base"][1])
    assert np.isnan(frame["share"][1])
    assert pd.isna(frame["due"][1])


def test_parquet_round_trip_keeps_the_types(tmp_path):
    path = tmp_path / "example.parquet"
    processed.write_parquet(EVERY_KIND, _example(), path)
    back = processed.read_parquet(EVERY_KIND, path)
    pd.testing.assert_frame_equal(back, EVERY_KIND.conform(_example()))


def test_the_same_frame_gives_the_same_bytes(tmp_path):
    for i in (1, 2):
        processed.write_parquet(EVERY_KIND, _example(), tmp_path / f"{i}.parquet")
        processed.write_csv(EVERY_KIND, _example(), tmp_path / f"{i}.csv")
    assert (tmp_path / "1.parquet").read_bytes() == (tmp_path / "2.parquet").read_bytes()
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes()


def test_a_frame_conformed_already_gives_the_same_bytes_and_is_left_as_it_was(tmp_path):
    frame = EVERY_KIND.conform(_example())
    before = frame.copy()
    processed.write_parquet(EVERY_KIND, frame, tmp_path / "c.parquet", conformed=True)
    processed.write_csv(EVERY_KIND, frame, tmp_path / "c.csv", conformed=True)
    processed.write_parquet(EVERY_KIND, _example(), tmp_path / "r.parquet")
    processed.write_csv(EVERY_KIND, _example(), tmp_path / "r.csv")
    assert (tmp_path / "c.parquet").read_bytes() == (tmp_path / "r.parquet").read_bytes()
    assert (tmp_path / "c.csv").read_bytes() == (tmp_path / "r.csv").read_bytes()
    pd.testing.assert_frame_equal(frame, before)


def test_parquet_holds_no_pandas_or_time_metadata(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "example.parquet"
    processed.write_parquet(EVERY_KIND, _example(), path)
    meta = pq.read_metadata(path)
    assert set(meta.metadata) == {b"ARROW:schema"}  # the column types, nothing else
    assert meta.created_by.startswith("parquet-cpp-arrow version")


def test_a_file_of_another_schema_is_refused(tmp_path):
    path = tmp_path / "trend.parquet"
    processed.write_parquet(EVERY_KIND, _example(), path)
    with pytest.raises(SchemaError):
        processed.read_parquet(TABLES["trend"], path)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda f: f.drop(columns="n"), "missing ['n']"),
        (lambda f: f.assign(extra=1), "unexpected ['extra']"),
        (lambda f: f.assign(base=[1.5, 2.0, 3.0]), "example.base"),
        (lambda f: f.assign(n=[1, None, 3]), "example.n"),
        (lambda f: f.assign(hidden=["True", "False", "False"]), "example.hidden"),
    ],
)
def test_a_frame_off_its_schema_is_refused(change, expected):
    with pytest.raises(SchemaError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        EVERY_KIND.conform(change(_example()))


def test_a_frame_with_no_columns_is_an_empty_table():
    empty = TABLES["risks"].conform(pd.DataFrame())
    assert empty.empty and list(empty.columns) == TABLES["risks"].column_names


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plan = 3 themes", "Plan = 3 themes"),
        ("", ""),
    ],
)
def test_csv_safe_neutralises_cells_that_start_like_a_formula(text, safe):
    assert processed.csv_safe(text) == safe


def test_csv_copy_neutralises_text_and_leaves_numbers_alone(tmp_path):
    path = tmp_path / "example.csv"
    processed.write_csv(EVERY_KIND, _example(), path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[2]["name"] == '\'=HYPERLINK("http://x","click")'
    assert rows[2]["base"] == "-3" and rows[2]["share"] == "-0.25"  # numbers untouched
    assert rows[0]["due"] == "2016-03-31" and rows[1]["due"] == ""
    assert rows[1]["name"] == "" and rows[1]["base"] == ""


def _tables() -> dict[str, pd.DataFrame]:
    return {name: table.empty() for name, table in TABLES.items()}


def test_warnings_travel_as_problems(tmp_path):
    warning = Problem("data/raw/x/plan.xlsx[risks]", 7, "rating", "rating: x: y", WARNING, 3)
    processed.write(tmp_path, _tables(), {"period": "2016-03", "data_quality": [warning]})
    fields = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["data_quality"]
    assert fields == [
        {
            "file": "data/raw/x/plan.xlsx[risks]",
            "row": 7,
            "column": "rating",
            "message": "rating: x: y",  # colons in a message survive: no splitting on ":"
            "severity": "warning",
            "rows": 3,
        }
    ]
    assert processed.read_warnings(tmp_path) == [warning]
    assert processed.read_facts(tmp_path / processed.FACTS)["period"] == "2016-03"


def test_no_summary_means_no_warnings_to_go_by(tmp_path):
    assert processed.read_warnings(tmp_path) is None
    (tmp_path / "summary.json").write_text("[1, 2]", encoding="utf-8")
    assert processed.read_warnings(tmp_path) is None


def test_write_needs_every_table_and_no_other(tmp_path):
    tables = _tables()
    del tables["trend"]
    with pytest.raises(SchemaError, match="missing \\['trend'\\]"):
        processed.write(tmp_path, tables, {})
    with pytest.raises(SchemaError, match="unknown \\['extra'\\]"):
        processed.write(tmp_path, {**_tables(), "extra": pd.DataFrame()}, {})


def test_write_then_read_every_table(tmp_path):
    processed.write(tmp_path, _tables(), {})
    for name, table in TABLES.items():
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8").strip() == ",".join(
            table.column_names
        )
        back = processed.read_table(tmp_path, name)
        pd.testing.assert_frame_equal(back, table.empty())


def test_tables_passed_through_from_the_inputs_have_every_column_of_their_suite():
    """items, risks and assessments carry input columns: the schema names every column the
    input format allows, so a change to a suite shows here first."""
    suites = load_tables(REPO / "expectations")
    items = set(TABLES["items"].column_names)
    assert set(suites["actions"].column_names) <= items
    assert set(suites["progress"].column_names) - {"due_date"} <= items
    assert TABLES["risks"].column_names == suites["risks"].column_names
    # assessments gain the target's standing at the period (metrics.derive.target_status)
    assessed = ["assessment_age_months", "target_due", "target_status"]
    assert TABLES["assessments"].column_names == suites["assessments"].column_names + assessed
