"""Charts of the assurance sections: the risk heat map (NHS 5 × 5 bands) and the maturity
scores against their targets, in the style of :mod:`odreport.report.charts`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from odreport.report.charts import (
    FONT_SIZE,
    OUTLINE,
    WIDTH,
    WRAPPED,
    configure,
    ink,
    label_lines,
    relabel,
    wrap,
)

RISK_BANDS = {"Red": "#DA291C", "Amber": "#ED8B00", "Green": "#006747"}
CELL = 36  # heat map cell, px


def risk_band(rating: float) -> str:
    """NHS 5 × 5 matrix band of a rating: Green 1–6, Amber 8–12, Red 15–25."""
    return "Red" if rating >= 15 else ("Amber" if rating >= 8 else "Green")


def risk_grid(risks: pd.DataFrame) -> pd.DataFrame:
    """Counts of risks per severity × likelihood cell, inherent and residual, all 25 cells."""
    rows = []
    for stage, s_col, l_col in (
        ("Inherent", "severity", "likelihood"),
        ("Residual", "residual_severity", "residual_likelihood"),
    ):
        for s in range(1, 6):
            for lk in range(1, 6):
                hit = risks[(risks[s_col] == s) & (risks[l_col] == lk)]
                rows.append(
                    {
                        "stage": stage,
                        "severity": s,
                        "likelihood": lk,
                        "risks": len(hit),
                        "refs": ", ".join(hit["risk_ref"]),
                        "band": risk_band(s * lk),
                    }
                )
    return pd.DataFrame(rows)


def risk_heatmap(grid: pd.DataFrame) -> alt.Chart:
    """Severity × likelihood heat maps (inherent, residual): the number of risks per cell, and
    the band's initial (R, A, G) in each cell's corner so bands differ without colour."""
    grid = grid.assign(
        initial=grid["band"].str[0],
        ink=grid["band"].map(lambda b: ink(RISK_BANDS[b])),
    )
    base = alt.Chart(grid).encode(
        x=alt.X("likelihood:O", title="Likelihood", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("severity:O", title="Severity", sort="descending"),
    )
    cells = base.mark_rect(stroke=OUTLINE, strokeWidth=0.75).encode(
        color=alt.Color(
            "band:N",
            title="Risk band",
            scale=alt.Scale(domain=list(RISK_BANDS), range=list(RISK_BANDS.values())),
            legend=alt.Legend(labelExpr=relabel({b: f"{b} ({b[0]})" for b in RISK_BANDS})),
        ),
    )
    text = (
        base.transform_filter("datum.risks > 0")
        .mark_text(fontSize=FONT_SIZE + 3, fontWeight="bold", dx=4, dy=4)
        .encode(text="risks:Q", color=alt.Color("ink:N", scale=None))
    )
    initial = base.mark_text(
        fontSize=FONT_SIZE, align="left", baseline="top", dx=-CELL / 2 + 3, dy=-CELL / 2 + 2
    ).encode(text="initial:N", color=alt.Color("ink:N", scale=None))
    return configure(
        alt.layer(cells, initial, text, data=grid)
        .properties(width=5 * CELL, height=5 * CELL)
        .facet(column=alt.Column("stage:N", title=None, sort=["Inherent", "Residual"]))
    )


def maturity_chart(data: pd.DataFrame, scale_max: float, title: str) -> alt.Chart:
    """Scores per domain as bars with the target as a black tick."""
    data = data.assign(label=data["domain"].map(wrap))
    domains = data["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=domains, title=None, axis=alt.Axis(labelExpr=WRAPPED, labelLimit=0))
    )
    bars = base.mark_bar(color="#005EB8", stroke=OUTLINE, strokeWidth=0.75).encode(
        x=alt.X("score:Q", title=title, scale=alt.Scale(domain=[0, scale_max]))
    )
    target = (
        base.transform_filter("isValid(datum.target)")
        .mark_tick(color=OUTLINE, thickness=3, size=22)
        .encode(x="target:Q")
    )
    step = max(26, 17 * label_lines(domains) + 6)
    return configure(
        alt.layer(bars, target).properties(width=WIDTH - 180, height=max(120, step * len(domains)))
    )
