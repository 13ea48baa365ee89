"""Sections on the plan's progress: the title block, progress against the plan's trajectory,
status by theme and accountability (the measures are in :mod:`odreport.report.making_data_count`,
exceptions and changes in :mod:`odreport.report.exceptions_changes`, the appendices of every item and
the timeline in :mod:`odreport.report.appendix_items`).

Each function prepares what its section shows and renders ``templates/sections/<id>.html.j2``;
the section's heading comes from :mod:`odreport.report.registry`.

What is counted, and how (the rules of :mod:`odreport.metrics.derive` and
:mod:`odreport.metrics.trajectory`, stated once here for the reader of the code):

- *due by now*: items whose plan due date (the timescale as the plan gives it, not a date
  moved later) is on or before the reporting date; *done*: those of them that are complete;
  *gap*: those that are not;
- *overdue*: not complete and the current due date before the reporting date;
- *exception*: not complete, and overdue, off track, at risk or with a due date moved later;
- *no status reported*: no progress row for the item in the period (never "in progress").

Running totals (share complete) and stocks (items overdue) are never read as XmR charts
(:func:`odreport.metrics.spc.xmr_fitness`): they are compared with the plan's trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from odreport.metrics import papers, trajectory
from odreport.metrics.derive import (
    BRAG_ORDER,
    NO_STATUS,
    NOT_RATED,
    period_label,
    period_short,
)
from odreport.report import charts, narrative, present
from odreport.report.data import ReportData
from odreport.report.present import Table, date_text, lead_text, plural
from odreport.report.templating import render


def items_text(n: int, noun: str) -> str:
    """``1 objective``, ``14 objectives``."""
    return f"{n} {plural(n, noun)}"


# --- the title block ---------------------------------------------------------------------------


def meeting_text(meeting: dict) -> str:
    """``Governing Body meeting on 13 July 2016 (illustrative date; papers due 1 July 2016)``:
    the date is labelled when the calendar says it is illustrative."""
    notes = []
    if meeting.get("illustrative"):
        notes.append("illustrative date")
    if meeting.get("papers_due"):
        notes.append(f"papers due {date_text(meeting['papers_due'])}")
    out = f"{meeting['body']} meeting on {date_text(meeting['date'])}"
    return out + (f" ({'; '.join(notes)})" if notes else "")


def prepared_for(data: ReportData) -> str:
    """The meeting the report is prepared for (or the governing body, when none is known)."""
    meeting = data.facts.get("meeting")
    if not meeting:
        return data.org["governing_body"]
    return meeting_text(meeting)


def report_title(data: ReportData) -> str:
    """The report's title (its ``<h1>``)."""
    return (
        f"{data.org['short_name']}: organisational development progress report, "
        f"{data.facts['period_label']}"
    )


def header_notes(data: ReportData) -> list[str]:
    """What the reader must know before the figures: content not transcribed, illustrative
    progress or surveys, data stale for the meeting."""
    facts = data.facts
    notes = []
    if facts.get("content", {}).get("note"):  # plan content not transcribed (metrics.content)
        notes.append(facts["content"]["note"])
    if facts["illustrative"]:
        notes.append(facts["illustrative_note"])
    if facts.get("surveys", {}).get("illustrative_note"):
        notes.append(facts["surveys"]["illustrative_note"])
    notes += narrative.notes(data)
    stale = ((facts.get("meeting") or {}).get("staleness") or {}).get("message")
    if stale:
        notes.append(f"Stale data: {stale}")
    return notes


def header(data: ReportData, contents: list[str], appendices: list[str] = ()) -> Markup:
    """Title block: organisation, plan, reporting period, data as-of date, the meeting, the
    notes the reader needs first, and the contents (``contents``: the headings of the body's
    sections shown; ``appendices``: those of the appendices)."""
    org, facts = data.org, data.facts
    meta = [
        (
            "Plan",
            f"{org['plan_title']} ({date_text(org['plan_start'])} to {date_text(org['plan_end'])})",
        ),
        ("Reporting period", facts["period_label"]),
        ("Data as at", date_text(facts["reporting_date"])),
        ("Prepared for", prepared_for(data)),
        ("Source document", org["source_document"]),
    ]
    return render(
        "sections/header.html.j2",
        organisation=org["name"],
        title=report_title(data),
        meta=meta,
        notes=header_notes(data),
        contents=contents,
        meeting_note=narrative.meeting_note(data),  # written for the meeting, if any
        appendices=list(appendices),
    )


# --- progress against the plan's trajectory ------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The figures a board reads first (:func:`headline_figures`)."""

    items: int
    due: int
    done: int
    gap: int
    complete: int
    complete_early: int
    undated: int
    not_yet_due: int
    overdue: int
    exceptions: int
    no_status: int


