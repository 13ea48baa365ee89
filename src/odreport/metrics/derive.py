"""Derived tables and metrics for one organisation and reporting period.

Everything the report shows is computed here from the validated inputs, so the numbers in
the text, the charts and the tables come from one place. Definitions:

- reporting date: the last day of the reporting period (a month, ``YYYY-MM``);
- BRAG: Complete (blue), On track (green), At risk (amber), Off track (red),
  Not started (grey), and Not rated where a status has no RAG rating;
- overdue: not complete and the current due date is before the reporting date;
- slipped: the current due date is later than the due date the plan's timescale gives;
- no status reported: no progress row for the item in the period (BRAG "Not rated", column
  ``reported`` false); never counted as in progress;
- exception: not complete and overdue, off track, at risk or with its due date moved later
  (column ``exception``, reasons in ``exception_reasons``);
- timescales are read with :mod:`odreport.inputs.timescale`, relative ones counted from the
  plan's date (``plan_date``, the approval or refresh date, else ``plan_start``);
- the baseline of "changes since": the data of the previous paper to the same body (from the
  meeting calendar), else the previous period with data (:func:`comparison`);
- a target is met (score at or above it), missed (below it and its date has passed by the
  reporting date) or not yet due (:func:`target_status`); a plan has ended when the reporting
  date is on or after its last day (:func:`plan_status`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from odreport.errors import UsageError
from odreport.inputs.problems import WARNING, Problem
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
NO_STATUS = "No status reported"  # the status of an item with no progress row in the period
NO_LEAD = "No lead named"  # the lead of an item whose source names none
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


def pct_round(percent: float) -> int:
    """A percentage as a whole number, halves rounded up: the report's one rounding rule."""
    return math.floor(percent + 0.5)


def pct(numerator: float, denominator: float) -> int | None:
    """``numerator`` as a whole-number percentage of ``denominator`` (:func:`pct_round`)."""
    if not denominator:
        return None
    return pct_round(numerator * 100 / denominator)


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
    out["timescale_anchor"] = out.get("plan_date") or out["plan_start"]
    return out


def plan_anchor(org: dict) -> date:
    """The date relative timescales count from: the plan's approval or refresh date
    (``plan_date``) when it gives one, else the first day of the plan period."""
    return date.fromisoformat(org.get("plan_date") or org["plan_start"])


def plan_items(inputs: Inputs) -> tuple[pd.DataFrame, list[Problem]]:
    """Actions with their theme, lead and parsed timescale; and the timescales not understood
    (warnings)."""
    org = organisation(inputs)
    anchor = plan_anchor(org)
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
    parsed = [parse_timescale(t, anchor) for t in actions.get("timescale", [None] * len(actions))]
    actions["timescale_kind"] = [p.kind for p in parsed]
    actions["start"] = pd.to_datetime(pd.Series([p.start for p in parsed], index=actions.index))
    actions["original_due"] = pd.to_datetime(
        pd.Series([p.due for p in parsed], index=actions.index)
    )
    unparsed = [
        Problem(inputs.display_name("actions"), int(rn), "timescale", p.error, WARNING)
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
    snap["reported"] = snap["status"].notna()
    snap["status"] = snap["status"].fillna(NO_STATUS)
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
    reasons = [
        "; ".join(
            r
            for r, hit in (
                ("overdue", od),
                ("off track", b == OFF_TRACK),
                ("at risk", b == AT_RISK),
                ("due date moved", sl),
            )
            if hit
        )
        if b != COMPLETE
        else ""
        for b, od, sl in zip(snap["brag"], snap["overdue"], snap["slipped"], strict=True)
    ]
    snap["exception_reasons"] = reasons
    snap["exception"] = [bool(r) for r in reasons]
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
    no_status: int = 0  # items with no status reported (counted in "Not rated")
    exceptions: int = 0
    no_lead: int = 0

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "items": self.items,
            "counts": self.counts,
            "complete": self.complete,
            "share_complete": self.share_complete,
            "overdue": self.overdue,
            "slipped": self.slipped,
            "no_status": self.no_status,
            "exceptions": self.exceptions,
            "no_lead": self.no_lead,
        }


