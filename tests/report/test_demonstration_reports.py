"""End to end: the headline figures of the five demonstration reports, worked out by hand from
their inputs (data/raw/<org>/actions.csv timescales and progress.csv rows of the latest period),
and the statements issue 16 found untrue, as they read now.

The rules, as the report states them: *due by now*: the plan's due date (from the timescale as
written) on or before the reporting date; *done*: of those, complete (status Complete or RAG
Blue); *gap*: due by now and not complete; *overdue*: not complete and the current due date
(``due_date`` in progress.csv when given, else the plan's) before the reporting date;
*exception*: not complete, and overdue, off track (Red), at risk (Amber) or with the due date
moved later.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from odreport.publish.builder import build_report
from support import REPO, make_project

pytestmark = pytest.mark.e2e

HEADLINES = {
    # Rotherham, June 2016 (30 June 2016): 46 objectives. No due date: L8, S8, E1, E7, C1, C2
    # ("On-going"), CF2 ("March 2016 onwards"), W3 ("January 2016 onwards"): 8. Every other
    # timescale ends by June 2016: due by now 46 − 8 = 38. Blue: L2 L3 L5 L6 L7, CF3 CF4,
    # S2–S7, W1 W2 W7 W8, E3 E4 E5, C3 C4 C5 C7 = 5 + 2 + 6 + 4 + 3 + 4 = 24, all dated: done
    # 24, gap 38 − 24 = 14. Overdue (not complete, due before 30 June): L1 (Feb), L4 (Mar),
    # CF5 (Jan), W4 (Mar), W6 (April/May), W9 (May), E2 (Feb), E8, E9 (Mar) = 9; CF1, S1, W5,
    # E6, C6 moved to July or later. Exceptions: the 9 overdue (all Red) + the 5 moved = 14.
    "rotherham": ("objective", 46, 38, 24, 14, 9, 14),
    # Dorset, March 2016: 20 objectives. Dated: 1.2, 1.3 (September – December 2014), 3.1,
    # 4.2, 6.1 (September 2014), 4.1 (July 2014), 6.5 (June 2014 – March 2015): 7, all due
    # by 31 March 2016; the other 13 are ongoing or blank (4.3). Blue: 1.2, 1.3, 3.1, 4.2, 6.1:
    # done 5, gap 2 (4.1, 6.5), both overdue and Red. Exceptions: 4.1, 6.5 and the Amber
    # ongoing 1.1, 1.6, 3.3 = 5 (1.3, 3.1 and 4.2 moved but are complete).
    "dorset": ("objective", 20, 7, 5, 2, 2, 5),
    # Darlington, December 2012: 41 actions. No due date: PA1.6, PA5.2 (ongoing), PA3.7,
    # PA3.8 (blank): 4. Due after December 2012: PA3.3, PA4.5, PA5.1, PA6.2, PA7.1, PA7.2 (Mar
    # 2013), PA6.3 (Dec 2013): 7. Due by now 41 − 4 − 7 = 30. Blue: PA1.1 1.2 1.4, PA2.2–2.6,
    # PA3.1 3.2 3.4 3.9 3.10, PA4.1 4.2 4.3 4.4 4.6 4.7, PA5.3, PA6.4 6.5 = 3 + 5 + 5 + 6 + 1
    # + 2 = 22, all due by now: done 22, gap 8. Overdue: PA1.5, PA2.1 (Sept), PA3.5 (moved to
    # 30 Sept), PA3.6 (October) = 4 (PA6.1, due 31 December, is not yet past). Exceptions: the
    # 4 (Red) + moved PA1.3, PA2.7, PA5.1, PA7.3 = 8.
    "darlington": ("action", 41, 30, 22, 8, 4, 8),
    # Nottingham, October 2020: 41 actions. No due date: TL12–TL26 (15). "2019 to 2021" ends
    # 31 March 2021, not yet due: O1, O3, O4, O5, O6, O7, O10, O12, O13 (9). Due by now
    # 41 − 15 − 9 = 17: O2, O8, O9, O11, O14, O15 ("2019 to 2020", 31 March 2020) and
    # TL1–TL11. Of those Blue: O2, O8, O11, O14, O15, TL3–TL9, TL11 = 13: done 13, gap 4 (O9,
    # TL1, TL2, TL10), all overdue (O9 March 2020, TL1 moved to June 2020, TL2 January 2020,
    # TL10 moved to February 2020) and Red. Exceptions: those 4 + O3, O6 moved to 2021 = 6.
    "nottingham": ("action", 41, 17, 13, 4, 4, 6),
    # South Staffordshire, March 2011: 58 milestones, relative timescales from the refresh of
    # 30 March 2009. No due date: PA9.3. "3 months – 3 years", "6 months – 3 years" and
    # "1 – 3 years" end in March 2012: PA2.7, PA9.2, PA10.3, PA12.1, PA13.3, PA15.4–15.6 (8).
    # Due by now 58 − 1 − 8 = 49 ("6 months to 2 years", PA8.1, is due 30 March 2011). Not
    # Blue: 12 Red, the 8 above, PA9.3: 58 − 21 = 37 complete, all due: done 37, gap 12 (the
    # Red ones), each past its current due date (the latest, PA15.2, moved to July 2010):
    # overdue 12, exceptions 12.
    "south-staffordshire": ("milestone", 58, 49, 37, 12, 12, 12),
}


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<h2 ", start + 10)
    return html[start : end if end > 0 else None]


@pytest.mark.parametrize("org", list(HEADLINES))
def test_headline_figures_worked_by_hand(rendered, org):
    noun, items, due, done, gap, overdue, exceptions = HEADLINES[org]
    html = rendered[1][org].read_text(encoding="utf-8")
    progress = _section(html, "progress-against-the-plan")
    assert re.findall(r'kf-value">(\d+)</span><span class="kf-label">([^<]*)<', progress) == [
        (str(due), "due by now"),
        (str(done), "done (of those due)"),
        (str(gap), "gap (due, not complete)"),
        (str(overdue), "overdue"),
        (str(exceptions), "exceptions"),
    ]
    text = _text(progress)
    assert f"Due by now: {due} of the {items} {noun}s" in text
    assert f"Done: {done} of those {due} are complete. Gap: {gap} {noun}s due but not" in text
    # the exceptions: the count in the text is the number of rows, none of them complete
    exc = _section(html, "exceptions")
    assert _text(exc).strip().startswith(f"Exceptions {exceptions} {noun}s not complete and")
    assert len(re.findall(r'<tr><th scope="row">', exc)) == exceptions
    assert "</span>Complete</span>" not in exc
    # the cover sheet's summary says the same, in at most about 200 words
    cover = _section(html, "cover-sheet")
    found = re.search(r"<th scope=\"row\">Executive summary</th><td>(.*?)</td>", cover)
    assert len(_text(found.group(1)).split()) <= 200
    summary = _text(cover)
    assert (
        f"{due} of the {items} {noun}s were due under the plan's own timescales: {done} of them "
        f"are complete and {gap} are not." in summary
    )


def test_no_report_draws_an_xmr_chart_of_a_running_total_or_a_stock(rendered):
    xmr_charts = 0
    for org, path in rendered[1].items():
        html = path.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart">.*?</figure>', html, flags=re.S):
            # an XmR chart's data: its own table, or (a pulse series' small multiples) the
            # series' table its caption links to
            elsewhere = re.search(r'Data: <a href="#([^"]+)">', figure)
            if elsewhere:
                data = re.search(rf'id="{elsewhere[1]}">(.*?)</table>', html, flags=re.S).group(1)
            elif "Special-cause rule" in figure:
                data = figure
            else:
                continue
            xmr_charts += 1
            caption = _text(re.search(r"<caption>(.*?)</caption>", data).group(1))
            # a flow (items completed in each period) or survey waves, nothing else
            assert caption.endswith(
                ("completed in the period by reporting period", " by wave", " by measure and wave")
            ), (org, caption)
        text = _text(html)
        # the old XmR charts' titles; the organisation's own local analysis (Rotherham's shows
        # a share complete by theme, not a series) is its own
        standard = text.split(" Local analysis ")[0] + text.split(" Data quality ")[-1]
        assert "Complete (%)" not in standard and "Items overdue:" not in standard
        assert "Not charted as SPC: a running total" in text
        assert "Not charted as SPC: a stock that carries over" in text
    assert xmr_charts >= 5 + 9  # each report's completions; Nottingham's pulse measures


def test_no_sentence_says_from_x_to_x(rendered):
    for org, path in rendered[1].items():
        text = _text(path.read_text(encoding="utf-8"))
        assert not re.search(r"\bfrom (\d+) to \1\b", text), org
        assert "none more" not in text


def test_the_statements_found_untrue_read_true_now(rendered):
    paths = rendered[1]
    read = {org: path.read_text(encoding="utf-8") for org, path in paths.items()}
    text = {org: _text(html) for org, html in read.items()}
    # illustrative meeting dates are labelled in the header
    for org, html in read.items():
        header = _text(html[: html.index('<nav aria-label="Contents"')])
        assert "(illustrative date" in header, org
    # Rotherham: changes since the previous paper (January), not since May
    assert (
        "Compared with the previous paper to the Governing Body on 13 January 2016 (data as at "
        "31 December 2015). Since then, 24 more objectives are complete and the number overdue "
        "rose from 0 to 9." in text["rotherham"]
    )
    # Darlington risks: counted as the register shows them; R5 as published, flagged
    assert (
        "9 risks, RAG as published in the register: 9 Red before mitigation; 2 Red, 7 Amber "
        "after mitigation." in text["darlington"]
    )
    assert (
        "R5: its published rating, 12, is not severity × likelihood (4 × 4 = 16)"
        in (text["darlington"])
    )
    # Dorset: the known gap stops "all checks passed" and is named beside the figures
    assert "All inputs passed every data-quality check" not in text["dorset"]
    assert "the source document has 1 known gap in the plan's items" in text["dorset"]
    # plans that ended say so
    for org, end in (
        ("dorset", "31 March 2016"),
        ("darlington", "31 December 2012"),
        ("south-staffordshire", "31 March 2011"),
    ):
        assert f"The plan period ended on {end}" in text[org], org
    assert "The plan period ended" not in text["rotherham"] + text["nottingham"]
    # South Staffordshire: targets met, missed and not yet due, and the assessment's age (March
    # 2009 to March 2011: 24 months)
    assert "12 targets: 5 met, 7 missed, 0 not yet due" in text["south-staffordshire"]
    assert "it is 24 months old at the reporting date" in text["south-staffordshire"]
    # Darlington: leads from the source's Source column; the rest counted and listed
    assert "16 of 41 actions have no lead named" in text["darlington"]
    # the cover sheet never invents what a person decides
    for org in paths:
        assert "Agenda item not provided" in text[org], org


def test_darlington_june_2012_reports_no_status_not_in_progress(tmp_path):
    # The real snapshot: 28 In progress + 2 Under development without a RAG rating; PA3.7
    # and PA3.8 have no status at all (no progress row).
    project = make_project(tmp_path, {"darlington": REPO / "data" / "raw" / "darlington"})
    html = build_report(project, "darlington", "2012-06").read_text(encoding="utf-8")
    text = _text(html)
    assert "30 in progress without a RAG rating, 2 no status reported" in text
    assert "32 in progress" not in text
    assert "No status reported" in _text(_section(html, "appendix-a-every-item-and-its-status"))


def test_a_papers_csv_fills_the_cover_sheet(tmp_path):
    project = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    (project.raw_dir("rotherham") / "papers.csv").write_text(
        "meeting_date,agenda_item,report_of,presenter,purpose,assurance_level,"
        "assurance_wording,baf_risks,legal_implications,source\n"
        '2016-07-13,7.2,"Chris Edwards, Chief Officer","Chris Edwards, Chief Officer",'
        "assurance,reasonable,Significant; Moderate; Limited; None,BAF 4,None.,"
        "Test: a board secretary's schedule\n",
        encoding="utf-8",
    )
    html = build_report(project, "rotherham").read_text(encoding="utf-8")
    cover = _text(_section(html, "cover-sheet"))
    assert "Agenda item 7.2 " in cover
    assert "Report of Chris Edwards, Chief Officer Author not provided" in cover
    assert "Purpose Assurance " in cover
    # the author's level in the organisation's words, beside the rule's: 14 of 38 (37%)
    assert (
        "Assurance level Moderate (set by the author). The report's rule proposes Limited: 14 "
        "of the 38 items due by now are not complete (37%)." in cover
    )
    assert "take moderate assurance from this report" in cover
    assert "Legal: None." in cover and "Quality: not provided" in cover
    assert "Board Assurance Framework risks BAF 4 " in cover
