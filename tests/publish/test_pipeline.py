"""End to end: render every organisation's report from the repository's data and check it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time

import pandas as pd
import pytest

from odreport.cli import main
from odreport.publish import pipeline, render
from odreport.publish.pipeline import build, build_report
from support import REPO, make_project, to_workbook

pytestmark = pytest.mark.e2e


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_report_renders_its_own_plan(rendered):
    project, paths = rendered
    for org, path in paths.items():
        html = path.read_text(encoding="utf-8")
        themes = pd.read_csv(project.raw_dir(org) / "themes.csv", dtype=str, keep_default_na=False)
        text = _text(html)
        for theme in themes["theme"]:
            assert re.sub(r"\s+", " ", theme).replace("&", "&amp;") in html or theme in text, (
                org,
                theme,
            )


def test_reports_are_self_contained(rendered):
    _, paths = rendered
    for path in paths.values():
        html = path.read_text(encoding="utf-8")
        assert not re.findall(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', html)
        assert "<script" not in html
        assert "<svg" in html


def test_rotherham_summary_numbers_match_the_data(rendered):
    project, paths = rendered
    html = paths["rotherham"].read_text(encoding="utf-8")
    period = paths["rotherham"].parent.name
    progress = pd.read_csv(
        project.raw_dir("rotherham") / "progress.csv", dtype=str, keep_default_na=False
    )
    now = progress[progress["period"] == period]
    assert len(now) == 46
    complete = int((now["status"] == "Complete").sum())
    share = int(complete * 100 / 46 + 0.5)
    text = _text(html)
    assert f"{share}% ({complete} of 46)" in text  # the table of measures
    red = int(((now["rag"] == "Red") & (now["status"] != "Complete")).sum())
    assert f"{red} off track" in text
    assert "illustrative" in text.lower()


def test_framework_coverage_names_each_framework_in_the_plural(rendered):
    _, paths = rendered
    nottingham = _text(paths["nottingham"].read_text(encoding="utf-8"))
    assert "McKinsey 7S categories: 7 of 7 have at least one" in nottingham
    assert "Key deliverables: " in nottingham
    darlington = _text(paths["darlington"].read_text(encoding="utf-8"))
    assert "Authorisation domains: " in darlington


def test_every_chart_of_the_five_reports_is_a_valid_vega_lite_spec(rendered, monkeypatch):
    """Reports skip Altair's schema check when drawing; here every chart every report draws
    is checked against the Vega-Lite schema (``to_dict()`` validates and raises)."""
    from odreport import report
    from odreport.report import charts

    drawn = []
    to_svg = charts.to_svg

    def checked(chart):
        spec = chart.to_dict()  # validates
        drawn.append(spec)
        return to_svg(chart)

    monkeypatch.setattr(charts, "to_svg", checked)  # what present draws with
    project, paths = rendered
    for org, path in paths.items():
        data = report.load(project.processed_dir(org, path.parent.name))
        for name in (
            "plan_progress",
            "measures",
            "status_by_theme",
            "timeline",
            "maturity",
            "risk",
            "survey_results",
            "survey_detail",
        ):
            getattr(report, name)(data)
    assert len(drawn) >= 20


def test_same_inputs_give_byte_identical_html(rendered):
    project, paths = rendered
    first = paths["rotherham"].read_bytes()
    again = build_report(project, "rotherham", force=True)
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(first).hexdigest()


def test_a_kept_kernel_leaks_nothing_from_one_report_into_the_next(rendered):
    """Batch workers keep one kernel for many reports: each report rendered after another
    organisation's is byte-identical to the same report rendered alone in a fresh kernel."""
    project, paths = rendered
    alone = {org: paths[org].read_bytes() for org in ("rotherham", "nottingham")}
    render.keep_kernels(True)
    try:
        for org in ("nottingham", "rotherham", "nottingham"):
            again = build_report(project, org, force=True)
            assert again.read_bytes() == alone[org], org
    finally:
        render.keep_kernels(False)


