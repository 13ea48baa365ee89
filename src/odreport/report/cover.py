"""The cover sheet: the conventional front page of an NHS governing-body paper, with the
executive summary.

Fields a person decides (agenda item, title, report of, author, presenter, purpose, strategic
objectives, BAF risks, implications, an assurance level that overrides the proposed one) come
from ``papers.csv`` (:func:`odreport.metrics.papers.particulars`, in ``facts["paper"]``); a
field with no value shows "not provided", never a made-up value. Fields the data decide are
generated from the true headline figures: the executive summary (at most about 200 words),
the recommendation, the proposed assurance level (:func:`odreport.metrics.papers.proposed_assurance`)
and the previous consideration (the previous paper to the same body, from the meeting
calendar).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from odreport.metrics import papers
from odreport.metrics.derive import fmt_date, period_end
from odreport.report import exceptions_changes, progress
from odreport.report.data import ReportData
from odreport.report.present import plural
from odreport.report.templating import render

NOT_PROVIDED = "not provided"
SUMMARY_WORDS = 200  # the executive summary's length, at most (about)


def _date(iso: str) -> str:
    return fmt_date(pd.Timestamp(iso))


@dataclass(frozen=True)
class Field:
    """One row of the cover sheet: its label and value (text, paragraphs or a list)."""

    label: str
    text: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    lead: str = ""  # the sentence before a list
    provided: bool = True  # False: a value a person must give, not given
    parts: tuple[tuple[str, str, bool], ...] = ()  # (label, text, provided) within the field


def sentence_case(text: str) -> str:
    """``text`` with its first letter a capital (the rest as written)."""
    return text[:1].upper() + text[1:]


def paper(data: ReportData) -> dict:
    """The papers.csv particulars of this report's meeting (every field ``None`` when none)."""
    given = data.facts.get("paper") or {}
    return {f: given.get(f) for f in papers.FIELDS}


def body_name(data: ReportData) -> str:
    """The body the paper goes to: the meeting's, else the organisation's governing body."""
    meeting = data.facts.get("meeting")
    return meeting["body"] if meeting else data.org["governing_body"]


def _given(label: str, value: str | None) -> Field:
    if value:
        return Field(label, value)
    return Field(label, NOT_PROVIDED, provided=False)


def meeting_field(data: ReportData) -> Field:
    """The meeting and its date (labelled when illustrative)."""
    meeting = data.facts.get("meeting")
    if not meeting:
        return Field(
            "Meeting",
            f"{data.org['governing_body']}: no meeting in the calendar for this report",
            provided=False,
        )
    text = f"{meeting['body']}, {_date(meeting['date'])}"
    if meeting.get("illustrative"):
        text += " (illustrative date)"
    return Field("Meeting", text)


# --- generated: summary, recommendation, assurance, previous consideration ----------------------


