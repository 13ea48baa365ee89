"""Sections on the plan's progress: the title block, progress against the plan's trajectory,
the measures table (Making Data Count), exceptions, changes, status by theme, accountability,
and in the appendices every item and the milestones timeline.

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
from itertools import groupby

import pandas as pd
from markupsafe import Markup

from odreport.metrics import papers, spc, trajectory
from odreport.metrics.derive import (
    BRAG_ORDER,
    NO_LEAD,
    NO_STATUS,
    NOT_RATED,
    fmt_date,
    period_label,
    period_short,
)
from odreport.report import charts, narrative, present
from odreport.report.data import ReportData
from odreport.report.present import Cell, Table, plural
from odreport.report.templating import render, text


def _date(iso: str) -> str:
    return fmt_date(pd.Timestamp(iso))


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
        notes.append(f"papers due {_date(meeting['papers_due'])}")
    out = f"{meeting['body']} meeting on {_date(meeting['date'])}"
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
        ("Plan", f"{org['plan_title']} ({_date(org['plan_start'])} to {_date(org['plan_end'])})"),
        ("Reporting period", facts["period_label"]),
        ("Data as at", _date(facts["reporting_date"])),
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
    as_at = _date(data.facts["reporting_date"])
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
            f"The plan period ended on {_date(plan['plan_end'])}: {h.complete} of its "
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
        f"{h.due} due by {_date(data.facts['reporting_date'])}, {h.complete} complete; "
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


# --- measures (Making Data Count) ----------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One row of the table of measures (as an integrated performance report shows them)."""

    name: str
    latest: str
    variation: spc.Icon | None
    variation_text: str  # the icon's label, or why the measure has none
    assurance: spc.Icon | None
    assurance_text: str
    target: str
    note: str


def xmr_note(result: spc.XmR, unit: str = "") -> str:
    """The limits of an XmR analysis in words, with what the reader must know: trial limits,
    screened moving ranges, zero-width limits, clipped limits."""

    def one(x: float) -> str:
        return f"{x:.1f}".replace("-0.0", "0.0")

    parts = [
        f"{len(result.points)} points; mean {one(result.mean)}{unit}, "
        f"{'trial limits' if result.trial else 'limits'} {one(result.lcl)}{unit} to "
        f"{one(result.ucl)}{unit}."
    ]
    if result.clipped:
        parts.append(
            " and ".join(f"the {c} limit" for c in result.clipped).capitalize()
            + " is clipped to the measure's natural range."
        )
    if result.screening:
        parts.append(result.screening)
    if result.no_flags_reason:
        parts.append(f"No special-cause flags: {result.no_flags_reason}.")
    return " ".join(parts)


NOT_SPC = {
    spc.CUMULATIVE: "a running total",
    spc.STOCK: "a stock that carries over",
}


def not_spc(kind: str, points: int) -> str:
    """Why a measure has no XmR chart, briefly (the reasons are in the section's text and
    :func:`odreport.metrics.spc.xmr_fitness`)."""
    fitness = spc.xmr_fitness(kind, points)
    if fitness.fit:
        return ""
    if kind in NOT_SPC:
        return f"Not charted as SPC: {NOT_SPC[kind]}."
    return f"Not charted as SPC: {fitness.reason}."


def _flow(data: ReportData) -> tuple[list[int], list[str]]:
    """Items completed in each reporting period after the first (values, period labels)."""
    flow = data.completions.dropna(subset=["completed_in_period"])
    return [int(v) for v in flow["completed_in_period"]], [period_short(p) for p in flow["period"]]


def completions_xmr(data: ReportData) -> spc.XmR | None:
    """The XmR analysis of items completed per period (a flow: higher is better, never below
    0), when :func:`odreport.metrics.spc.xmr_fitness` allows it."""
    values, labels = _flow(data)
    if not values or not spc.xmr_fitness(spc.FLOW, len(values)).fit:
        return None
    return spc.xmr(values, labels, improvement="up", lower_bound=0)


def completions_name(data: ReportData) -> str:
    """``Actions completed in the period``."""
    return f"{data.noun.capitalize()}s completed in the period"


