"""A small, typed example report for the report stage's unit tests.

Exampleshire CCG, March 2016: four actions in two themes, three risks, one assessment, one
staff survey. Every figure the tests check is worked out by hand from these rows (see each
test). Each fixture builds fresh objects: a test may change what it gets.

The trajectory at 31 March 2016, by hand from the plan due dates: A1 (31 January) and A4
(29 February) are due by now; A2 (30 April) falls due later; A3 (on-going) has no due date.
Due by now 2, done 1 (A4), gap 1 (A1). Exceptions: A1 (overdue; at risk), A2 (due date moved),
A3 (off track); A4 is complete, so never one.
"""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.metrics.processed import TABLES
from odreport.report.data import ReportData, report_data

NaT = pd.NaT
HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'

BLANK = {"text": "", "int": 0, "count": None, "number": None, "flag": False, "date": NaT}


def rows(table: str, *records: dict) -> pd.DataFrame:
    """A frame of ``table`` from records naming only the columns they set."""
    schema = TABLES[table]
    full = [{c: r.get(c, BLANK[k]) for c, k in schema.columns} for r in records]
    return pd.DataFrame(full, columns=schema.column_names)


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


ITEMS = [
    # A1: at risk and past its due date (31 Jan): overdue by 60 days at 31 March 2016.
    {
        "action_ref": "A1",
        "theme_ref": "T1",
        "theme": "Leadership",
        "action": "Board development",
        "lead": "Ann Lead",
        "timescale": "January 2016",
        "original_due": day("2016-01-31"),
        "current_due": day("2016-01-31"),
        "status": "In progress",
        "rag": "Amber",
        "brag": "At risk",
        "overdue": True,
        "days_overdue": 60,
        "commentary": "Delayed by winter pressures.\nRevised plan in April.",
        "reported": True,
        "exception": True,
        "exception_reasons": "overdue; at risk",
    },
    # A2: on track, but its due date moved from April to June (slipped).
    {
        "action_ref": "A2",
        "theme_ref": "T1",
        "theme": "Leadership",
        "action": "Values workshop",
        "lead": "Ben Lead",
        "timescale": "April 2016",
        "start": day("2016-02-01"),
        "original_due": day("2016-04-30"),
        "current_due": day("2016-06-30"),
        "status": "In progress",
        "rag": "Green",
        "brag": "On track",
        "slipped": True,
        "reported": True,
        "exception": True,
        "exception_reasons": "due date moved",
    },
    # A3: off track, ongoing (no due date).
    {
        "action_ref": "A3",
        "theme_ref": "T2",
        "theme_order": 1,
        "theme": "Engagement",
        "action": "Staff forum",
        "lead": "Ann Lead",
        "timescale": "On-going",
        "status": "In progress",
        "rag": "Red",
        "brag": "Off track",
        "reported": True,
        "exception": True,
        "exception_reasons": "off track",
    },
    # A4: complete.
    {
        "action_ref": "A4",
        "theme_ref": "T2",
        "theme_order": 1,
        "theme": "Engagement",
        "action": "Newsletter",
        "lead": "Cat Lead",
        "timescale": "February 2016",
        "original_due": day("2016-02-29"),
        "current_due": day("2016-02-29"),
        "status": "Complete",
        "rag": "Blue",
        "brag": "Complete",
        "reported": True,
    },
]

COUNTS = {
    "Complete": 1,
    "On track": 1,
    "At risk": 1,
    "Off track": 1,
    "Not started": 0,
    "Not rated": 0,
}


def example_facts() -> dict:
    """summary.json of the example report."""
    return {
        "organisation": {
            "org_id": "exampleshire",
            "name": "NHS Exampleshire Clinical Commissioning Group",
            "short_name": "Exampleshire CCG",
            "plan_title": "OD Plan 2015-2017",
            "plan_start": "2015-04-01",
            "plan_end": "2017-03-31",
            "governing_body": "Governing Body",
            "source_document": "Exampleshire CCG OD Plan (2015)",
            "item_name": "action",
        },
        "period": "2016-03",
        "period_label": "March 2016",
        "reporting_date": "2016-03-31",
        "periods": ["2016-01", "2016-02", "2016-03"],
        "illustrative": False,
        "illustrative_note": "",
        "current": {
            "period": "2016-03",
            "items": 4,
            "complete": 1,
            "share_complete": 25,
            "overdue": 1,
            "slipped": 1,
            "counts": dict(COUNTS),
        },
        "previous": {
            "period": "2016-02",
            "items": 4,
            "complete": 0,
            "share_complete": 0,
            "overdue": 0,
            "slipped": 1,
            "counts": dict(COUNTS, Complete=0, **{"On track": 2}),
        },
        "headline": [
            "At the end of March 2016, 1 of 4 actions (25%) are complete.",
            "1 action is overdue: past the due date and not complete.",
        ],
        "meeting": {"body": "Governing Body", "date": "2016-04-13", "papers_due": "2016-04-06"},
        # the previous paper to the Governing Body (9 March 2016) had February's data, so
        # ``previous`` holds February's figures
        "comparison": {
            "period": "2016-02",
            "basis": "previous paper",
            "meeting": {"body": "Governing Body", "date": "2016-03-09", "illustrative": False},
            "description": "the previous paper to the Governing Body on 9 March 2016 (data as "
            "at 29 February 2016)",
        },
        "plan_status": {"ended": False, "plan_end": "2017-03-31", "message": ""},
        "trajectory": {
            "period": "2016-03",
            "items": 4,
            "due": 2,  # A1, A4
            "complete": 1,  # A4
            "due_complete": 1,
            "gap": 1,  # A1
            "complete_early": 0,
            "undated": 1,  # A3
        },
        "targets": {"met": 0, "missed": 0, "not yet due": 0},
        "source_notes": 0,
        "paper": None,
        "data_quality": [],
        "provenance": {
            "code_version": "git 0123abc",
            "parameters": {"period": "2016-03", "org": "exampleshire", "min_group_size": 11},
            "versions": {"python": "3.11.9", "pandas": "3.1.1"},
            "inputs": [{"file": "data/raw/exampleshire/actions.csv", "sha256": "ab" * 32}],
            "code_files": [{"file": "notebooks/governance_report.ipynb", "sha256": "cd" * 32}],
        },
        "surveys": {"min_group_size": 11, "comments": True, "illustrative_note": ""},
    }


