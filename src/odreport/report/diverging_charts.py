"""The diverging stacked bar of a survey's questions (unfavourable left, favourable right,
neutral centred; "Don't know" and skipped beside), in the style of :mod:`odreport.report.charts`."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from odreport.report.charts import (
    FONT_SIZE,
    LABEL_CHARS,
    OUTLINE,
    TEXT,
    WIDTH,
    WRAPPED,
    configure,
    ink,
    label_lines,
    wrap,
)

SPC_COLOURS = {
    "common cause": "#a6a6a6",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
}
SPC_SHAPES = {
    "common cause": "circle",
    "improvement": "triangle-up",
    "concern": "triangle-down",
    "neutral": "diamond",
}

DIVERGING = {
    "unfavourable": ["#b35806", "#f1a340", "#fdb863"],
    "neutral": ["#d8dde0"],
    "favourable": ["#998ec3", "#542788", "#2d004b"],
}


def option_colours(segments: pd.DataFrame) -> dict[str, str]:
    """A colour per option, in scale order: the unfavourable end and the favourable end darkest
    (scales run from unfavourable to favourable)."""
    colours = {}
    for valence, part in segments.drop_duplicates("option").groupby("valence", sort=False):
        shades = DIVERGING[valence]
        opts = part.sort_values("option_order")["option"].tolist()
        colours.update({o: shades[min(i, len(shades) - 1)] for i, o in enumerate(opts)})
    return colours


QUESTION_CHARS = LABEL_CHARS  # a question's label wraps at about this many characters
QUESTION_LINES = 2  # and has at most this many lines (the full question is in the data table)


def question_label(label: str) -> str:
    """A question's axis label: wrapped (:func:`odreport.report.charts.wrap`) at
    :data:`QUESTION_CHARS`, at most :data:`QUESTION_LINES` lines, cut with "…" when longer, so
    that each bar is at most two lines of text tall."""
    lines = wrap(label, QUESTION_CHARS).split("\n")
    if len(lines) <= QUESTION_LINES:
        return "\n".join(lines)
    kept = lines[:QUESTION_LINES]
    last = kept[-1].rstrip("…")
    while last and len(last) + 1 > QUESTION_CHARS:
        last = last.rsplit(" ", 1)[0] if " " in last else last[: QUESTION_CHARS - 1]
    kept[-1] = last.rstrip(" ,;:—-") + "…"
    return "\n".join(kept)


def diverging_chart(segments: pd.DataFrame, apart: pd.DataFrame) -> alt.HConcatChart:
    """Diverging stacked bars, one per question, with "Don't know" and skipped counts beside.

    ``segments`` comes from :func:`odreport.metrics.surveys.diverging_segments`; ``apart`` has one row
    per question: ``label`` and ``text`` (what is not in the base).
    """
    order = segments.sort_values(["rank", "option_order"]).drop_duplicates("option")
    options = order["option"].tolist()
    colours = option_colours(segments)
    main_width = WIDTH - 295
    # the axis spans the data, in steps of 25%, always with 0 (a bar's favourable side may
    # reach 100% and its unfavourable side rarely half that)
    low = -25 * max(0, math.ceil(round(-float(segments["start"].min()), 6) / 25))
    high = 25 * max(1, math.ceil(round(float(segments["end"].max()), 6) / 25))
    # a percentage is printed on a segment wide enough to hold it ("100%" at FONT_SIZE)
    widest = 30 * (high - low) / main_width
    frame = segments.assign(
        label=segments["label"].map(question_label),
        mid=(segments["start"] + segments["end"]) / 2,
        shown=segments["percent"].map(lambda p: f"{int(p + 0.5)}%" if p >= widest else ""),
        ink=segments["option"].map(lambda o: ink(colours[o])),
    )
    labels = list(dict.fromkeys(frame["label"]))
    # what is not in the base, one part a line ("Don't know 4" above "skipped 0")
    parts = apart["text"].str.split("; ", n=1)
    apart = apart.assign(
        label=apart["label"].map(question_label),
        first=parts.str[0],
        second=parts.str[1].fillna(""),
    )
    step = max(34, 17 * label_lines(labels) + 8)
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelExpr=WRAPPED, labelLimit=0))
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke=OUTLINE, strokeWidth=0.75)
        .encode(
            y=y,
            x=alt.X(
                "start:Q",
                title=["% of responses:", "◀ unfavourable | favourable ▶"],
                scale=alt.Scale(domain=[low, high]),
                axis=alt.Axis(
                    values=list(range(int(low), int(high) + 1, 25)), labelExpr="abs(datum.value)"
                ),
            ),
            x2="end:Q",
            color=alt.Color(
                "option:N",
                title="Answer",
                sort=options,
                scale=alt.Scale(domain=options, range=[colours[o] for o in options]),
            ),
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(fontSize=FONT_SIZE)
        .encode(y=y, x="mid:Q", text="shown:N", color=alt.Color("ink:N", scale=None))
    )
    zero = (
        alt.Chart(pd.DataFrame({"x": [0]}))
        .mark_rule(color=OUTLINE, strokeWidth=1.5)
        .encode(x="x:Q")
    )
    side_base = alt.Chart(apart).encode(y=alt.Y("label:N", sort=labels, axis=None), x=alt.value(0))
    side = alt.layer(
        side_base.mark_text(align="left", fontSize=FONT_SIZE, color=TEXT, dy=-8).encode(
            text="first:N"
        ),
        side_base.mark_text(align="left", fontSize=FONT_SIZE, color=TEXT, dy=8).encode(
            text="second:N"
        ),
    ).properties(width=85, height=max(60, step * len(labels)), title=["Not in", "the base"])
    main = alt.layer(bars, text, zero).properties(
        width=main_width, height=max(60, step * len(labels))
    )
    return configure(alt.hconcat(main, side, spacing=12, bounds="flush"))