def _tree(folder) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and the SHA-256 of its content."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failed_run_leaves_the_previous_report(rendered, capsys, caplog):
    """Invalid inputs: the report rendered while they were validated is dropped, and the
    derived tables it was made from are replaced by those of the last good run again."""
    project, _ = rendered
    reports, processed = _tree(project.reports / "dorset"), _tree(project.processed / "dorset")
    actions = project.raw_dir("dorset") / "actions.csv"
    saved = actions.read_bytes()
    caplog.set_level("DEBUG", logger="odreport.publish.pipeline")
    try:
        actions.write_text(saved.decode("utf-8").replace(",1,", ",99,", 1), encoding="utf-8")
        code = main(["--root", str(project.root), "report", "--org", "dorset"])
        assert code == 3
    finally:
        actions.write_bytes(saved)
    assert "dorset: report rendered during validation abandoned" in caplog.messages
    assert _tree(project.reports / "dorset") == reports
    assert _tree(project.processed / "dorset") == processed
    assert "theme_ref" in capsys.readouterr().err


def test_invalid_inputs_stop_the_report_being_rendered_meanwhile(tmp_path):
    """The run stops as soon as validation fails: a notebook cell that would finish later
    never does (its kernel is killed), and nothing it would have written appears."""
    import nbformat

    project = make_project(tmp_path, {"dorset": REPO / "data" / "raw" / "dorset"})
    good = build(project, "dorset")  # a last build to go by: the next one is rendered ahead
    before = _tree(project.reports), _tree(project.processed)
    notebook = project.notebooks / pipeline.NOTEBOOK
    nb = nbformat.read(notebook, as_version=4)
    marker = project.root / "cell-finished"
    slow = "import pathlib, time\ntime.sleep(5)\npathlib.Path('cell-finished').write_text('x')"
    nb.cells.insert(1, nbformat.v4.new_code_cell(slow))
    nbformat.write(nb, notebook)
    actions = project.raw_dir("dorset") / "actions.csv"
    text = actions.read_text(encoding="utf-8")
    actions.write_text(text.replace(",1,", ",99,", 1), encoding="utf-8")
    assert main(["--root", str(project.root), "report", "--org", "dorset"]) == 3
    time.sleep(6)  # the cell would have finished by now had the kernel not been stopped
    assert not marker.exists()
    assert good.rendered
    assert (_tree(project.reports), _tree(project.processed)) == before


def test_a_report_rendered_during_validation_is_kept_only_if_validation_agrees(rendered, caplog):
    """Rotherham's inputs have one warning, which the report lists. A report rendered while
    validation runs assumes the warnings of the last build: when the last build listed none,
    it is dropped and built again; next time it is kept. With no last build, nothing is
    rendered ahead. Each gives the report a build without speculation gives, byte for byte."""
    project, paths = rendered
    caplog.set_level("DEBUG", logger="odreport.publish.pipeline")
    sequential = build(project, "rotherham", force=True, speculate=False).report.read_bytes()
    assert sequential == paths["rotherham"].read_bytes()
    summary = project.processed_dir("rotherham", "2016-06") / "summary.json"
    last = json.loads(summary.read_text(encoding="utf-8"))
    assert len(last["data_quality"]) == 1
    summary.write_text(json.dumps({**last, "data_quality": []}), encoding="utf-8")
    caplog.clear()
    assert build(project, "rotherham", force=True).report.read_bytes() == sequential
    assert caplog.messages[0] == (
        "rotherham 2016-06: report rendered during validation dropped: "
        "validation found other warnings than those assumed"
    )
    caplog.clear()
    assert build(project, "rotherham", force=True).report.read_bytes() == sequential
    assert caplog.messages == ["rotherham 2016-06: report rendered during validation kept"]
    summary.unlink()  # no last build to go by
    caplog.clear()
    assert build(project, "rotherham", force=True).report.read_bytes() == sequential
    assert caplog.messages == []