def headline_figures(data: ReportData) -> Headline:
    """Due by now, done, gap (the trajectory at the reporting period), overdue and exceptions
    (counted from the items table, as the tables beside them are)."""
    t = data.facts["trajectory"]
    items = data.items
    due = int(t["due"])
    return Headline(
        items=int(t["items"]),
        due=due,
        done=int(t["due_complete"]),
        gap=int(t["gap"]),
        complete=int(t["complete"]),
        complete_early=int(t["complete_early"]),
        undated=int(t["undated"]),
        not_yet_due=int(t["items"]) - due - int(t["undated"]),
        overdue=int(items["overdue"].sum()),
        exceptions=int(items["exception"].sum()),
        no_status=int((~items["reported"]).sum()),
    )


def trajectory_sentences(data: ReportData) -> list[str]:
    """The headline against the plan: due by now, done, gap; what is complete early, undated
    or not yet due; and whether the plan period has ended."""
    h, noun = headline_figures(data), data.noun
    as_at = date_text(data.facts["reporting_date"])
    out = [
        f"Due by now: {h.due} of the {items_text(h.items, noun)}, under the plan's own "
        f"timescales (due on or before {as_at}). Done: {h.done} of those {h.due} "
        f"{'is' if h.done == 1 else 'are'} complete. Gap: {items_text(h.gap, noun)} due but "
        "not complete."
        if h.due
        else f"Due by now: none of the {items_text(h.items, noun)} is due on or before {as_at} "
        "under the plan's own timescales."
    ]
    later = []
    if h.complete_early:
        later.append(
            f"{h.complete_early} more {'is' if h.complete_early == 1 else 'are'} complete "
            "ahead of a due date or without one"
        )
    if h.not_yet_due:
        later.append(f"{h.not_yet_due} {'falls' if h.not_yet_due == 1 else 'fall'} due later")
    if h.undated:
        one = h.undated == 1
        later.append(
            f"{h.undated} {'has' if one else 'have'} no due date (ongoing, or no timescale in "
            f"the plan) and so never {'counts' if one else 'count'} as due"
        )
    if later:
        out.append("Of the rest: " + "; ".join(later) + ".")
    gaps = papers.plan_gaps(data.source_notes)
    if gaps:
        out.append(
            f"These figures cover the {items_text(h.items, noun)} the inputs hold: the source "
            f"document has {gaps} known gap{'s' if gaps != 1 else ''} in the plan's items, "
            "so the plan has more than these (Data quality)."
        )
    plan = data.facts.get("plan_status") or {}
    if plan.get("ended"):
        share = data.facts["current"]["share_complete"]
        out.append(
            f"The plan period ended on {date_text(plan['plan_end'])}: {h.complete} of its "
            f"{items_text(h.items, noun)} ({share}%) {'is' if h.complete == 1 else 'are'} "
            "complete."
        )
    return out


def key_figures(data: ReportData) -> list[tuple[str, str]]:
    """The count boxes: due by now, done, gap, overdue, exceptions."""
    h = headline_figures(data)
    return [
        ("due by now", str(h.due)),
        ("done (of those due)", str(h.done)),
        ("gap (due, not complete)", str(h.gap)),
        ("overdue", str(h.overdue)),
        ("exceptions", str(h.exceptions)),
    ]


SERIES_PLAN, SERIES_DONE = list(charts.TRAJECTORY_SERIES)


def trajectory_frame(data: ReportData) -> pd.DataFrame:
    """The chart's data: items due by the end of every month from the first reporting period
    to the plan's end (or the last due date, if later), and items complete at each reporting
    period; one row per month (``complete`` missing in months without data)."""
    overall = data.trajectory[data.trajectory["theme_ref"] == trajectory.ALL]
    first = overall["period"].min()
    last_due = data.items["original_due"].max()
    last = max(str(data.org["plan_end"])[:7], data.facts["period"])
    if pd.notna(last_due):
        last = max(last, last_due.strftime("%Y-%m"))
    planned = trajectory.planned(data.items, trajectory.months_between(first, last))
    done = overall.set_index("period")["complete"]
    planned["complete"] = planned["period"].map(done).astype("Int64")
    return planned


def trajectory_figure(data: ReportData) -> present.Figure:
    """The plan's trajectory (due by then) against items complete, with the data as a table."""
    frame = trajectory_frame(data)
    long = pd.concat(
        [
            pd.DataFrame(
                {"date": frame["reporting_date"], "series": SERIES_PLAN, "value": frame["due"]}
            ),
            pd.DataFrame(
                {
                    "date": frame["reporting_date"],
                    "series": SERIES_DONE,
                    "value": frame["complete"],
                }
            ).dropna(),
        ],
        ignore_index=True,
    )
    h = headline_figures(data)
    end = frame.iloc[-1]
    alt_text = (
        f"Items due under the plan's timescales against items complete, "
        f"{period_short(frame['period'].iloc[0])} to {period_short(end['period'])}: "
        f"{h.due} due by {date_text(data.facts['reporting_date'])}, {h.complete} complete; "
        f"{int(end['due'])} due by {period_short(end['period'])}. The dotted line marks "
        "the reporting date."
    )
    # the step curve's table: the months where the number due changes, the reporting
    # periods, the first and the last month (between them the number due is unchanged)
    changed = frame["due"].ne(frame["due"].shift())
    keep = changed | frame["complete"].notna()
    keep.iloc[-1] = True
    table = frame[keep].assign(
        month=frame["period"].map(period_label),
        complete_text=frame["complete"].map(present.count_text),
    )
    return present.figure(
        charts.trajectory_chart(long, data.facts["reporting_date"]),
        alt_text,
        table,
        "Items due by the end of the month (plan: the months where it changes, and the last) "
        "and items complete (actual, at each reporting period)",
        {"month": "Month", "due": SERIES_PLAN, "complete_text": SERIES_DONE},
        numeric=["due", "complete_text"],
    )


