"""Sections: exceptions (items not complete and overdue, off track, at risk or with a due date
moved later) and the changes since the previous paper.

Each function prepares what its section shows and renders ``templates/sections/<id>.html.j2``;
the section's heading comes from :mod:`odreport.report.registry`; the counting rules are
stated once in :mod:`odreport.report.progress`.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from odreport.metrics.derive import (
    fmt_date,
    period_label,
)
from odreport.report import present
from odreport.report.data import ReportData
from odreport.report.present import lead_text, plural
from odreport.report.templating import render

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
