"""papers.csv (the particulars a person decides, validated like every input) and the proposed
assurance level, each case worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.cli import main
from odreport.inputs.tables import read_inputs
from odreport.metrics import papers

MEETING = {"date": "2025-10-09", "body": "Governing Body"}  # the template's first meeting


def _write(project, text: str) -> None:
    (project.raw_dir("example") / "papers.csv").write_text(text, encoding="utf-8")


def test_no_papers_csv_gives_every_field_blank(example_project):
    inputs = read_inputs(example_project.raw_dir("example"), example_project.expectations)
    got = papers.particulars(inputs, MEETING)
    assert got["provided"] is False
    assert all(got[f] is None for f in papers.FIELDS)


def test_the_row_of_the_meeting_with_columns_left_out(example_project):
    # optional columns may be left out of the header; a blank cell is no value
    _write(
        example_project,
        "meeting_date,agenda_item,purpose,report_of,baf_risks,source\n"
        '2025-10-09,7.2,assurance,"Jo Bloggs, Chief Officer",,Board secretary\n'
        "2026-01-15,5,information,Jo Bloggs,BAF 3,Board secretary\n",
    )
    inputs = read_inputs(example_project.raw_dir("example"), example_project.expectations)
    got = papers.particulars(inputs, MEETING)
    assert got["provided"] is True and got["meeting_date"] == "2025-10-09"
    assert (got["agenda_item"], got["purpose"], got["report_of"]) == (
        "7.2",
        "assurance",
        "Jo Bloggs, Chief Officer",
    )
    assert got["baf_risks"] is None and got["presenter"] is None
    assert papers.particulars(inputs, {"date": "2026-01-15"})["baf_risks"] == "BAF 3"
    assert papers.particulars(inputs, {"date": "2027-01-01"})["provided"] is False
    assert papers.particulars(inputs, None)["provided"] is False


def test_papers_csv_is_validated_like_every_input(example_project, capsys):
    _write(
        example_project,
        "meeting_date,purpose,assurance_level,assurance_wording,source\n"
        "2025-10-09,to note,high,Good; Bad,Board secretary\n"
        "2025-10-09,assurance,limited,,\n",
    )
    code = main(["--root", str(example_project.root), "validate", "--org", "example"])
    err = capsys.readouterr().err
    assert code == 3
    assert "papers.csv:2:purpose: not an allowed value (found 'to note'" in err
    assert "papers.csv:2:assurance_level: not an allowed value (found 'high'" in err
    assert "papers.csv:2:assurance_wording: not four names separated by '; '" in err
    assert "papers.csv:3:source: required value is missing" in err
    assert "papers.csv:3:meeting_date: duplicated reference" in err


def test_a_valid_papers_csv_passes(example_project, capsys):
    _write(
        example_project,
        "meeting_date,purpose,assurance_level,assurance_wording,source\n"
        "2025-10-09,assurance,no assurance,Significant; Moderate; Limited; None,Board secretary\n",
    )
    code = main(["--root", str(example_project.root), "validate", "--org", "example"])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("due", "gap", "level"),
    [
        (20, 2, "substantial"),  # 10%: at most 10%
        (20, 3, "reasonable"),  # 15%
        (20, 5, "reasonable"),  # 25%: at most 25%
        (20, 6, "limited"),  # 30%
        (20, 10, "limited"),  # 50%: at most 50%
        (20, 11, "no assurance"),  # 55%
        (0, 0, "reasonable"),  # nothing due yet
    ],
)
def test_the_gap_bands(due, gap, level):
    assert papers.proposed_assurance(due, gap).name == level


def test_incomplete_data_lowers_the_level_once():
    assert papers.proposed_assurance(20, 2, known_gaps=1).name == "reasonable"
    got = papers.proposed_assurance(20, 2, known_gaps=2, no_status=1, stale=True)
    assert got.name == "reasonable"  # one level lower, however many reasons
    assert got.reasons == (
        "2 of the 20 items due by now are not complete (10%)",
        "one level lower for incomplete data: 2 known gaps in the plan's items in the source "
        "document, 1 item with no status reported, data stale for the meeting",
    )
    assert papers.proposed_assurance(20, 15, stale=True).name == "no assurance"  # the floor


def test_only_gaps_in_the_plans_items_count():
    notes = pd.DataFrame(
        {
            "kind": ["gap", "gap", "reading", "gap"],
            "table": ["actions", "audiences", "actions", "progress"],
        }
    )
    assert papers.plan_gaps(notes) == 2  # actions and progress; not audiences, not a reading
    assert papers.plan_gaps(pd.DataFrame(columns=["kind", "table"])) == 0


def test_level_names():
    assert papers.level_names(None) == ("Substantial", "Reasonable", "Limited", "No assurance")
    wording = "Significant; Moderate; Limited; None"
    assert papers.level_names(wording) == ("Significant", "Moderate", "Limited", "None")
