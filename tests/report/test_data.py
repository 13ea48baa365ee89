"""The report's data: typed as the pipeline wrote it, from files or from frames."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.inputs.problems import WARNING, Problem
from odreport.metrics import processed
from odreport.report.data import RENAMED, ReportData, load, report_data


def test_frames_are_typed_by_their_schema(example):
    items = example.items
    assert items["overdue"].dtype == bool and items["days_overdue"].dtype == "Int64"
    assert str(items["current_due"].dtype).startswith("datetime64")
    assert items["objective_ref"].tolist() == ["", "", "", ""]  # blank text is ""
    assert example.risks.empty and example.risks.columns[0] == "risk_ref"


def test_names_and_settings(example):
    assert example.noun == "action"
    assert example.org["short_name"] == "Exampleshire CCG"
    assert example.warnings == []
    assert example.survey_settings.min_group_size == 11 and example.survey_settings.comments


def test_an_unknown_table_is_refused(facts):
    with pytest.raises(ValueError, match="not tables of a report"):
        report_data(facts, survey_summary=pd.DataFrame())  # the report calls it question_results


def test_load_reads_what_the_pipeline_writes(tmp_path, facts, tables):
    warning = Problem("data/raw/x/risks.csv", 3, "rag", "odd: really", WARNING)
    facts["data_quality"] = [warning]
    written = report_data(facts, **tables)
    frames = {name: getattr(written, RENAMED.get(name, name)) for name in processed.TABLES}
    processed.write(tmp_path, frames, facts)
    loaded = load(tmp_path)
    assert isinstance(loaded, ReportData)
    assert loaded.warnings == [warning]
    assert loaded.facts["headline"] == facts["headline"]
    for name in processed.TABLES:
        field = RENAMED.get(name, name)
        pd.testing.assert_frame_equal(getattr(loaded, field), getattr(written, field))
