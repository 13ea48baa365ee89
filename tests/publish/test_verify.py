"""`make verify`: a published report is rendered again from the inputs and code its provenance
names and compared byte for byte; a changed input, library or report byte is named."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from odreport import __version__
from odreport.cli import main
from odreport.errors import UnknownPeriod, UsageError
from odreport.inputs.tables import read_inputs
from odreport.paths import Project
from odreport.publish import normalise, verify
from odreport.publish.builder import build_report
from odreport.publish.provenance import provenance
from support import REPO, make_project

PERIOD = "2016-06"


def _publish(project: Project, org: str, period: str = PERIOD, **changes) -> Path:
    """A published report as the pipeline leaves it, its provenance made from the inputs as
    they are (``changes`` replace parts of the provenance); nothing is rendered."""
    files = list(read_inputs(project.raw_dir(org), project.expectations).files.values())
    code = sorted(project.notebooks.glob("*.ipynb")) + sorted(project.expectations.glob("*.json"))
    record = provenance(files, project.root, {"org": org, "period": period}, code) | changes
    folder = project.report_dir(org, period)
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<h2>Headline</h2>", encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.metadata["odreport"] = {"provenance": record}
    normalise.write(nb, folder / "report.ipynb")
    return folder


def _flip_a_byte(path: Path, after: bytes = b"") -> None:
    data = path.read_bytes()
    i = data.index(after) + len(after) if after else len(data) // 2
    path.write_bytes(data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :])


# --- where a report first differs --------------------------------------------------------

PAGE = (
    "<html><h1>Rotherham</h1><p>June 2016</p>"
    '<h2 id="headline">Headline</h2><p>52% complete</p>'
    '<h2 id="status">Status &amp; theme</h2><p>3 items</p></html>'
)


def test_sections_are_cut_at_the_second_level_headings():
    names = [name for name, _ in verify.sections(PAGE)]
    assert names == ["the title and header", "Headline", "Status & theme"]
    assert "".join(part for _, part in verify.sections(PAGE)) == PAGE


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("June 2016", "July 2016", "section 'the title and header'"),
        ("52%", "53%", "section 'Headline'"),
        ("3 items", "4 items", "section 'Status & theme'"),
        ("Status &amp;", "Stat<b>us", "section 'Status & theme'"),  # a heading changed
    ],
)
def test_the_first_differing_section_is_named(old, new, where):
    assert verify.first_difference(PAGE.replace(old, new), PAGE) == where  # published changed


def test_a_section_missing_from_either_side_is_named():
    assert verify.first_difference(PAGE + "<h2>Extra</h2>", PAGE) == (
        "section 'Extra', which the re-rendered report does not have"
    )
    assert verify.first_difference(PAGE, PAGE + "<h2>Extra</h2>") == (
        "section 'Extra', missing from the published report"
    )


def test_the_first_differing_notebook_cell_is_named_with_its_section():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(
            "show()",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": '<h2 id="h">Headline</h2><p>52%</p>'}
                )
            ],
        ),
    ]
    a = nbformat.writes(nb)
    b = a.replace("52%", "53%")
    assert verify.notebook_difference(a, b) == "cell 2 (section 'Headline')"
    nb.metadata["papermill"] = {"input_path": "notebooks/x.ipynb"}
    assert verify.notebook_difference(a, nbformat.writes(nb)) == "its metadata"
    assert verify.notebook_difference(a, "{") == "it is not a readable notebook"


# --- what is checked before anything is rendered -------------------------------------------


def test_a_changed_input_byte_is_named(example_project):
    _publish(example_project, "example")
    _flip_a_byte(example_project.raw_dir("example") / "actions.csv")
    verdict = verify.verify(example_project, "example")
    assert not verdict.ok and verdict.verified == []
    assert verdict.problem.startswith(
        "reports/example/2016-06/report.html: input data/raw/example/actions.csv no longer "
        "matches the provenance (SHA-256 "
    )


def test_a_missing_or_added_input_is_named(example_project):
    raw = example_project.raw_dir("example")
    _publish(example_project, "example")
    (raw / "meetings.csv").rename(raw / "meetings.txt")
    assert "input data/raw/example/meetings.csv is missing" in (
        verify.verify(example_project, "example").problem
    )
    (raw / "meetings.txt").rename(raw / "meetings.csv")
    (raw / "risks.csv").write_text(
        "risk_ref,risk,severity,likelihood\n", encoding="utf-8"
    )  # read now, not when the report was made
    assert "input data/raw/example/risks.csv is not in the provenance" in (
        verify.verify(example_project, "example").problem
    )


def test_another_library_version_is_named(example_project):
    record = provenance([], example_project.root, {}, [])
    _publish(example_project, "example", versions=record["versions"] | {"pandas": "0.0.1"})
    problem = verify.verify(example_project, "example").problem
    assert "the report was made with pandas 0.0.1; this environment has pandas " in problem


def test_uncommitted_or_other_code_cannot_be_verified(example_project, tmp_path):
    _publish(example_project, "example", code_version="git 0123abc+dirty")
    assert "uncommitted changes (git 0123abc+dirty)" in verify.verify(
        example_project, "example"
    ).problem
    other = make_project(tmp_path / "other", {"example": example_project.raw_dir("example")})
    _publish(other, "example", code_version="odreport 0.0.1")
    assert verify.verify(other, "example").problem.endswith(
        f"made by odreport 0.0.1; this checkout is odreport {__version__}"
    )


def test_a_notebook_without_provenance_is_not_verified(example_project):
    folder = _publish(example_project, "example")
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    del nb.metadata["odreport"]["provenance"]["versions"]
    normalise.write(nb, folder / "report.ipynb")
    assert "the provenance in reports/example/2016-06/report.ipynb is incomplete" in (
        verify.verify(example_project, "example").problem
    )
    normalise.write(nbformat.v4.new_notebook(), folder / "report.ipynb")
    assert "records no provenance" in verify.verify(example_project, "example").problem
    (folder / "report.ipynb").unlink()
    assert "report.ipynb, which records the provenance, is missing" in (
        verify.verify(example_project, "example").problem
    )


def test_which_report_is_verified(example_project):
    with pytest.raises(UnknownPeriod, match="no published report for example"):
        verify.report_folder(example_project, "example", None)
    _publish(example_project, "example", "2016-03")
    _publish(example_project, "example", "2016-06")
    assert verify.report_folder(example_project, "example", None).name == "2016-06"
    assert verify.report_folder(example_project, "example", "2016-03").name == "2016-03"
    with pytest.raises(UnknownPeriod, match="in 2016-04; published: 2016-03, 2016-06"):
        verify.report_folder(example_project, "example", "2016-04")
    with pytest.raises(UsageError, match="YYYY-MM"):
        verify.report_folder(example_project, "example", "June")


def test_cli_verify_exits_1_with_one_line_and_2_for_an_unknown_period(example_project, capsys):
    _publish(example_project, "example")
    _flip_a_byte(example_project.raw_dir("example") / "themes.csv")
    assert main(["--root", str(example_project.root), "verify", "--org", "example"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: not verified: ")
    assert "data/raw/example/themes.csv no longer matches" in err[0]
    args = ["--root", str(example_project.root), "verify", "--org", "example", "--period"]
    assert main([*args, "2015-01"]) == 2


# --- end to end: rendered again ---------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
         *args],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.mark.e2e
def test_a_fresh_report_verifies_outside_git(rendered):
    project, paths = rendered
    verdict = verify.verify(project, "dorset")
    assert verdict.ok, verdict.problem
    assert verdict.verified == [paths["dorset"].relative_to(project.root).as_posix()]


@pytest.mark.e2e
def test_verify_passes_then_names_a_changed_input_or_report_byte(tmp_path, capsys):
    project = make_project(tmp_path / "project", {"rotherham": REPO / "data" / "raw" / "rotherham"})
    _git(project.root, "init", "--quiet")
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "--quiet", "-m", "inputs and code")
    report = build_report(project, "rotherham")
    record = normalise.recorded_provenance(report.with_suffix(".ipynb"))
    assert record["code_version"].startswith("git ") and "dirty" not in record["code_version"]
    cli = ["--root", str(project.root), "verify", "--org", "rotherham"]

    assert main(cli) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"verified: {report.relative_to(project.root).as_posix()} ")

    themes = project.raw_dir("rotherham") / "themes.csv"
    original = themes.read_bytes()
    _flip_a_byte(themes, b"\n")  # one byte of the first row
    assert main(cli) == 1
    err = capsys.readouterr().err
    assert "input data/raw/rotherham/themes.csv no longer matches the provenance" in err
    themes.write_bytes(original)

    published = report.read_bytes()
    _flip_a_byte(report, b"Accountability</h2>")  # inside the Accountability section
    assert main(cli) == 1
    err = capsys.readouterr().err
    assert "report.html differs from the report rendered again" in err
    assert "first in section 'Accountability'" in err
    report.write_bytes(published)
    assert json.loads(report.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