def completions_measure(data: ReportData) -> Measure | None:
    """Items completed in each reporting period (a flow): an XmR analysis when there are
    enough periods, else its values."""
    values, labels = _flow(data)
    if not values:
        return None
    name = completions_name(data)
    latest = f"{values[-1]} in {labels[-1]}"
    result = completions_xmr(data)
    if result is None:
        listed = ", ".join(f"{v} in {lab}" for v, lab in zip(values, labels, strict=True))
        reason = not_spc(spc.FLOW, len(values))
        return Measure(name, latest, None, reason, None, "no target", "none", listed + ".")
    icon = spc.variation_icon(result)
    return Measure(name, latest, icon, icon.label, None, "no target", "none", xmr_note(result))


def completions_figure(data: ReportData) -> present.Figure | None:
    """The XmR chart of items completed per period (``None`` when it may not be drawn)."""
    result = completions_xmr(data)
    if result is None:
        return None
    name = completions_name(data)
    return present.figure(
        charts.xmr_chart(result, "Completed in the period"),
        spc.describe(result, name),
        result.points.assign(value=result.points["value"].map(lambda v: f"{v:g}")),
        f"{name} by reporting period",
        {
            "label": "Period",
            "value": "Completed",
            "variation": "Variation",
            "rules": "Special-cause rule",
        },
        numeric=["value"],
    )


def stock_measures(data: ReportData) -> list[Measure]:
    """Share complete (a running total) and items overdue (a stock): listed with their latest
    value and why they are not read as XmR charts."""
    cur = data.facts["current"]
    n = len(data.facts.get("periods") or [data.facts["period"]])
    return [
        Measure(
            f"Share of {data.noun}s complete",
            f"{cur['share_complete']}% ({cur['complete']} of {cur['items']})",
            None,
            not_spc(spc.CUMULATIVE, n),
            None,
            "no target",
            "none",
            "Read against the plan's trajectory.",
        ),
        Measure(
            f"{data.noun.capitalize()}s overdue",
            str(cur["overdue"]),
            None,
            not_spc(spc.STOCK, n),
            None,
            "no target",
            "none",
            "Overdue items stay overdue until done; see Exceptions.",
        ),
    ]


def measure_rows(data: ReportData) -> list[Measure]:
    """Every measure of the report: the plan's flow and stocks, then each pulse-survey measure
    (:func:`odreport.report.surveys.pulse_measures`)."""
    from odreport.report.surveys import pulse_measures

    rows = []
    flow = completions_measure(data)
    if flow is not None:
        rows.append(flow)
    return rows + stock_measures(data) + pulse_measures(data)


def measures_table(rows: list[Measure]) -> Table:
    """The measures as a table: each icon as inline SVG with its label beside it."""

    def icon_cell(icon: spc.Icon | None, label: str) -> Cell:
        return Cell(label, icon=present.icon_svg(icon.key) if icon else None)

    return Table(
        "Measures: latest value, variation and assurance (Making Data Count)",
        ("Measure", "Latest", "Variation", "Assurance", "Target", "Limits and notes"),
        tuple(
            (
                Cell(m.name, header=True),
                Cell(m.latest),
                icon_cell(m.variation, m.variation_text),
                icon_cell(m.assurance, m.assurance_text),
                Cell(m.target),
                Cell(m.note),
            )
            for m in rows
        ),
    )


def measures(data: ReportData) -> Markup:
    """A summary table of measures, as an integrated performance report shows them: latest
    value, variation icon and assurance icon (with their words), target, limits. The charts
    are in an appendix (:func:`measure_charts`)."""
    return render(
        "sections/measures.html.j2",
        summary=measures_table(measure_rows(data)),
        charts=has_measure_charts(data),
        min_points=spc.MIN_POINTS,
        baseline=spc.BASELINE,
    )


def has_measure_charts(data: ReportData) -> bool:
    """Whether any measure has a chart: completions per period with enough points, or a pulse
    survey series."""
    return completions_xmr(data) is not None or not data.survey_trends.empty