def example_tables() -> dict[str, pd.DataFrame]:
    """The example's derived tables (the report's names; missing ones are empty)."""
    sbt = [
        ("T1", "Leadership", 0, "On track", 1, 1),
        ("T1", "Leadership", 0, "At risk", 1, 2),
        ("T2", "Engagement", 1, "Complete", 1, 0),
        ("T2", "Engagement", 1, "Off track", 1, 3),
    ]
    return {
        "items": rows("items", *ITEMS),
        "status_by_theme": rows(
            "status_by_theme",
            *[
                {
                    "theme_ref": r,
                    "theme": t,
                    "theme_order": o,
                    "brag": b,
                    "items": n,
                    "brag_order": bo,
                }
                for r, t, o, b, n, bo in sbt
            ],
        ),
        "themes": rows(
            "themes",
            {"theme_ref": "T1", "theme": "Leadership", "lead": "Ann Lead", "items": 2},
            {"theme_ref": "T2", "theme": "Engagement", "items": 2, "complete": 1},
        ),
        "trend": rows(
            "trend",
            {"period": "2016-01", "share_complete": 0, "items": 4},
            {"period": "2016-02", "share_complete": 0, "items": 4},
            {"period": "2016-03", "share_complete": 25, "overdue": 1, "complete": 1, "items": 4},
        ),
        "changes": rows(
            "changes",
            {
                "change": "Newly complete",
                "action_ref": "A4",
                "action": "Newsletter",
                "lead": "Cat Lead",
                "before": "On track",
                "now": "Complete",
            },
        ),
        # by hand from the due dates: January (31 Jan) A1 due; February A1, A4 due; March the
        # same; per theme at March: T1 A1 due (not done), A2 later; T2 A4 due and done, A3
        # undated
        "trajectory": rows(
            "trajectory",
            *[
                {"period": p, "reporting_date": d, "theme_ref": "all", "theme": "All"}
                | {"theme_order": -1, "items": 4, "undated": 1, "due_current": due}
                | {"due": due, "complete": done, "due_complete": done, "gap": due - done}
                for p, d, due, done in (
                    ("2016-01", "2016-01-31", 1, 0),
                    ("2016-02", "2016-02-29", 2, 0),
                    ("2016-03", "2016-03-31", 2, 1),
                )
            ],
            {"period": "2016-03", "reporting_date": "2016-03-31", "theme_ref": "T1"}
            | {"theme": "Leadership", "theme_order": 0, "items": 2, "due": 1, "gap": 1},
            {"period": "2016-03", "reporting_date": "2016-03-31", "theme_ref": "T2"}
            | {"theme": "Engagement", "theme_order": 1, "items": 2, "due": 1, "complete": 1}
            | {"due_complete": 1, "undated": 1},
        ),
        "completions": rows(
            "completions",
            {"period": "2016-01", "completed_in_period": None},
            {"period": "2016-02", "completed_in_period": 0},
            {"period": "2016-03", "completed_in_period": 1},
        ),
        "accountability": rows(
            "accountability",
            {"lead": "Ann Lead", "At risk": 1, "Off track": 1, "Total": 2, "Overdue": 1},
            {"lead": "Ben Lead", "On track": 1, "Total": 1},
            {"lead": "Cat Lead", "Complete": 1, "Total": 1},
        ),
    }


@pytest.fixture
def facts() -> dict:
    """The example's facts (a fresh copy)."""
    return example_facts()


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    """The example's tables (fresh copies)."""
    return example_tables()


@pytest.fixture
def example(facts, tables) -> ReportData:
    """The example report's data, typed."""
    return report_data(facts, **tables)


@pytest.fixture
def make_rows():
    """:func:`rows`: a frame of a processed table from records naming only some columns."""
    return rows