def metrics(snap: pd.DataFrame, period: str) -> PeriodMetrics:
    """Headline figures for a snapshot."""
    counts = counts_by_brag(snap)
    n = len(snap)
    reported = snap["reported"] if "reported" in snap else pd.Series(True, index=snap.index)
    exceptions = snap["exception"] if "exception" in snap else pd.Series(False, index=snap.index)
    return PeriodMetrics(
        period=period,
        items=n,
        counts=counts,
        complete=counts[COMPLETE],
        share_complete=pct(counts[COMPLETE], n),
        overdue=int(snap["overdue"].sum()),
        slipped=int(snap["slipped"].sum()),
        no_status=int((~reported.astype(bool)).sum()),
        exceptions=int(exceptions.astype(bool).sum()),
        no_lead=int(snap["lead"].isna().sum()),
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


def headline(
    org: dict,
    current: PeriodMetrics,
    previous: PeriodMetrics | None,
    basis: str | None = None,
) -> list[str]:
    """Three to five sentences for the headline, generated from the numbers. ``basis`` names
    what ``previous`` is (see :class:`Comparison`); by default "the previous report"."""
    noun = org["item_name"]
    c = current.counts
    in_progress = c[NOT_RATED] - current.no_status
    parts = [
        f"{c[ON_TRACK]} on track",
        f"{c[AT_RISK]} at risk",
        f"{c[OFF_TRACK]} off track",
        f"{c[NOT_STARTED]} not started",
    ]
    if in_progress:
        parts.append(f"{in_progress} in progress without a RAG rating")
    if current.no_status:
        parts.append(f"{current.no_status} with no status reported")
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
            else (f"no more {noun}s were completed" if done == 0 else f"{-done} fewer are complete")
        )
        overdue = (
            f"the number overdue stayed at {current.overdue}"
            if previous.overdue == current.overdue
            else f"the number overdue went from {previous.overdue} to {current.overdue}"
        )
        since = basis or f"the previous report ({period_label(previous.period)})"
        sentences.append(f"Since {since}, {change}, and {overdue}.")
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
    snap = snap.assign(lead=snap["lead"].fillna(NO_LEAD))
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


def meeting_for(inputs: Inputs, period: str, on: str | None = None) -> meetings.Meeting | None:
    """The meeting a period's report is for: the one on ``on`` (YYYY-MM-DD) when given,
    else :func:`odreport.metrics.meetings.for_period` (deterministic: the first meeting whose
    papers deadline is on or after the reporting date, if no newer data are due for it).

    Raises :class:`~odreport.errors.UsageError` when ``on`` names no meeting in the calendar
    or a meeting whose papers deadline is before the reporting date: a report never claims
    data after its deadline."""
    calendar = meetings.meetings(inputs)
    if not on:
        return meetings.for_period(calendar, period, periods(inputs))
    found = meetings.find(calendar, on)
    if found is None:
        raise UsageError(f"no meeting on {on} in {inputs.org}'s meeting calendar")
    if found.deadline < period_end(period):
        raise UsageError(
            f"the {period} data are as at {period_end(period).isoformat()}, after the papers "
            f"deadline of {found.describe()}: a report cannot claim data after its deadline"
        )
    return found


def next_meeting(inputs: Inputs, period: str, on: str | None = None) -> dict | None:
    """The meeting the report is for (see :func:`meeting_for`) as the summary records it,
    with ``staleness`` (data more than two reporting cycles older than the meeting)."""
    found = meeting_for(inputs, period, on)
    if found is None:
        return None
    org = organisation(inputs)
    stale = meetings.staleness(found, period_end(period), org.get("reporting_cadence"))
    return found.as_dict() | {"staleness": stale.as_dict()}


PREVIOUS_PAPER, PREVIOUS_PERIOD, NO_BASELINE = "previous paper", "previous period", "none"


@dataclass(frozen=True)
class Comparison:
    """What "changes since" compares with: the data of the previous paper to the same body
    (``basis`` "previous paper", with that meeting), else the previous period with data
    ("previous period"), else nothing ("none")."""

    period: str | None
    basis: str
    meeting: meetings.Meeting | None = None

    def describe(self) -> str:
        """The phrase after "Since": ``the previous paper to the Governing Body on 13 January
        2016 (data as at 31 December 2015)`` or ``the previous report (May 2016)``."""
        if self.period is None:
            return ""
        if self.basis == PREVIOUS_PAPER and self.meeting is not None:
            return (
                f"the previous paper to the {self.meeting.body} on {fmt_date(self.meeting.date)} "
                f"(data as at {fmt_date(period_end(self.period))})"
            )
        return f"the previous report ({period_label(self.period)})"

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "basis": self.basis,
            "meeting": self.meeting.as_dict() if self.meeting else None,
            "description": self.describe(),
        }