def executive_summary(data: ReportData) -> list[str]:
    """A few short paragraphs from the headline figures: the trajectory, the exceptions, the
    changes since the baseline, targets and risks where the plan has them, and what limits the
    data. At most :data:`SUMMARY_WORDS` words."""
    h, noun, facts = progress.headline_figures(data), data.noun, data.facts
    as_at = _date(facts["reporting_date"])
    out = []
    first = (
        f"At {as_at}, {h.due} of the {progress.items_text(h.items, noun)} were due under the "
        f"plan's own timescales: {h.done} of them {'is' if h.done == 1 else 'are'} complete "
        f"and {h.gap} {'is' if h.gap == 1 else 'are'} not."
        if h.due
        else f"At {as_at}, none of the {progress.items_text(h.items, noun)} was yet due under "
        "the plan's own timescales."
    )
    if h.complete_early:
        first += (
            f" {h.complete_early} more {'is' if h.complete_early == 1 else 'are'} complete ahead "
            "of a due date or without one."
        )
    plan = facts.get("plan_status") or {}
    if plan.get("ended"):
        first += f" The plan period ended on {_date(plan['plan_end'])}."
    out.append(first)
    if h.exceptions:
        reasons = exceptions_changes.reason_counts(exceptions_changes.exception_items(data))
        out.append(
            f"{progress.items_text(h.exceptions, noun).capitalize()} need the "
            f"{body_name(data)}'s attention (Exceptions): "
            + ", ".join(f"{n} {r}" for r, n in reasons.items() if n)
            + "."
        )
    else:
        out.append(f"No {noun} is overdue, off track, at risk or moved later.")
    if facts.get("previous"):
        comparison = facts.get("comparison") or {}
        basis = comparison.get("description") or ""
        if comparison.get("basis") == "previous paper" and comparison.get("meeting"):
            since = (
                f"Since the previous paper to the {comparison['meeting']['body']} "
                f"({_date(comparison['meeting']['date'])})"
            )
        else:
            since = f"Since {basis}" if basis else "Since the previous report"
        out.append(since + ", " + exceptions_changes.change_sentence(data)[len("Since then, ") :])
    more = []
    targets = facts.get("targets") or {}
    if sum(targets.values()):
        from odreport.report.assurance import assessment_ages

        ages = assessment_ages(data)
        more.append(
            "targets: "
            + ", ".join(f"{n} {k}" for k, n in targets.items())
            + (f" (on the assessment of {ages})" if ages else "")
        )
    if not data.risks.empty:
        from odreport.report.assurance import rag_counts

        more.append(
            f"risks rated {rag_counts(data.risks['rag'])} before mitigation and "
            f"{rag_counts(data.risks['residual_rag'])} after, as published"
        )
    if more:
        out.append(sentence_case("; ".join(more)) + ".")
    caveats = []
    if facts.get("illustrative"):
        caveats.append("the progress figures are illustrative")
    if h.no_status:
        caveats.append(f"{progress.items_text(h.no_status, noun)} had no status reported")
    gaps = int((data.source_notes["kind"] == "gap").sum())
    if gaps:
        caveats.append(
            f"the source document has {gaps} known gap{'s' if gaps != 1 else ''} (Data quality)"
        )
    stale = ((facts.get("meeting") or {}).get("staleness") or {}).get("stale")
    if stale:
        caveats.append("the data are stale for the meeting")
    if caveats:
        out.append("Note: " + "; ".join(caveats) + ".")
    return out


def assurance(data: ReportData) -> papers.Assurance:
    """The level the report's rule proposes (:func:`odreport.metrics.papers.proposed_assurance`)."""
    h = progress.headline_figures(data)
    stale = ((data.facts.get("meeting") or {}).get("staleness") or {}).get("stale")
    return papers.proposed_assurance(
        h.due,
        h.gap,
        known_gaps=papers.plan_gaps(data.source_notes),
        no_status=h.no_status,
        stale=bool(stale),
    )


def offered_level(data: ReportData) -> tuple[int, str]:
    """The assurance level the paper offers (the author's, else the proposed one): its index
    in :data:`odreport.metrics.papers.LEVELS` and its name in the organisation's words."""
    given = paper(data)
    names = papers.level_names(given["assurance_wording"])
    if given["assurance_level"]:
        level = papers.LEVELS.index(given["assurance_level"])
    else:
        level = assurance(data).level
    return level, names[level]


def assurance_field(data: ReportData) -> Field:
    """The assurance level offered: the author's (papers.csv) when given, with the rule's
    proposal beside it; else the rule's proposal, with its reasons."""
    given = paper(data)
    names = papers.level_names(given["assurance_wording"])
    proposed = assurance(data)
    reasons = "; ".join(proposed.reasons)
    illustrative = (
        " The figures it rests on are illustrative." if data.facts.get("illustrative") else ""
    )
    if given["assurance_level"]:
        chosen = names[papers.LEVELS.index(given["assurance_level"])]
        return Field(
            "Assurance level",
            f"{chosen} (set by the author). The report's rule proposes "
            f"{names[proposed.level]}: {reasons}.{illustrative}",
        )
    return Field(
        "Assurance level",
        f"{names[proposed.level]} (proposed by the report's rule: {reasons}).{illustrative}",
    )


