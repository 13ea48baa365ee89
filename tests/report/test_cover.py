"""The cover sheet and executive summary, on the example of tests/report/conftest.py (figures
worked by hand there: due by now 2, done 1, gap 1, overdue 1, exceptions 3)."""

from __future__ import annotations

import re

from odreport.report import cover
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


def _rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr><th scope="row">([^<]*)</th><td>(.*?)</td></tr>', html))


def test_the_cover_sheet_has_every_field_in_the_conventional_order(example):
    html = cover.cover_sheet(example, ["Appendix A: Every item and its status"])
    assert list(_rows(html)) == [
        "Meeting",
        "Agenda item",
        "Title",
        "Report of",
        "Author",
        "Presenter",
        "Purpose",
        "Executive summary",
        "Recommendation",
        "Assurance level",
        "Strategic objectives",
        "Board Assurance Framework risks",
        "Implications",
        "Previous consideration",
        "Appendices",
    ]


def test_missing_human_inputs_are_marked_not_provided_never_invented(example):
    html = cover.cover_sheet(example, [])
    rows = _rows(html)
    blank = '<span class="not-provided">not provided</span>'
    for field in ("Agenda item", "Report of", "Author", "Presenter", "Purpose"):
        assert rows[field] == blank
    assert rows["Implications"] == (
        f'<ul class="implications"><li>Quality: {blank}</li><li>Equality: {blank}</li>'
        f"<li>Finance: {blank}</li><li>Legal: {blank}</li></ul>"
    )
    assert rows["Meeting"] == "Governing Body, 13 April 2016"
    assert rows["Title"] == (
        "Exampleshire CCG: organisational development progress report, March 2016"
    )
    assert html.endswith(
        '<p class="cover-note">Marked “not provided”: Agenda item, Report of, Author, '
        "Presenter, Purpose, Strategic objectives, Board Assurance Framework risks, Quality "
        "implications, Equality implications, Finance implications, Legal implications. A "
        "person decides these; they are given per meeting in papers.csv (see the input format) "
        "and never made up by the report.</p>"
    )


PAPER = {
    "provided": True,
    "meeting_date": "2016-04-13",
    "agenda_item": "7.2",
    "title": None,
    "report_of": "Ann Lead, Chief Officer",
    "author": HOSTILE,
    "presenter": "Ann Lead, Chief Officer",
    "purpose": "assurance",
    "assurance_level": "reasonable",
    "assurance_wording": "Significant; Moderate; Limited; None",
    "strategic_objectives": "SO2 A skilled workforce",
    "baf_risks": "BAF 4",
    "quality_implications": "None identified.",
    "equality_implications": "No EIA required.",
    "finance_implications": "Within budget.",
    "legal_implications": "None.",
    "previous_consideration": "Audit Committee, 22 March 2016.",
    "source": "Board secretary",
}


def test_values_from_papers_csv(facts, tables):
    facts["paper"] = dict(PAPER)
    html = cover.cover_sheet(report_data(facts, **tables), [])
    rows = _rows(html)
    assert rows["Agenda item"] == "7.2"
    assert rows["Purpose"] == "Assurance"
    assert rows["Board Assurance Framework risks"] == "BAF 4"
    assert rows["Implications"] == (
        '<ul class="implications"><li>Quality: None identified.</li><li>Equality: No EIA '
        "required.</li><li>Finance: Within budget.</li><li>Legal: None.</li></ul>"
    )
    assert "<script" not in html and "&lt;script&gt;" in rows["Author"]
    assert rows["Previous consideration"] == (
        "Governing Body, 9 March 2016: the previous progress paper (data as at 29 February "
        "2016). Audit Committee, 22 March 2016."
    )
    assert "not provided" not in html
    # the author's level, in the organisation's words, with the rule's proposal beside it:
    # 1 of 2 due not complete (50%): limited, "Limited" in these words
    assert rows["Assurance level"] == (
        "Moderate (set by the author). The report&#x27;s rule proposes Limited: 1 of the 2 "
        "items due by now is not complete (50%)."
    )
    assert "<li>take moderate assurance from this report</li>" in rows["Recommendation"]


