"""The survey figures are audited as written (builder.audit_written), before anything is put in
place: a written table that gives a suppressed group away stops the build."""

from __future__ import annotations

import pytest

from odreport.metrics import processed
from odreport.metrics.disclosure import DisclosureError
from odreport.paths import Project
from odreport.publish.builder import audit_written
from odreport.publish.pipeline import derive_tables, load_and_validate, write_tables
from support import REPO


def test_written_survey_tables_pass_and_a_leaked_count_is_caught(tmp_path):
    project = Project(REPO)
    checked = load_and_validate(project, "nottingham")
    write_tables(tmp_path, derive_tables(project, checked, "2020-10"))
    audit_written(tmp_path, checked.inputs, 11)  # as written: passes
    summary = processed.read_table(tmp_path, "survey_summary")
    hidden = summary.index[summary["suppressed"]][0]
    others = summary[
        (summary["survey_id"] == summary.at[hidden, "survey_id"])
        & (summary["question_ref"] == summary.at[hidden, "question_ref"])
        & (summary["group_by"] == summary.at[hidden, "group_by"])
    ]
    total = summary[
        (summary["survey_id"] == summary.at[hidden, "survey_id"])
        & (summary["question_ref"] == summary.at[hidden, "question_ref"])
        & (summary["group_by"] == "all")
    ]["responses"].iloc[0]
    leaked = total - others["responses"].fillna(0).sum()  # what subtraction would give
    summary.loc[hidden, ["responses", "suppressed"]] = [leaked, False]
    processed.write(
        tmp_path,
        {n: processed.read_table(tmp_path, n) for n in processed.TABLES} | {"survey_summary": summary},
        processed.read_facts(tmp_path / processed.FACTS),
    )
    with pytest.raises(DisclosureError):
        audit_written(tmp_path, checked.inputs, 11)