def measure_charts(data: ReportData) -> Markup:
    """The appendix of the measures: the XmR chart of items completed per period, and each
    pulse series' measures across waves (an XmR chart, or the values listed under
    :data:`odreport.metrics.spc.MIN_POINTS` waves)."""
    from odreport.report.surveys import pulse_series

    flow = completions_figure(data)
    return render(
        "sections/measure_charts.html.j2",
        figures=[flow] if flow is not None else [],
        series=pulse_series(data),
        baseline=spc.BASELINE,
        min_points=spc.MIN_POINTS,
    )


# --- exceptions and changes --------------------------------------------------------------------


EXCEPTION_COLUMNS = {
    "action_ref": "Ref",
    "action": "Item",
    "lead": "Lead",
    "exception_reasons": "Why listed",
    "due": "Due",
    "days_overdue": "Days overdue",
    "brag": "Status",
    "commentary": "Latest commentary",
}


def due_text(original: object, current: object) -> str:
    """The current due date, with the plan's when it moved: ``31 July 2016 (plan: 30 June
    2016)``; blank without a due date."""
    now, plan = fmt_date(current), fmt_date(original)
    if now and plan and now != plan:
        return f"{now} (plan: {plan})"
    return now or plan


REASONS = ("overdue", "off track", "at risk", "due date moved")


def exception_items(data: ReportData) -> pd.DataFrame:
    """The exceptions (column ``exception`` of the items: not complete and overdue, off track,
    at risk or with a due date moved later), oldest current due date first."""
    rows = data.items[data.items["exception"]]
    return rows.sort_values(["current_due", "action_ref"], na_position="last")


def reason_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many exceptions have each reason (an item may have several)."""
    reasons = rows["exception_reasons"].str.split("; ")
    return {r: int(reasons.map(lambda rs, r=r: r in rs).sum()) for r in REASONS}


def lead_text(lead: object) -> str:
    """A lead as a table shows it: ``No lead named`` when the source names none."""
    return text(lead) or NO_LEAD


def exceptions(data: ReportData) -> Markup:
    """Every exception with its reasons, lead and dates: the count in the text is the number
    of rows."""
    rows = exception_items(data)
    table = None
    counts = reason_counts(rows) if not rows.empty else {}
    if not rows.empty:
        rows = rows.assign(
            due=[
                due_text(o, c)
                for o, c in zip(rows["original_due"], rows["current_due"], strict=True)
            ],
            lead=rows["lead"].map(lead_text),
        )
        table = present.table(
            rows,
            f"Exceptions at {data.facts['period_label']}",
            EXCEPTION_COLUMNS,
            numeric=["days_overdue"],
            row_header="action_ref",
            brag_column="brag",
        )
    return render(
        "sections/exceptions.html.j2",
        noun=data.noun,
        count=len(rows),
        reasons=", ".join(f"{n} {r}" for r, n in counts.items() if n),
        table=table,
    )


CHANGES = ("Newly complete", "Newly off track", "New slippage")


def baseline_text(data: ReportData) -> str:
    """What "changes since" compares with, in words: the previous paper to the same body (with
    its date and the date of its data), else the previous reporting period."""
    comparison = data.facts.get("comparison") or {}
    if comparison.get("basis") == "previous paper" and comparison.get("description"):
        return f"Compared with {comparison['description']}."
    period = comparison.get("period") or data.facts["previous"]["period"]
    return (
        f"Compared with the previous reporting period, {period_label(period)}: the meeting "
        "calendar has no earlier paper to the same body."
    )


def change_sentence(data: ReportData) -> str:
    """More (or fewer) complete and the number overdue, since the baseline: never "from X
    to X"."""
    cur, prev, noun = data.facts["current"], data.facts["previous"], data.noun
    done = cur["complete"] - prev["complete"]
    if done > 0:
        completed = f"{done} more {plural(done, noun)} {'is' if done == 1 else 'are'} complete"
    elif done == 0:
        completed = f"no more {noun}s are complete"
    else:
        completed = f"{-done} fewer {plural(-done, noun)} {'is' if done == -1 else 'are'} complete"
    if cur["overdue"] == prev["overdue"]:
        overdue = f"the number overdue is unchanged at {cur['overdue']}"
    else:
        way = "rose" if cur["overdue"] > prev["overdue"] else "fell"
        overdue = f"the number overdue {way} from {prev['overdue']} to {cur['overdue']}"
    return f"Since then, {completed} and {overdue}."


