"""The catalogue, reports/index.html: every rendered report, newest period first."""

from __future__ import annotations

import json
import re

import pytest

from odreport.publish import catalogue
from support import make_project

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


def _facts(org, short, period, label, illustrative=True):
    return {
        "organisation": {
            "org_id": org,
            "short_name": short,
            "name": f"NHS {short}",
            "item_name": "action",
        },
        "meeting": {"body": "Governing Body", "date": "2016-04-13", "papers_due": "2016-04-06"},
        "reporting_date": "2016-03-31",
        "period": period,
        "period_label": label,
        "illustrative": illustrative,
        "current": {"items": 4, "share_complete": 25, "overdue": 1, "counts": {"Off track": 2}},
    }


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    for org, short, period, label, rendered in [
        ("beta", "Beta CCG", "2016-03", "March 2016", True),
        ("alpha", "Alpha CCG", "2016-03", "March 2016", True),
        ("alpha", "Alpha CCG", "2017-06", "June 2017", True),
        ("gamma", "Gamma CCG", "2018-01", "January 2018", False),  # figures, no report
    ]:
        folder = project.reports / org / period
        folder.mkdir(parents=True)
        catalogue.write_figures(folder, _facts(org, short, period, label))
        if rendered:
            (folder / "report.html").write_text("<html></html>\n", encoding="utf-8")
    return project


def test_figures_beside_each_report(project):
    saved = json.loads((project.reports / "beta" / "2016-03" / "figures.json").read_text())
    assert saved == {
        "org": "beta",
        "organisation": "Beta CCG",
        "organisation_name": "NHS Beta CCG",
        "meeting": {"body": "Governing Body", "date": "2016-04-13", "papers_due": "2016-04-06"},
        "reporting_date": "2016-03-31",
        "period": "2016-03",
        "period_label": "March 2016",
        "items": 4,
        "item_name": "action",
        "share_complete": 25,
        "overdue": 1,
        "off_track": 2,
        "illustrative": True,
    }


def test_entries_newest_first_then_by_name_only_rendered_reports(project):
    entries = catalogue.catalogue_entries(project)
    assert [(e["org"], e["period"]) for e in entries] == [
        ("alpha", "2017-06"),
        ("alpha", "2016-03"),
        ("beta", "2016-03"),
    ]


def test_the_catalogue_page(project):
    path = catalogue.write_catalogue(project)
    assert path == project.reports / "index.html"
    html = path.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">')
    assert html.endswith("</tbody></table></div>\n</main>\n</body>\n</html>\n")
    assert "<p>3 reports, newest reporting period first.</p>" in html
    assert re.findall(r'<a href="([^"]+)">', html) == [
        "alpha/2017-06/report.html",
        "alpha/2016-03/report.html",
        "beta/2016-03/report.html",
    ]
    assert (
        '<tr><th scope="row"><a href="beta/2016-03/report.html">Beta CCG</a> '
        '<span class="org-id">(beta)</span></th>'
        '<td>March 2016</td><td class="num">4</td><td class="num">25%</td><td class="num">1</td>'
        '<td class="num">2</td><td>Illustrative</td></tr>' in html
    )
    assert not re.findall(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', html)
    assert not [p.name for p in project.reports.iterdir() if p.name.startswith(".")]


def test_one_report_and_hostile_names(tmp_path):
    project = make_project(tmp_path)
    folder = project.reports / "x" / "2016-03"
    folder.mkdir(parents=True)
    catalogue.write_figures(folder, _facts("x", HOSTILE, "2016-03", '"March"', False))
    (folder / "report.html").write_text("", encoding="utf-8")
    html = catalogue.write_catalogue(project).read_text(encoding="utf-8")
    assert "<p>1 report, newest reporting period first.</p>" in html
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<td>&quot;March&quot;</td>" in html
    assert "<td>Reported</td>" in html


def test_two_organisations_with_one_short_name_are_told_apart_by_their_id(tmp_path):
    project = make_project(tmp_path)
    for org in ("leeds-north", "leeds-south"):
        folder = project.reports / org / "2016-03"
        folder.mkdir(parents=True)
        catalogue.write_figures(folder, _facts(org, "Leeds CCG", "2016-03", "March 2016"))
        (folder / "report.html").write_text("", encoding="utf-8")
    html = catalogue.write_catalogue(project).read_text(encoding="utf-8")
    rows = re.findall(r'<th scope="row">(.*?)</th>', html)
    assert rows == [
        '<a href="leeds-north/2016-03/report.html">Leeds CCG</a> '
        '<span class="org-id">(leeds-north)</span>',
        '<a href="leeds-south/2016-03/report.html">Leeds CCG</a> '
        '<span class="org-id">(leeds-south)</span>',
    ]


def test_the_catalogue_is_as_readable_as_the_umask_allows(project):
    import os

    old = os.umask(0o022)
    try:
        assert catalogue.write_catalogue(project).stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        assert catalogue.write_catalogue(project).stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
