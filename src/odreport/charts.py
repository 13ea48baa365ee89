"""Altair charts for the report, rendered to static SVG so reports need no JavaScript.

Colours: BRAG from the NHS palette; every mark has a dark outline so adjacent segments and the
white page differ by at least 3:1 (WCAG 1.4.11), and every chart also carries its numbers as
text, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .derive import AT_RISK, BRAG_ORDER, COMPLETE, NOT_RATED, NOT_STARTED, OFF_TRACK, ON_TRACK

BRAG_COLOURS = {
    COMPLETE: "#005EB8",  # NHS Blue
    ON_TRACK: "#006747",  # NHS England green
    AT_RISK: "#ED8B00",  # NHS England amber
    OFF_TRACK: "#DA291C",  # NHS England red
    NOT_STARTED: "#768692",  # NHS Mid Grey
    NOT_RATED: "#E8EDEE",  # NHS Pale Grey
}
OUTLINE = "#212B32"
TEXT = "#212B32"
FONT = "Arial"
WIDTH = 560


def _config(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    return (
        chart.configure(font=FONT, background="#ffffff")
        .configure_axis(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=12,
            titleFontSize=12,
            domainColor=OUTLINE,
            tickColor=OUTLINE,
            gridColor="#d8dde0",
        )
        .configure_legend(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=12,
            titleFontSize=12,
            orient="bottom",
            direction="horizontal",
            columns=3,
            symbolStrokeColor=OUTLINE,
        )
        .configure_view(stroke=None)
    )


def _count_axis(top: int) -> alt.Axis:
    """Whole-number ticks only (counts and percentages never show 0.5)."""
    step = max(1, -(-top // 8))
    return alt.Axis(values=list(range(0, top + step + 1, step)), format="d")


def status_by_theme_chart(data: pd.DataFrame) -> alt.Chart:
    """Horizontal stacked bars: items per theme by BRAG, counts printed on the segments."""
    present = [b for b in BRAG_ORDER if b in set(data["brag"])]
    themes = data.drop_duplicates("theme")["theme"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("theme:N", sort=themes, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(
            "sum(items):Q",
            stack="zero",
            title="Number of items",
            axis=_count_axis(int(data.groupby("theme")["items"].sum().max())),
        ),
        order=alt.Order("brag_order:Q"),
    )
    bars = base.mark_bar(stroke=OUTLINE, strokeWidth=0.75).encode(
        color=alt.Color(
            "brag:N",
            title="Status",
            scale=alt.Scale(domain=present, range=[BRAG_COLOURS[b] for b in present]),
            sort=present,
        ),
    )
    labels = base.mark_text(dx=-6, align="right", baseline="middle", fontSize=11).encode(
        text=alt.Text("sum(items):Q"),
        color=alt.condition(
            alt.FieldOneOfPredicate("brag", [NOT_RATED, AT_RISK]),
            alt.value(TEXT),
            alt.value("#ffffff"),
        ),
    )
    return _config(
        alt.layer(bars, labels).properties(width=WIDTH - 200, height=max(120, 34 * len(themes)))
    )


def run_chart(data: pd.DataFrame, value: str, title: str) -> alt.Chart:
    """A run chart of ``value`` over reporting periods, with its median line."""
    frame = data[["period", value]].copy()
    median = float(frame[value].median()) if len(frame) else 0.0
    frame["median"] = median
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", title="Reporting period", axis=alt.Axis(labelAngle=0))
    )
    line = base.mark_line(
        color="#005EB8",
        strokeWidth=2,
        point=alt.OverlayMarkDef(color="#005EB8", size=50, stroke=OUTLINE),
    ).encode(
        y=alt.Y(f"{value}:Q", title=title, axis=_count_axis(int(frame[value].max() or 0))),
    )
    med = (
        alt.Chart(frame)
        .transform_aggregate(median=f"median({value})")
        .mark_rule(color=OUTLINE, strokeDash=[4, 4])
        .encode(y="median:Q")
    )
    return _config(alt.layer(line, med).properties(width=WIDTH, height=200))


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to an SVG string with vl-convert (no browser, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())
