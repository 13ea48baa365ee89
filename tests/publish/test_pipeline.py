"""End to end: render every organisation's report from the repository's data and check it."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from odreport.publish.builder import build_report
from odreport.publish.session import Session
from support import REPO, copy_project, make_project, to_workbook

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


def test_same_inputs_give_byte_identical_html_in_a_fresh_kernel(rendered, tmp_path):
    """The five reports were rendered one after another in one kept kernel; Nottingham's (the
    fourth, with the most content) is byte-identical to the same report rendered again alone, in
    a fresh kernel: a kept kernel leaks nothing from one report into the next."""
    project, paths = rendered
    again = copy_project(project, tmp_path)
    with Session() as fresh:  # a kernel of its own, as `make report` has
        alone = build_report(again, "nottingham", force=True, session=fresh)
    assert alone.read_bytes() == paths["nottingham"].read_bytes()  # rendered fourth


def test_the_kept_notebook_names_the_derived_tables_it_was_made_from(rendered):
    """The notebook ran on tables in the staging folder, which were then put in place: the kept
    notebook names where they are now, so it runs again as it is."""
    import nbformat

    project, paths = rendered
    nb = nbformat.read(paths["rotherham"].with_suffix(".ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'processed_dir = "data/processed/rotherham/2016-06"' in injected[0].source
    assert nb.metadata["papermill"]["parameters"]["processed_dir"] == (
        "data/processed/rotherham/2016-06"
    )
    assert (project.root / "data/processed/rotherham/2016-06/summary.json").is_file()
    assert ".odreport" not in injected[0].source


def test_rotherham_from_excel_matches_csv_apart_from_provenance(rendered, tmp_path, kept):
    _, paths = rendered
    xl = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    to_workbook(xl, "rotherham")
    assert not list(xl.raw_dir("rotherham").glob("*.csv"))
    html_xl = build_report(xl, "rotherham", session=kept).read_text(encoding="utf-8")
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


def test_free_text_is_escaped(tmp_path, kept):
    project = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    progress = project.raw_dir("rotherham") / "progress.csv"
    frame = pd.read_csv(progress, dtype=str, keep_default_na=False)
    last = frame["period"].max()
    hit = frame.index[(frame["period"] == last) & (frame["action_ref"] == "L1")][0]
    frame.loc[hit, ["status", "rag", "percent_complete"]] = ["In progress", "Red", "50"]
    frame.loc[hit, "commentary"] = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
    frame.to_csv(progress, index=False, lineterminator="\n")
    html = build_report(project, "rotherham", session=kept).read_text(encoding="utf-8")
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
