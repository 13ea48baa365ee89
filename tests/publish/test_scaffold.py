"""`make new-org`: the template copied, its rows marked as examples, the next steps printed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from odreport.cli import main
from odreport.errors import DataValidationError, UsageError
from odreport.publish.pipeline import derive_tables, load_and_validate
from odreport.publish.scaffold import TUTORIAL, new_org, next_steps
from support import REPO, TEMPLATE, make_project


def test_new_org_copies_the_template_with_its_own_id(tmp_path):
    project = make_project(tmp_path)
    target = new_org(project, "leeds")
    assert target == project.raw_dir("leeds")
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in TEMPLATE.iterdir())
    org = pd.read_csv(target / "organisation.csv", dtype=str, keep_default_na=False)
    assert org["org_id"].tolist() == ["leeds"]
    for name in ("themes.csv", "actions.csv", "progress.csv", "meetings.csv"):
        assert (target / name).read_bytes() == (TEMPLATE / name).read_bytes()
    example = "narrative/2025-12.md"  # the example narrative (inputs.narrative)
    assert (target / example).read_bytes() == (TEMPLATE / example).read_bytes()


def test_sources_skeleton_has_document_version_date_a_section_per_table_and_gaps(tmp_path):
    project = make_project(tmp_path)
    sources = (new_org(project, "leeds") / "SOURCES.md").read_text(encoding="utf-8")
    assert "{org}" not in sources
    assert "make new-org ORG=leeds" in sources
    for field in ("Document", "Version", "Date", "Where"):
        assert re.search(rf"^- {field}: <", sources, re.M), field
    headings = re.findall(r"^## (.+)$", sources, re.M)
    tables = sorted(p.name for p in TEMPLATE.glob("*.csv"))
    assert headings[:2] == ["Source document", "Tables"]
    assert sorted(headings[2:-1]) == tables
    assert headings[-1] == "Known gaps"
    for name in tables:  # and a row in the table of files
        assert re.search(rf"^\| {re.escape(name)} \|", sources, re.M), name


def test_new_org_never_overwrites_and_checks_the_name(tmp_path):
    project = make_project(tmp_path)
    new_org(project, "leeds")
    (project.raw_dir("leeds") / "themes.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists"):
        new_org(project, "leeds")
    assert (project.raw_dir("leeds") / "themes.csv").read_text(encoding="utf-8") == "mine"
    for bad in ("Leeds", "leeds ccg", "", "-leeds"):
        with pytest.raises(UsageError, match="lower-case"):
            new_org(project, bad)


def test_next_steps_are_three_make_commands_and_the_documentation():
    lines = next_steps("leeds")
    commands = [line.split("#")[0].strip() for line in lines if line.startswith("  make ")]
    assert commands == ["make validate ORG=leeds", "make report ORG=leeds", "make scheduled"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for command in commands:  # each is a target of the Makefile
        assert re.search(rf"^{command.split()[1]}: ", makefile, re.M), command
    docs = re.findall(r"docs/[a-z-]+\.md", lines[-1])
    assert docs == [TUTORIAL, "docs/input-format.md", "docs/data-dictionary.md"]
    assert all((REPO / doc).is_file() for doc in docs)


def test_cli_prints_the_folder_then_the_next_steps(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["--root", str(project.root), "new-org", "--org", "leeds"]) == 0
    assert capsys.readouterr().out.splitlines() == ["data/raw/leeds", *next_steps("leeds")]


def test_a_new_organisation_validates_and_its_report_says_the_rows_are_examples(tmp_path):
    project = make_project(tmp_path)
    new_org(project, "leeds")
    checked = load_and_validate(project, "leeds")
    assert checked.warnings == []
    facts = derive_tables(project, checked, "2025-12")["facts"]
    # The template: 2 themes and 4 actions, all content = illustrative.
    assert facts["content"]["note"] == (
        "None of this plan is transcribed from a source document: both themes and all 4 "
        "actions are illustrative (written as an example, not taken from any source). The "
        "data-quality section lists them."
    )
    assert [row["table"] for row in facts["content"]["tables"]] == ["themes", "actions"]
    assert facts["illustrative"] is True  # its progress rows say illustrative = yes
    assert facts["narrative"]["illustrative"] is True  # and so does its example narrative
    assert sorted(facts["narrative"]["themes"]) == ["LD"]


def test_org_id_must_be_the_folder_name(tmp_path):
    project = make_project(tmp_path)
    new_org(project, "leeds")
    project.raw_dir("leeds").rename(project.raw_dir("leeds-north"))
    with pytest.raises(DataValidationError) as caught:
        load_and_validate(project, "leeds-north")
    assert caught.value.problems == [
        "data/raw/leeds-north/organisation.csv:2:org_id: org_id is not the name of the "
        "organisation's folder (found 'leeds', expected 'leeds-north', the folder's name)"
    ]
