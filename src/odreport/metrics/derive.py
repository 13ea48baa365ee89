"""Derived tables and metrics for one organisation and reporting period.

Everything the report shows is computed here from the validated inputs, so the numbers in
the text, the charts and the tables come from one place. Definitions:

- reporting date: the last day of the reporting period (a month, ``YYYY-MM``);
- BRAG: Complete (blue), On track (green), At risk (amber), Off track (red),
  Not started (grey), and Not rated where a status has no RAG rating;
- overdue: not complete and the current due date is before the reporting date;
- slipped: the current due date is later than the due date the plan's timescale gives.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import pandas as pd

from odreport.inputs.tables import ROW, Inputs
from odreport.inputs.timescale import MONTH_ABBRS, MONTH_NAMES, parse_timescale
from odreport.metrics import meetings

COMPLETE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, NOT_RATED = (
    "Complete",
    "On track",
    "At risk",
    "Off track",
    "Not started",
    "Not rated",
)
BRAG_ORDER = [COMPLETE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, NOT_RATED]
_RAG_TO_BRAG = {
    "Blue": COMPLETE,
    "Green": ON_TRACK,
    "Amber": AT_RISK,
    "Red": OFF_TRACK,
    "Grey": NOT_STARTED,
}


def period_end(period: str) -> date:
    """Last day of a ``YYYY-MM`` period."""
    year, month = (int(p) for p in period.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def period_label(period: str) -> str:
    """``2016-03`` → ``March 2016``."""
    year, month = (int(p) for p in period.split("-"))
    return f"{MONTH_NAMES[month - 1]} {year}"


def period_short(period: str) -> str:
    """``2016-03`` → ``Mar 2016`` (chart axes)."""
    year, month = (int(p) for p in period.split("-"))
    return f"{MONTH_ABBRS[month - 1]} {year}"


def fmt_date(value: date | pd.Timestamp | None) -> str:
    """A date as people write it in a board paper: ``31 March 2016``; blank when missing."""
    if value is None or pd.isna(value):
        return ""
    value = pd.Timestamp(value)
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def pct(numerator: float, denominator: float) -> int | None:
    """A whole-number percentage, rounded half up (the report's one rounding rule)."""
    if not denominator:
        return None
    return int(numerator * 100 / denominator + 0.5)


def brag(status: str | None, rag: str | None) -> str:
    """The BRAG category of an item from its status and RAG rating."""
    if status == "Complete" or rag == "Blue":
        return COMPLETE
    if status in ("Not started", "Proposed"):
        return NOT_STARTED
    return _RAG_TO_BRAG.get(rag or "", NOT_RATED)


def periods(inputs: Inputs) -> list[str]:
    """Reporting periods with progress data, oldest first."""
    progress = inputs.get("progress")
    if progress is None or progress.empty:
        return []
    return sorted(progress["period"].dropna().unique().tolist())


def organisation(inputs: Inputs) -> dict:
    """The organisation profile as a plain dict (dates as ISO strings)."""
    row = inputs.tables["organisation"].iloc[0]
    out = {}
    for key, value in row.items():
        if key == ROW:
            continue
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
        elif pd.isna(value):
            out[key] = None
        else:
            out[key] = value.item() if hasattr(value, "item") else value
    out["item_name"] = out.get("item_name") or "action"
    return out


def plan_items(inputs: Inputs) -> tuple[pd.DataFrame, list[str]]:
    """Actions with their theme, lead and parsed timescale; and the timescales not understood."""
    org = organisation(inputs)
    plan_start = date.fromisoformat(org["plan_start"])
    actions = inputs.tables["actions"].copy()
    themes = inputs.tables["themes"].set_index("theme_ref")
    actions["theme"] = actions["theme_ref"].map(themes["theme"])
    actions["theme_order"] = actions["theme_ref"].map(
        {ref: i for i, ref in enumerate(themes.index)}
    )
    theme_lead = themes["lead"].map(_lead_name) if "lead" in themes else None
    lead = actions["lead"] if "lead" in actions else pd.Series(None, index=actions.index)
    if theme_lead is not None:
        lead = lead.fillna(actions["theme_ref"].map(theme_lead))
    actions["lead"] = lead
    parsed = [
        parse_timescale(t, plan_start) for t in actions.get("timescale", [None] * len(actions))
    ]
    actions["timescale_kind"] = [p.kind for p in parsed]
    actions["start"] = pd.to_datetime(pd.Series([p.start for p in parsed], index=actions.index))
    actions["original_due"] = pd.to_datetime(
        pd.Series([p.due for p in parsed], index=actions.index)
    )
    unparsed = [
        f"{inputs.display_name('actions')}:{rn}:timescale: {p.error}"
        for p, rn in zip(parsed, actions[ROW], strict=True)
        if not p.parsed
    ]
    return actions, unparsed


def _lead_name(lead: object) -> object:
    """``Chris Edwards – Chief Officer`` → ``Chris Edwards``."""
    if lead is None or pd.isna(lead):
        return None
    text = str(lead)
    for sep in (" – ", " - ", " —"):
        if sep in text:
            return text.split(sep)[0].strip()
    return text


def snapshot(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    """Each item's status at ``period``: BRAG, current due date, overdue and slippage."""
    progress = inputs.tables["progress"]
    cols = [
        "action_ref",
        "status",
        "rag",
        "percent_complete",
        "commentary",
        "illustrative",
        "due_date",
    ]
    at = progress.loc[progress["period"] == period, [c for c in cols if c in progress]]
    snap = items.merge(
        at.rename(columns={"due_date": "moved_due"}),
        on="action_ref",
        how="left",
        validate="one_to_one",
    )
    for col in cols[1:-1]:
        if col not in snap:
            snap[col] = None
    moved = snap["moved_due"] if "moved_due" in snap else pd.Series(pd.NaT, index=snap.index)
    snap["current_due"] = moved.where(moved.notna(), snap["original_due"])
    snap = snap.drop(columns=["moved_due"], errors="ignore")
    snap["status"] = snap["status"].fillna("Not reported")
    snap["brag"] = [
        brag(s, r if isinstance(r, str) else None)
        for s, r in zip(snap["status"], snap["rag"], strict=True)
    ]
    end = pd.Timestamp(period_end(period))
    snap["overdue"] = (
        (snap["brag"] != COMPLETE) & snap["current_due"].notna() & (snap["current_due"] < end)
    )
    snap["days_overdue"] = [
        (end - due).days if od else None
        for od, due in zip(snap["overdue"], snap["current_due"], strict=True)
    ]
    snap["slipped"] = (
        snap["original_due"].notna()
        & snap["current_due"].notna()
        & (snap["current_due"] > snap["original_due"])
    )
    snap["period"] = period
    return snap.sort_values(["theme_order", ROW]).reset_index(drop=True)


def counts_by_brag(snap: pd.DataFrame) -> dict[str, int]:
    """Number of items per BRAG category, in BRAG order, zeros included."""
    counts = snap["brag"].value_counts()
    return {b: int(counts.get(b, 0)) for b in BRAG_ORDER}


def status_by_theme(snap: pd.DataFrame) -> pd.DataFrame:
    """Items per theme and BRAG category (long form, zero rows dropped)."""
    grouped = (
        snap.groupby(["theme_order", "theme_ref", "theme", "brag"], observed=True)
        .size()
        .rename("items")
        .reset_index()
    )
    grouped["brag_order"] = grouped["brag"].map({b: i for i, b in enumerate(BRAG_ORDER)})
    return grouped.sort_values(["theme_order", "brag_order"]).reset_index(drop=True)


@dataclass(frozen=True)
class PeriodMetrics:
    """Headline figures of one period."""

    period: str
    items: int
    counts: dict[str, int]
    complete: int
    share_complete: int | None
    overdue: int
    slipped: int

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "items": self.items,
            "counts": self.counts,
            "complete": self.complete,
            "share_complete": self.share_complete,
            "overdue": self.overdue,
            "slipped": self.slipped,
        }


def metrics(snap: pd.DataFrame, period: str) -> PeriodMetrics:
    """Headline figures for a snapshot."""
    counts = counts_by_brag(snap)
    n = len(snap)
    return PeriodMetrics(
        period=period,
        items=n,
        counts=counts,
        complete=counts[COMPLETE],
        share_complete=pct(counts[COMPLETE], n),
        overdue=int(snap["overdue"].sum()),
        slipped=int(snap["slipped"].sum()),
    )


def trend(items: pd.DataFrame, inputs: Inputs, period: str) -> pd.DataFrame:
    """Share complete and number overdue at every period up to ``period``."""
    rows = []
    for p in periods(inputs):
        if p > period:
            break
        m = metrics(snapshot(items, inputs, p), p)
        rows.append(
            {
                "period": p,
                "share_complete": m.share_complete,
                "overdue": m.overdue,
                "complete": m.complete,
                "items": m.items,
            }
        )
    return pd.DataFrame(rows, columns=["period", "share_complete", "overdue", "complete", "items"])


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def headline(org: dict, current: PeriodMetrics, previous: PeriodMetrics | None) -> list[str]:
    """Three to five sentences for the headline, generated from the numbers."""
    noun = org["item_name"]
    c = current.counts
    parts = [
        f"{c[ON_TRACK]} on track",
        f"{c[AT_RISK]} at risk",
        f"{c[OFF_TRACK]} off track",
        f"{c[NOT_STARTED]} not started",
    ]
    if c[NOT_RATED]:
        parts.append(f"{c[NOT_RATED]} in progress without a RAG rating")
    sentences = [
        f"At the end of {period_label(current.period)}, {c[COMPLETE]} of "
        f"{_plural(current.items, noun)} ({current.share_complete}%) "
        f"{'is' if c[COMPLETE] == 1 else 'are'} complete; "
        + ", ".join(parts[:-1])
        + f" and {parts[-1]}.",
    ]
    if current.overdue:
        sentences.append(
            f"{_plural(current.overdue, noun).capitalize()} "
            f"{'is' if current.overdue == 1 else 'are'} overdue: past the due date and not complete."
        )
    else:
        sentences.append(f"No {noun} is overdue.")
    if current.slipped:
        sentences.append(
            f"{_plural(current.slipped, noun).capitalize()} "
            f"{'has' if current.slipped == 1 else 'have'} a due date later than the plan's timescale."
        )
    else:
        sentences.append(f"No {noun} has moved its due date beyond the plan's timescale.")
    if previous is None:
        sentences.append(
            "This is the first progress report, so there is no earlier one to compare."
        )
    else:
        done = current.complete - previous.complete
        change = (
            f"{done} more {'was' if done == 1 else 'were'} completed"
            if done > 0
            else ("none more were completed" if done == 0 else f"{-done} fewer are complete")
        )
        sentences.append(
            f"Since the previous report ({period_label(previous.period)}), {change}, and the number "
            f"overdue went from {previous.overdue} to {current.overdue}."
        )
    return sentences


def changes(previous: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous report: newly complete, newly off track, new slippage.

    An item counts as new slippage when its current due date is later than at the previous
    report (or it slipped for the first time). Empty when there is no previous report.
    """
    columns = ["change", "action_ref", "action", "lead", "before", "now"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    before = previous.set_index("action_ref")
    rows = []
    for _, item in current.iterrows():
        ref = item["action_ref"]
        if ref not in before.index:
            continue
        was = before.loc[ref]
        if item["brag"] == COMPLETE and was["brag"] != COMPLETE:
            rows.append(("Newly complete", item, was["brag"], item["brag"]))
        if item["brag"] == OFF_TRACK and was["brag"] != OFF_TRACK:
            rows.append(("Newly off track", item, was["brag"], item["brag"]))
        now_due, was_due = item["current_due"], was["current_due"]
        if pd.notna(now_due) and pd.notna(was_due) and now_due > was_due:
            rows.append(("New slippage", item, fmt_date(was_due), fmt_date(now_due)))
    order = {"Newly complete": 0, "Newly off track": 1, "New slippage": 2}
    out = pd.DataFrame(
        [(c, i["action_ref"], i["action"], i["lead"], b, n) for c, i, b, n in rows],
        columns=columns,
    )
    return out.sort_values("change", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def accountability(snap: pd.DataFrame) -> pd.DataFrame:
    """Items owned by each lead, by BRAG category, with totals and overdue counts."""
    snap = snap.assign(lead=snap["lead"].fillna("No lead named"))
    table = snap.pivot_table(
        index="lead", columns="brag", values="action_ref", aggfunc="count", fill_value=0
    )
    for b in BRAG_ORDER:
        if b not in table:
            table[b] = 0
    table = table[BRAG_ORDER]
    table["Total"] = table.sum(axis=1)
    table["Overdue"] = snap.groupby("lead")["overdue"].sum().reindex(table.index).astype(int)
    return (
        table.reset_index()
        .sort_values(["Total", "lead"], ascending=[False, True])
        .reset_index(drop=True)
    )


def framework_coverage(inputs: Inputs, snap: pd.DataFrame) -> pd.DataFrame:
    """Per framework domain: actions that support it (directly or through their theme or
    objective), how many are off track, and whether it is a gap."""
    frameworks, mappings = inputs.get("frameworks"), inputs.get("mappings")
    columns = ["framework", "code", "name", "actions", "off_track", "gap"]
    if frameworks is None or mappings is None or mappings.empty:
        return pd.DataFrame(columns=columns)
    links = []
    by_theme = snap.groupby("theme_ref")["action_ref"].apply(list).to_dict()
    by_objective = (
        snap.dropna(subset=["objective_ref"])
        .groupby("objective_ref")["action_ref"]
        .apply(list)
        .to_dict()
        if "objective_ref" in snap
        else {}
    )
    for _, m in mappings.iterrows():
        refs = by_theme.get(m["ref"]) or by_objective.get(m["ref"]) or [m["ref"]]
        links += [(m["framework"], m["code"], r) for r in refs if r in set(snap["action_ref"])]
    link = pd.DataFrame(links, columns=["framework", "code", "action_ref"]).drop_duplicates()
    link = link.merge(snap[["action_ref", "brag"]], on="action_ref")
    rows = []
    used = set(mappings["framework"])
    for _, f in frameworks[frameworks["framework"].isin(used)].iterrows():
        mine = link[(link["framework"] == f["framework"]) & (link["code"] == f["code"])]
        n, red = len(mine), int((mine["brag"] == OFF_TRACK).sum())
        gap = "No action" if n == 0 else ("All off track" if red == n else "")
        rows.append((f["framework"], f["code"], f["name"], n, red, gap))
    return pd.DataFrame(rows, columns=columns)


def themes_overview(inputs: Inputs, snap: pd.DataFrame) -> pd.DataFrame:
    """Every theme of the plan with its lead and number of tracked items (zero included)."""
    themes = inputs.tables["themes"]
    counts = snap.groupby("theme_ref").size()
    complete = snap[snap["brag"] == COMPLETE].groupby("theme_ref").size()
    out = pd.DataFrame(
        {
            "theme_ref": themes["theme_ref"],
            "theme": themes["theme"],
            "lead": themes.get("lead"),
        }
    )
    out["items"] = out["theme_ref"].map(counts).fillna(0).astype(int)
    out["complete"] = out["theme_ref"].map(complete).fillna(0).astype(int)
    return out.reset_index(drop=True)


def next_meeting(inputs: Inputs, period: str, on: str | None = None) -> dict | None:
    """The meeting the report is for: the one on ``on`` (YYYY-MM-DD) when given, else the
    first in the calendar after the reporting date."""
    calendar = meetings.meetings(inputs)
    found = meetings.find(calendar, on) if on else meetings.next_after(calendar, period_end(period))
    return found.as_dict() if found else None