def theme_trajectory(data: ReportData) -> Table:
    """Per theme at the reporting period: its lead, items, due by now, done, gap, complete ahead
    of a due date, and items with no due date."""
    t = data.trajectory
    rows = t[(t["period"] == data.facts["period"]) & (t["theme_ref"] != trajectory.ALL)]
    leads = dict(zip(data.themes["theme_ref"], data.themes["lead"], strict=True))
    rows = rows.sort_values("theme_order").assign(
        lead=rows["theme_ref"].map(lambda r: lead_text(leads.get(r)))
    )
    return present.table(
        rows,
        f"Progress against the plan by theme at {data.facts['period_label']}",
        {
            "theme": "Theme",
            "lead": "Theme lead",
            "items": f"{data.noun.capitalize()}s",
            "due": "Due by now",
            "due_complete": "Done (of those due)",
            "gap": "Gap",
            "complete_early": "Complete ahead of a due date",
            "undated": "No due date",
        },
        numeric=["items", "due", "due_complete", "gap", "complete_early", "undated"],
        row_header="theme",
    )


def empty_themes(data: ReportData) -> list[str]:
    """The plan's themes with no items in the inputs (``5 Values, Behaviours and
    Relationships``)."""
    return [
        f"{r['theme_ref']} {r['theme']}" for r in data.themes.to_dict("records") if not r["items"]
    ]


def plan_progress(data: ReportData) -> Markup:
    """Progress against the plan's own trajectory: due by now, done and the gap, overall (a
    chart) and by theme (a table); themes with no items are named."""
    return render(
        "sections/progress.html.j2",
        sentences=trajectory_sentences(data),
        figures=key_figures(data),
        figure=trajectory_figure(data),
        themes=theme_trajectory(data),
        empty=empty_themes(data),
        noun=data.noun,
    )


# --- status by theme, accountability ---------------------------------------------------------------


def brag_words(data: ReportData) -> str:
    """The BRAG counts in words; "not rated" split into in progress without a RAG rating and
    no status reported (which is never counted as in progress)."""
    counts = data.facts["current"]["counts"]
    no_status = int((~data.items["reported"]).sum())
    parts = []
    for b in BRAG_ORDER:
        n = counts[b]
        if not n:
            continue
        if b == NOT_RATED:
            rated = n - no_status
            if rated:
                parts.append(f"{rated} in progress without a RAG rating")
            if no_status:
                parts.append(f"{no_status} {NO_STATUS.lower()}")
        else:
            parts.append(f"{n} {b.lower()}")
    return ", ".join(parts)


def status_by_theme(data: ReportData) -> Markup:
    """BRAG stacked bars per theme, with a text alternative and the data table (the themes'
    leads are in the table of progress by theme)."""
    sbt = data.status_by_theme
    alt_text = (
        f"{data.facts['current']['items']} {data.noun}s across {sbt['theme'].nunique()} themes: "
        + brag_words(data)
        + "."
    )
    wide = (
        sbt.pivot_table(
            index=["theme_order", "theme"],
            columns="brag",
            values="items",
            aggfunc="sum",
            fill_value=0,
        )
        .reset_index()
        .sort_values("theme_order")
    )
    shown = [b for b in BRAG_ORDER if b in wide.columns]
    figure = present.figure(
        charts.status_by_theme_chart(sbt),
        alt_text,
        wide,
        "Items by theme and status",
        columns={"theme": "Theme"} | {b: b for b in shown},
        numeric=shown,
    )
    return render("sections/figures.html.j2", figures=[figure], tables=[])


def accountability(data: ReportData) -> Markup:
    """Items owned by each lead, by status; the items with no lead named, counted and listed."""
    acc = data.accountability
    shown = [b for b in BRAG_ORDER if acc[b].sum() > 0]
    table = present.table(
        acc,
        f"{data.noun.capitalize()}s by lead and status",
        {"lead": "Lead"} | {b: b for b in shown} | {"Total": "Total", "Overdue": "Overdue"},
        numeric=[*shown, "Total", "Overdue"],
        row_header="lead",
    )
    gaps = data.accountability_gaps
    gap_table = None
    if not gaps.empty:
        gap_table = present.table(
            gaps,
            f"{data.noun.capitalize()}s with no lead named",
            {"action_ref": "Ref", "action": "Item", "theme": "Theme", "brag": "Status"},
            row_header="action_ref",
            brag_column="brag",
        )
    return render(
        "sections/accountability.html.j2",
        noun=data.noun,
        unled=len(gaps),
        items=len(data.items),
        table=table,
        gaps=gap_table,
    )
