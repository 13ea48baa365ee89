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
    # the example has changes and dated items; no survey, framework, assessment or risk
    assert [s.id for s in registry.contents(example, registry.BODY)] == [
        "cover_sheet",
        "plan_progress",
        "measures",
        "exceptions",
        "changes",
        "status_by_theme",
        "accountability",
        "data_quality",
    ]
    assert [s.heading(example) for s in registry.contents(example, registry.APPENDIX)] == [
        "Appendix A: Every item and its status",
        "Appendix B: Milestones timeline",
        "Appendix C: Provenance",
    ]
    shown = {s.id: s(example) for s in registry.SECTIONS}
    assert {i for i, html in shown.items() if html is None} == {
        "survey_results",
        "maturity",
        "risk",
        "local_analysis",  # no local notebooks (tests/report/test_local.py)
        "measure_charts",
        "coverage",
        "risk_register",
        "survey_evidence",
        "survey_detail",
    }
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', shown["header"])
    for section in registry.contents(example):
        heading = section.heading(example)
        anchor = slug(heading)
        assert (anchor, heading) in links
        if section.part == registry.APPENDIX:
            assert shown[section.id].startswith(
                f'<section class="appendix" aria-labelledby="{anchor}"><h2 id="{anchor}">'
            )
        else:
            assert shown[section.id].startswith(f'<h2 id="{anchor}">{heading}</h2>')
    assert len(links) == len(registry.contents(example))


def test_the_body_comes_before_the_appendices():
    parts = [s.part for s in registry.SECTIONS if s.title]
    assert parts == sorted(parts, key=[registry.BODY, registry.APPENDIX].index)
    assert set(parts) == {registry.BODY, registry.APPENDIX}
    body = {s.id for s in registry.SECTIONS if s.part == registry.BODY}
    # what a board reads is in the body; detail is in the appendices
    assert {"cover_sheet", "plan_progress", "exceptions", "status_by_theme", "risk"} <= body
    assert {"items", "provenance", "survey_detail", "risk_register"}.isdisjoint(body)


def test_appendix_letters_follow_the_appendices_shown(example, facts, tables, make_rows):
    tables["risks"] = make_rows(
        "risks", {"risk_ref": "R1", "risk": "x", "severity": 2, "likelihood": 2, "rating": 4}
    )
    data = report_data(facts, **tables)
    assert registry.BY_ID["risk_register"].heading(data) == "Appendix C: Risk register"
    assert registry.BY_ID["provenance"].heading(data) == "Appendix D: Provenance"
    assert registry.BY_ID["provenance"].heading(example) == "Appendix C: Provenance"


def test_a_first_report_has_no_changes_and_one_period_no_trend(facts, tables, make_rows):
    facts["previous"] = None
    tables["trend"] = make_rows("trend", {"period": "2016-03", "share_complete": 25, "items": 4})
    data = report_data(facts, **tables)
    ids = [s.id for s in registry.contents(data)]
    assert "changes" not in ids
    assert registry.BY_ID["changes"](data) is None


def test_show_displays_a_section_and_skips_one_not_shown(example, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    registry.show(registry.BY_ID["exceptions"](example))
    registry.show(None)
    assert len(shown) == 1
    assert shown[0].data.startswith('<h2 id="exceptions">Exceptions</h2>')
    assert type(shown[0].data) is str