def changes(data: ReportData) -> Markup:
    """Newly complete, newly off track and new slippage since the baseline, which is named:
    each listed by reference (the items themselves are in Exceptions and the appendix)."""
    prev = period_label(data.facts["previous"]["period"])
    lists = []
    for kind in CHANGES:
        rows = data.changes[data.changes["change"] == kind]
        if rows.empty:
            continue
        if kind == "New slippage":
            refs = [
                f"{r['action_ref']} (due {r['before']}, now {r['now']})"
                for r in rows.to_dict("records")
            ]
        else:
            refs = rows["action_ref"].tolist()
        lists.append(f"{kind} ({len(rows)}): " + ", ".join(refs))
    return render(
        "sections/changes.html.j2",
        noun=data.noun,
        baseline=baseline_text(data),
        sentence=change_sentence(data),
        previous=prev,
        lists=lists,
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


# --- appendices: every item, the timeline ------------------------------------------------------


ITEM_COLUMNS = {  # under a heading row for each theme
    "action_ref": "Ref",
    "action": "Item",
    "lead": "Lead",
    "timescale": "Timescale (plan)",
    "current": "Current due",
    "status": "Status reported",
    "brag": "BRAG",
    "commentary": "Latest commentary",
}


NO_THEME = "No theme named"


def all_items(data: ReportData) -> Markup:
    """Every item with its lead, timescale, current due date and status as reported ("No
    status reported" where the period has no progress row), under a heading row for each
    theme, in the plan's order (an item's theme is not repeated on every row)."""
    items = data.items.assign(
        current=data.items["current_due"].map(fmt_date),
        lead=data.items["lead"].map(lead_text),
    )
    table = present.table(
        items,
        f"Every {data.noun} at {data.facts['period_label']}, by theme",
        ITEM_COLUMNS,
        row_header="action_ref",
        brag_column="brag",
    )
    themes = [text(t) or NO_THEME for t in items["theme"]]
    groups = [
        (theme, [row for _, row in rows])
        for theme, rows in groupby(zip(themes, table.rows, strict=True), key=lambda p: p[0])
    ]
    return render("sections/items.html.j2", table=table, groups=groups)


ITEMS_APPENDIX = "the appendix Every item and its status"  # where each item's title is


def timeline(data: ReportData) -> Markup:
    """Dated items on a time axis with the reporting date marked. The chart's data table gives
    what the chart draws (reference, start, due date, status); each item's title is not
    repeated there: it is in the appendix of every item, as the table's caption says."""
    items = data.items[data.items["current_due"].notna()].copy()
    plan_start = pd.Timestamp(data.org["plan_start"])
    start = items["start"].fillna(plan_start)
    items["start"] = start.where(start <= items["current_due"], items["current_due"])
    undated = len(data.items) - len(items)
    alt_text = (
        f"{len(items)} dated {data.noun}s from {fmt_date(items['start'].min())} to "
        f"{fmt_date(items['current_due'].max())}; the dashed line marks the reporting date, "
        f"{_date(data.facts['reporting_date'])}."
        + (f" {undated} ongoing or undated {data.noun}s are not shown." if undated else "")
    )
    chart = charts.timeline_chart(
        items[["action_ref", "start", "current_due", "brag"]].assign(
            start=items["start"].dt.strftime("%Y-%m-%d"),
            current_due=items["current_due"].dt.strftime("%Y-%m-%d"),
        ),
        data.facts["reporting_date"],
    )
    figure = present.figure(
        chart,
        alt_text,
        items.assign(
            start_text=items["start"].map(fmt_date), due_text=items["current_due"].map(fmt_date)
        ),
        f"Dated {data.noun}s: reference, start, due date and status (what each {data.noun} is: "
        f"{ITEMS_APPENDIX})",
        {
            "action_ref": "Ref",
            "start_text": "Start",
            "due_text": "Due",
            "brag": "Status",
        },
    )
    return render("sections/figures.html.j2", figures=[figure], tables=[])
