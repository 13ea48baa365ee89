"""The status of the plan's items cut by theme, lead and framework domain, and the lists a
meeting looks at: exceptions and items without a lead."""

from __future__ import annotations

import pandas as pd

from odreport.inputs.tables import Inputs
from odreport.metrics.status import BRAG_ORDER, COMPLETE, NO_LEAD, OFF_TRACK


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