def comparison(inputs: Inputs, period: str, on: str | None = None) -> Comparison:
    """The baseline of "changes since" for the report of ``period`` (for the meeting on
    ``on``, else the meeting :func:`meeting_for` finds): the period the previous paper to
    the same body reported (the latest with data by that meeting's papers deadline), when
    there is one and it is earlier than ``period``; else the previous period with data."""
    available = periods(inputs)
    earlier = [p for p in available if p < period]
    meeting = meeting_for(inputs, period, on)
    if meeting is not None:
        before = meetings.previous_paper(meetings.meetings(inputs), meeting)
        if before is not None:
            reported = meetings.latest_period_for(before, available)
            if reported is not None and reported < period:
                return Comparison(reported, PREVIOUS_PAPER, before)
    if earlier:
        return Comparison(earlier[-1], PREVIOUS_PERIOD)
    return Comparison(None, NO_BASELINE)


def plan_status(org: dict, period: str) -> dict:
    """Whether the plan has ended at the reporting date (the date is on or after its last
    day), with a sentence saying so."""
    end = date.fromisoformat(org["plan_end"])
    as_at = period_end(period)
    ended = as_at >= end
    return {
        "ended": ended,
        "plan_end": end.isoformat(),
        "message": f"The plan period ended on {fmt_date(end)}." if ended else "",
    }


MET, MISSED, NOT_YET_DUE = "met", "missed", "not yet due"


def year_or_month_end(text: object) -> date | None:
    """``2010`` → 31 December 2010; ``2010-06`` → 30 June 2010; anything else → ``None``."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    value = str(text).strip()
    if len(value) == 4 and value.isdigit():
        return date(int(value), 12, 31)
    month = value[5:]
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and month.isdigit():
        return period_end(value) if 1 <= int(month) <= 12 else None
    return None


def target_status(assessments: pd.DataFrame | None, period: str) -> pd.DataFrame:
    """Assessments with a target, each judged at the reporting date: ``met`` when the score
    is at or above the target, ``missed`` when it is below and the target date ("2010" is
    31 December 2010, "2010-06" 30 June 2010) is before the reporting date, else ``not yet
    due``. The judgement is as at the assessment (column ``assessed``; ``assessment_age_months``
    says how old it is at the reporting date, from the end of its year or month);
    ``target_due`` is the date the target falls due. Rows without a target get no judgement."""
    if assessments is None or assessments.empty:
        return pd.DataFrame()
    out = assessments.drop(columns=[ROW], errors="ignore").copy()
    as_at = pd.Timestamp(period_end(period))
    ages = []
    for assessed in out.get("assessed", pd.Series(None, index=out.index)):
        when = year_or_month_end(assessed)
        ages.append(
            None if when is None else (as_at.year - when.year) * 12 + as_at.month - when.month
        )
    out["assessment_age_months"] = pd.array(ages, dtype="Int64")
    dues, statuses = [], []
    for score, target, when in zip(
        out["score"], out.get("target"), out.get("target_date"), strict=True
    ):
        due = year_or_month_end(when)
        dues.append(due.isoformat() if due else None)
        if target is None or pd.isna(target):
            statuses.append(None)
        elif not pd.isna(score) and float(score) >= float(target):
            statuses.append(MET)
        elif due is not None and pd.Timestamp(due) < as_at:
            statuses.append(MISSED)
        else:
            statuses.append(NOT_YET_DUE)
    out["target_due"] = dues
    out["target_status"] = statuses
    return out


def target_counts(judged: pd.DataFrame) -> dict[str, int]:
    """How many targets are met, missed and not yet due (zeros included)."""
    col = judged["target_status"] if "target_status" in judged else pd.Series(dtype=object)
    return {k: int((col == k).sum()) for k in (MET, MISSED, NOT_YET_DUE)}


def exceptions(snap: pd.DataFrame) -> pd.DataFrame:
    """The items the meeting should discuss: not complete and overdue, off track, at risk or
    with a due date moved later; oldest current due date first."""
    rows = snap[snap["exception"]]
    return rows.sort_values(["current_due", "action_ref"], na_position="last").reset_index(
        drop=True
    )


def accountability_gaps(snap: pd.DataFrame) -> pd.DataFrame:
    """The items whose source names no lead."""
    cols = ["action_ref", "action", "theme_ref", "theme", "brag"]
    return snap.loc[snap["lead"].isna(), [c for c in cols if c in snap]].reset_index(drop=True)


def source_notes(inputs: Inputs) -> pd.DataFrame:
    """Known gaps and readings of the source document (``source_notes.csv``, written from
    SOURCES.md): what the inputs cannot show, so that no report says every check passed."""
    notes = inputs.get("source_notes")
    columns = ["note_ref", "table", "ref", "kind", "note", "source"]
    if notes is None or notes.empty:
        return pd.DataFrame(columns=columns)
    return notes.drop(columns=[ROW], errors="ignore").reset_index(drop=True)
