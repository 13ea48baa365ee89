"""The command line: exit codes, one-line errors, nothing written on failure."""

from __future__ import annotations

import hashlib

import pytest

from odreport.cli import main


def _tree(path):
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def run(project, *args):
    return main(["--root", str(project.root), *args])


def test_unknown_organisation_exits_2_with_one_line(example_project, capsys):
    before = _tree(example_project.reports)
    assert run(example_project, "report", "--org", "nowhere") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: unknown organisation 'nowhere'; known organisations: example"]
    assert _tree(example_project.reports) == before


def test_unknown_period_names_the_available_ones(example_project, capsys):
    assert run(example_project, "report", "--org", "example", "--period", "2030-01") == 2
    assert capsys.readouterr().err.strip() == (
        "error: no progress data for example in 2030-01; available periods: 2025-09, 2025-12"
    )


def test_malformed_period_is_a_usage_error(example_project, capsys):
    assert run(example_project, "report", "--org", "example", "--period", "March") == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_bad_option_is_a_usage_error(example_project, capsys):
    assert run(example_project, "report", "--organisation", "x") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_invalid_data_exits_3_and_writes_nothing(example_project, capsys):
    path = example_project.raw_dir("example") / "progress.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",Green,50,", ",Gren,50,"), encoding="utf-8"
    )
    assert run(example_project, "report", "--org", "example") == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == (
        "data/raw/example/progress.csv:2:rag: not an allowed value "
        "(found 'Gren', expected one of Blue, Green, Amber, Red, Grey)"
    )
    assert "Traceback" not in "\n".join(err)
    assert not any(example_project.processed.rglob("*.csv"))
    assert not any(example_project.reports.rglob("*.html"))


def test_debug_shows_the_traceback(example_project, capsys):
    assert run(example_project, "--debug", "report", "--org", "nowhere") == 2
    assert "Traceback" in capsys.readouterr().err


def test_orgs_and_periods(example_project, capsys):
    assert run(example_project, "orgs") == 0
    assert capsys.readouterr().out.split() == ["example"]
    assert run(example_project, "periods", "--org", "example") == 0
    assert capsys.readouterr().out.split() == ["2025-09", "2025-12"]


def test_new_org_refuses_to_overwrite(example_project, capsys):
    assert run(example_project, "new-org", "--org", "example") == 2
    assert "already exists" in capsys.readouterr().err
    assert run(example_project, "new-org", "--org", "Bad Name") == 2


@pytest.mark.e2e
def test_new_org_then_report(example_project, capsys):
    assert run(example_project, "new-org", "--org", "sixth") == 0
    assert capsys.readouterr().out.splitlines()[0] == "data/raw/sixth"
    assert run(example_project, "report", "--org", "sixth") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "reports/sixth/2025-12/report.html"
    html = (example_project.root / out[-1]).read_text(encoding="utf-8")
    assert "Refresh the staff engagement strategy" in html
    assert "Governing Body meeting on 15 January 2026 (papers due 8 January 2026)" in html