def test_a_failing_speculative_render_is_built_again_after_validation(rendered, monkeypatch):
    project, paths = rendered
    real = pipeline._render_staged
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("kernel lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_render_staged", fails_once)
    before = paths["nottingham"].read_bytes()
    assert build(project, "nottingham", force=True).report.read_bytes() == before
    assert len(calls) == 2
    assert not [p.name for p in (project.reports / "nottingham").iterdir() if p.name[0] == "."]
    assert not [p.name for p in (project.processed / "nottingham").iterdir() if p.name[0] == "."]


def test_rotherham_from_excel_matches_csv_apart_from_provenance(rendered, tmp_path):
    _, paths = rendered
    xl = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    to_workbook(xl, "rotherham")
    assert not list(xl.raw_dir("rotherham").glob("*.csv"))
    html_xl = build_report(xl, "rotherham").read_text(encoding="utf-8")
    html_csv = paths["rotherham"].read_text(encoding="utf-8")
    cut = re.search(r'<h2 id="appendix-[a-z]-provenance">', html_csv).group(0)
    assert html_xl.split(cut)[0] == html_csv.split(cut)[0]
    assert "plan.xlsx" in html_xl.split(cut)[1]
    shutil.rmtree(tmp_path / "data")


def test_darlington_and_rotherham_list_their_published_inconsistencies(rendered):
    _, paths = rendered
    dar = _text(paths["darlington"].read_text(encoding="utf-8"))
    assert "rating is not severity × likelihood (found 12, expected 16)" in dar
    rot = _text(paths["rotherham"].read_text(encoding="utf-8"))
    assert (
        "answered + skipped is not the number of respondents in surveys.csv (found 5, expected 15)"
        in rot
    )


def test_free_text_is_escaped(tmp_path):
    project = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    progress = project.raw_dir("rotherham") / "progress.csv"
    frame = pd.read_csv(progress, dtype=str, keep_default_na=False)
    last = frame["period"].max()
    hit = frame.index[(frame["period"] == last) & (frame["action_ref"] == "L1")][0]
    frame.loc[hit, ["status", "rag", "percent_complete"]] = ["In progress", "Red", "50"]
    frame.loc[hit, "commentary"] = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
    frame.to_csv(progress, index=False, lineterminator="\n")
    html = build_report(project, "rotherham").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html  # inert text: quotes need no escaping outside tags


def test_index_lists_every_report_newest_first_with_working_links(rendered):
    project, paths = rendered
    html = (project.reports / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', html)
    assert sorted(links) == sorted(
        p.relative_to(project.reports).as_posix() for p in paths.values()
    )
    assert all((project.reports / link).exists() for link in links)
    periods = [link.split("/")[1] for link in links]
    assert periods == sorted(periods, reverse=True)
    assert not re.findall(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', html)


def test_validation_in_a_process_of_its_own_finds_what_it_finds_here(rendered, tmp_path):
    """A fresh ``make report`` validates in a child process while it renders: the child finds
    the same warnings, and the same problems in invalid inputs, as validation in-process."""
    from odreport.errors import DataValidationError
    from odreport.inputs.tables import read_inputs

    project, _ = rendered
    inputs = read_inputs(project.raw_dir("rotherham"), project.expectations)
    here = pipeline.check_inputs(project, inputs).warnings
    apart = pipeline.check_inputs(project, inputs, apart=True).warnings
    assert apart == here and len(here) == 1

    bad = make_project(tmp_path, {"dorset": REPO / "data" / "raw" / "dorset"})
    actions = bad.raw_dir("dorset") / "actions.csv"
    actions.write_text(
        actions.read_text(encoding="utf-8").replace(",1,", ",99,", 1), encoding="utf-8"
    )
    inputs = read_inputs(bad.raw_dir("dorset"), bad.expectations)
    found = []
    for apart in (False, True):
        with pytest.raises(DataValidationError) as caught:
            pipeline.check_inputs(bad, inputs, apart=apart)
        found.append(caught.value.problems)
    assert found[0] == found[1] and any("theme_ref" in line for line in found[0])
