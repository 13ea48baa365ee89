"""Survey trends: percent favourable per wave of each series, for every question and theme;
their XmR reading (Making Data Count); and the survey evidence for each plan theme."""

from __future__ import annotations

import pandas as pd

from odreport.inputs.questions import TEXT_SCALE, question_map
from odreport.inputs.tables import Inputs
from odreport.metrics import spc
from odreport.metrics.survey_counts import ALL, FAVOURABLE
from odreport.metrics.survey_counts import natural_key as _natural

MIN_TREND_POINTS = spc.MIN_POINTS  # fewer waves: the points are listed, no process limits


def trends(inputs: Inputs, overview: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Percent favourable per wave for every question and theme of each series.

    Rows: ``series, measure, measure_label, theme_ref, wave, survey_id, value, base`` with
    ``measure`` a question_ref or ``theme:<theme_ref>`` (pooled over the theme's questions).
    Suppressed waves have no value.
    """
    columns = [
        "series",
        "measure",
        "measure_label",
        "theme_ref",
        "wave",
        "survey_id",
        "value",
        "base",
        "higher_is_better",
        "target",
    ]
    if overview.empty:
        return pd.DataFrame(columns=columns)
    waves = overview[overview["series"].notna() & overview["fielded"].notna()]
    if waves.empty:
        return pd.DataFrame(columns=columns)
    meta = question_map(inputs)
    overall = summary[summary["group_by"] == ALL].set_index(["survey_id", "question_ref"])
    themes = inputs.get("themes")
    theme_names = (
        dict(zip(themes["theme_ref"], themes["theme"], strict=True)) if themes is not None else {}
    )
    rows = []
    for series, part in waves.groupby("series", sort=True):
        part = part.sort_values("fielded")
        refs = sorted({q for (s, q) in meta if s in set(part["survey_id"])}, key=_natural)
        for ref in refs:
            for _, wave in part.iterrows():
                m = meta.get((wave["survey_id"], ref))
                if m is None or m["scale"] == TEXT_SCALE:
                    continue
                value, base = pd.NA, pd.NA
                if (wave["survey_id"], ref) in overall.index:
                    r = overall.loc[(wave["survey_id"], ref)]
                    value, base = r["pct_favourable"], r["base"]
                rows.append(
                    {
                        "series": series,
                        "measure": ref,
                        "measure_label": f"{ref} {m['question']}",
                        "theme_ref": m["theme_ref"],
                        "wave": wave["fielded"],
                        "survey_id": wave["survey_id"],
                        "value": value,
                        "base": base,
                        "higher_is_better": m["higher_is_better"],
                        "target": m["target"],
                    }
                )
        for theme_ref in sorted(
            {
                m["theme_ref"]
                for (s, _), m in meta.items()
                if s in set(part["survey_id"]) and m["theme_ref"]
            }
        ):
            for _, wave in part.iterrows():
                refs_t = [
                    q
                    for (s, q), m in meta.items()
                    if s == wave["survey_id"]
                    and m["theme_ref"] == theme_ref
                    and m["scale"] != TEXT_SCALE
                ]
                keys = [
                    (wave["survey_id"], q)
                    for q in refs_t
                    if (wave["survey_id"], q) in overall.index
                ]
                got = overall.loc[keys] if keys else overall.iloc[0:0]
                got = got[~got["suppressed"].astype(bool)] if len(got) else got
                base = got["base"].sum() if len(got) else 0
                value = 100 * got[FAVOURABLE].sum() / base if base else pd.NA
                rows.append(
                    {
                        "series": series,
                        "measure": f"theme:{theme_ref}",
                        "measure_label": f"Theme score: {theme_names.get(theme_ref, theme_ref)}",
                        "theme_ref": theme_ref,
                        "wave": wave["fielded"],
                        "survey_id": wave["survey_id"],
                        "value": value if base else pd.NA,
                        "base": base if base else pd.NA,
                        "higher_is_better": True,
                        "target": None,
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def trend_analysis(points: pd.DataFrame) -> spc.XmR | None:
    """The XmR analysis of one measure's waves (``None`` under :data:`MIN_TREND_POINTS`)."""
    points = points[points["value"].notna()]
    if len(points) < MIN_TREND_POINTS:
        return None
    first = points.iloc[0]
    return spc.xmr(
        points["value"].astype(float).tolist(),
        points["wave"].tolist(),
        improvement="up" if bool(first["higher_is_better"]) else "down",
        target=None if pd.isna(first["target"]) else float(first["target"]),
    )


def evidence(
    inputs: Inputs, overview: pd.DataFrame, summary: pd.DataFrame, trend: pd.DataFrame
) -> pd.DataFrame:
    """Per plan theme, the latest result of every survey question that evidences it."""
    columns = [
        "theme_ref",
        "survey_id",
        "survey",
        "fielded",
        "question_ref",
        "question",
        "pct_favourable",
        "base",
        "trend",
    ]
    if overview.empty or summary.empty:
        return pd.DataFrame(columns=columns)
    overall = summary[(summary["group_by"] == ALL) & (summary["theme_ref"] != "")]
    latest = overview.copy()
    latest["key"] = latest["series"].fillna(latest["survey_id"])
    latest = latest.sort_values(["key", "fielded"], na_position="first").drop_duplicates(
        "key", keep="last"
    )
    rows = overall.merge(latest[["survey_id", "title", "fielded", "series"]], on="survey_id")
    out = []
    for _, r in rows.iterrows():
        text = ""
        if pd.notna(r["series"]):
            pts = trend[(trend["series"] == r["series"]) & (trend["measure"] == r["question_ref"])]
            text = trend_sentence(pts)
        out.append(
            {
                "theme_ref": r["theme_ref"],
                "survey_id": r["survey_id"],
                "survey": r["title"],
                "fielded": r["fielded"],
                "question_ref": r["question_ref"],
                "question": r["question"],
                "pct_favourable": r["pct_favourable"],
                "base": r["base"],
                "trend": text,
            }
        )
    frame = pd.DataFrame(out, columns=columns)
    frame["_q"] = frame["question_ref"].map(_natural)
    return (
        frame.sort_values(["theme_ref", "survey_id", "_q"])
        .drop(columns="_q")
        .reset_index(drop=True)
    )


def trend_sentence(points: pd.DataFrame) -> str:
    """A short reading of a measure's waves: XmR variation of the latest wave when there are
    enough points, else the change since the previous wave."""
    shown = points[points["value"].notna()]
    if len(shown) < 2:
        return ""
    result = trend_analysis(shown)
    if result is not None:
        last = result.points.iloc[-1]
        limits = "trial limits" if result.trial else "process limits"
        return f"{len(shown)} waves; latest: {last['variation']} ({limits})"
    a, b = shown.iloc[-2], shown.iloc[-1]
    change = float(b["value"]) - float(a["value"])
    return f"{change:+.0f} points since {a['wave']} ({len(shown)} waves)"