def recommendation(data: ReportData) -> Field:
    """ "The <body> is asked to …": note progress; approve the revised dates of the items whose
    due dates moved; consider the overdue or off-track items; consider what follows an ended
    plan; and the assurance level."""
    h, noun = progress.headline_figures(data), data.noun
    rows = exceptions_changes.exception_items(data)
    moved = int(rows["exception_reasons"].str.contains("due date moved").sum())
    late = int(rows["exception_reasons"].str.contains("overdue|off track").sum())
    asks = [
        f"note progress against the plan: {h.done} of the {h.due} {plural(h.due, noun)} due by "
        f"now {'is' if h.done == 1 else 'are'} complete"
        if h.due
        else f"note progress against the plan: no {noun} is due yet"
    ]
    if moved:
        asks.append(
            f"approve the revised due dates of the {progress.items_text(moved, noun)} listed "
            "in Exceptions whose dates moved later than the plan's"
        )
    if late:
        asks.append(
            f"consider the {progress.items_text(late, noun)} overdue or off track (Exceptions) "
            "and the actions their leads propose"
        )
    plan = data.facts.get("plan_status") or {}
    if plan.get("ended"):
        left = h.items - h.complete
        asks.append(
            f"consider what follows the plan, which ended on {_date(plan['plan_end'])} with "
            f"{progress.items_text(left, noun)} not complete"
        )
    level, name = offered_level(data)
    if level == len(papers.LEVELS) - 1:
        asks.append("note that the report offers no assurance")
    else:
        asks.append(f"take {name.lower()} assurance from this report")
    return Field(
        "Recommendation",
        lead=f"The {body_name(data)} is asked to:",
        items=tuple(asks),
    )


def previous_consideration(data: ReportData) -> Field:
    """The previous paper to the same body (meeting calendar), and any other consideration
    the author gives (papers.csv)."""
    comparison = data.facts.get("comparison") or {}
    meeting = comparison.get("meeting")
    if comparison.get("basis") == "previous paper" and meeting:
        found = (
            f"{meeting['body']}, {_date(meeting['date'])}"
            + (" (illustrative date)" if meeting.get("illustrative") else "")
            + f": the previous progress paper (data as at "
            f"{fmt_date(period_end(comparison['period']))})."
        )
    else:
        found = "No earlier paper to the same body in the meeting calendar."
    given = paper(data)["previous_consideration"]
    return Field("Previous consideration", found + (f" {given}" if given else ""))


IMPLICATIONS = ("quality", "equality", "finance", "legal")


def implications(given: dict) -> Field:
    """Quality, equality, finance and legal implications, as papers.csv gives them."""
    parts = []
    for kind in IMPLICATIONS:
        value = given[f"{kind}_implications"]
        parts.append((kind.capitalize(), value or NOT_PROVIDED, bool(value)))
    return Field("Implications", parts=tuple(parts))


def cover_sheet(data: ReportData, appendices: list[str]) -> Markup:
    """The cover sheet and executive summary (``appendices``: the headings of the appendices
    shown)."""
    given = paper(data)
    impl = implications(given)
    fields = [
        meeting_field(data),
        _given("Agenda item", given["agenda_item"]),
        Field("Title", given["title"] or progress.report_title(data)),
        _given("Report of", given["report_of"]),
        _given("Author", given["author"]),
        _given("Presenter", given["presenter"]),
        _given("Purpose", given["purpose"].capitalize() if given["purpose"] else None),
        Field("Executive summary", paragraphs=tuple(executive_summary(data))),
        recommendation(data),
        assurance_field(data),
        _given("Strategic objectives", given["strategic_objectives"]),
        _given("Board Assurance Framework risks", given["baf_risks"]),
        impl,
        previous_consideration(data),
        Field("Appendices", items=tuple(appendices)) if appendices else Field("Appendices", "none"),
    ]
    missing = [f.label for f in fields if not f.provided]
    missing += [f"{label} implications" for label, _, ok in impl.parts if not ok]
    return render("sections/cover.html.j2", fields=fields, missing=missing)