def test_the_executive_summary_states_the_headline_figures(example):
    summary = cover.executive_summary(example)
    assert summary == [
        "At 31 March 2016, 2 of the 4 actions were due under the plan's own timescales: 1 of "
        "them is complete and 1 is not.",
        # exceptions A1 (overdue; at risk), A2 (due date moved), A3 (off track)
        "3 actions need the Governing Body's attention (Exceptions): 1 overdue, 1 off track, "
        "1 at risk, 1 due date moved.",
        # February: 0 complete, 0 overdue; March: 1 and 1
        "Since the previous paper to the Governing Body (9 March 2016), 1 more action is "
        "complete and the number overdue rose from 0 to 1.",
    ]
    assert sum(len(p.split()) for p in summary) <= cover.SUMMARY_WORDS


def test_the_summary_names_what_limits_the_data_and_stays_short(facts, tables, make_rows):
    facts.update(illustrative=True)
    facts["plan_status"] = {"ended": True, "plan_end": "2016-03-31", "message": ""}
    facts["targets"] = {"met": 5, "missed": 7, "not yet due": 0}
    tables["assessments"] = make_rows(
        "assessments",
        {"framework": "WCC", "code": "1", "domain": "Lead", "assessed": "2009-03", "score": 2.0}
        | {"target": 2.0, "assessment_age_months": 24, "scale": "level"},
    )
    tables["risks"] = make_rows(
        "risks",
        {"risk_ref": "R1", "risk": "x", "severity": 5, "likelihood": 3, "rating": 15}
        | {"rag": "Red", "residual_rag": "Amber"},
    )
    tables["source_notes"] = make_rows(
        "source_notes", {"note_ref": "N1", "table": "actions", "kind": "gap", "note": "Lost."}
    )
    summary = cover.executive_summary(report_data(facts, **tables))
    assert summary[0].endswith("The plan period ended on 31 March 2016.")
    assert summary[3] == (
        "Targets: 5 met, 7 missed, 0 not yet due (on the assessment of March 2009, 24 months "
        "old); risks rated 1 Red before mitigation and 1 Amber after, as published."
    )
    assert summary[4] == (
        "Note: the progress figures are illustrative; the source document has 1 known gap "
        "(Data quality)."
    )
    assert sum(len(p.split()) for p in summary) <= cover.SUMMARY_WORDS


def test_recommendation_asks_what_the_figures_call_for(facts, tables):
    facts["plan_status"] = {"ended": True, "plan_end": "2016-03-31", "message": ""}
    field = cover.recommendation(report_data(facts, **tables))
    assert field.lead == "The Governing Body is asked to:"
    assert field.items == (
        "note progress against the plan: 1 of the 2 actions due by now is complete",
        # A2's due date moved
        "approve the revised due dates of the 1 action listed in Exceptions whose dates moved "
        "later than the plan's",
        # A1 overdue, A3 off track
        "consider the 2 actions overdue or off track (Exceptions) and the actions their leads "
        "propose",
        # 4 actions, 1 complete
        "consider what follows the plan, which ended on 31 March 2016 with 3 actions not complete",
        "take limited assurance from this report",
    )


def test_the_recommendation_is_for_the_meetings_body(facts, tables):
    facts["meeting"]["body"] = "Strategic Commissioning Committee"
    field = cover.recommendation(report_data(facts, **tables))
    assert field.lead == "The Strategic Commissioning Committee is asked to:"


def test_assurance_is_proposed_by_the_documented_rule(facts, tables):
    # gap 1 of 2 due (50%): limited
    assert cover.assurance(report_data(facts, **tables)).name == "limited"
    facts["trajectory"] |= {"gap": 0, "due_complete": 2}
    assert cover.assurance(report_data(facts, **tables)).name == "substantial"
    # an item with no status reported: one level lower
    tables["items"].loc[2, "reported"] = False
    assert cover.assurance(report_data(facts, **tables)).name == "reasonable"
    assert cover.assurance_field(report_data(facts, **tables)).text == (
        "Reasonable (proposed by the report's rule: 0 of the 2 items due by now are not "
        "complete (0%); one level lower for incomplete data: 1 item with no status reported)."
    )


def test_previous_consideration_without_an_earlier_paper(facts, tables):
    facts["comparison"] = {"period": "2016-02", "basis": "previous period", "meeting": None}
    field = cover.previous_consideration(report_data(facts, **tables))
    assert field.text == "No earlier paper to the same body in the meeting calendar."


def test_an_illustrative_meeting_and_no_meeting(facts, tables):
    facts["meeting"]["illustrative"] = True
    assert cover.meeting_field(report_data(facts, **tables)).text == (
        "Governing Body, 13 April 2016 (illustrative date)"
    )
    facts["meeting"] = None
    field = cover.meeting_field(report_data(facts, **tables))
    assert not field.provided
    assert field.text == "Governing Body: no meeting in the calendar for this report"
