"""The registry of sections: one list gives the notebook's cells, the contents and the
headings; a section with nothing to show is left out of both."""

from __future__ import annotations

import re

from odreport import report
from odreport.report import registry
from odreport.report.data import report_data
from odreport.report.templating import slug


def test_ids_and_titles_are_unique():
    ids = [s.id for s in registry.SECTIONS]
    titles = [s.title for s in registry.SECTIONS if s.title]
    assert len(set(ids)) == len(ids) and len(set(titles)) == len(titles)
    assert len({slug(t) for t in titles}) == len(titles)  # distinct anchors
    assert registry.SECTIONS[0].id == "header" and registry.SECTIONS[0].title is None


def test_the_notebook_reaches_every_section_by_its_id():
    assert all(getattr(report, s.id) is s for s in registry.SECTIONS)
    assert report.load.__module__ == "odreport.report.data"
    assert report.show is registry.show


def test_contents_lists_exactly_the_sections_shown(example):
    # the example has changes, dated items and 3 periods; no survey, framework or risk
    assert [s.id for s in registry.contents(example)] == [
        "headline",
        "exceptions",
        "changes",
        "status_by_theme",
        "timeline",
        "trend",
        "accountability",
        "data_quality",
        "provenance",
    ]
    shown = {s.id: s(example) for s in registry.SECTIONS}
    assert {i for i, html in shown.items() if html is None} == {
        "survey_evidence",
        "coverage",
        "maturity",
        "risk",
        "survey_results",
        "local_analysis",  # no local notebooks (tests/report/test_local.py)
    }
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', shown["header"])
    for section in registry.contents(example):
        anchor = slug(section.title)
        assert (anchor, section.title) in links
        assert shown[section.id].startswith(f'<h2 id="{anchor}">{section.title}</h2>')
    assert len(links) == len(registry.contents(example))


def test_a_first_report_has_no_changes_and_one_period_no_trend(facts, tables, make_rows):
    facts["previous"] = None
    tables["trend"] = make_rows("trend", {"period": "2016-03", "share_complete": 25, "items": 4})
    data = report_data(facts, **tables)
    ids = [s.id for s in registry.contents(data)]
    assert "changes" not in ids and "trend" not in ids
    assert registry.BY_ID["changes"](data) is None


def test_show_displays_a_section_and_skips_one_not_shown(example, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    registry.show(registry.BY_ID["headline"](example))
    registry.show(None)
    assert len(shown) == 1
    assert shown[0].data.startswith('<h2 id="headline">Headline</h2>')
    assert type(shown[0].data) is str
