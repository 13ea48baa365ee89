"""The XmR chart of a measure over time (Making Data Count), in the style of
:mod:`odreport.report.charts`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from odreport.report.charts import (
    OUTLINE,
    WIDTH,
    configure,
)

SPC_COLOURS = {
    "common cause": "#a6a6a6",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
}
LEGEND_WIDTH = 135  # px: the legends beside a chart ("common cause" at FONT_SIZE, and its gap)
SPC_SHAPES = {
    "common cause": "circle",
    "improvement": "triangle-up",
    "concern": "triangle-down",
    "neutral": "diamond",
}


def xmr_chart(
    result,
    title: str,
    target: float | None = None,
    trial: bool | None = None,
    height: int = 220,
    legend_right: bool = False,
    x_title: str = "Reporting period",
) -> alt.LayerChart:
    """An XmR chart ``height`` px tall: values, mean, process limits (dashed; "trial limit" in
    the legend when there are fewer than 12 points), the target when one is set (dotted),
    special-cause points marked by colour and shape (Making Data Count colours).

    ``x_title`` names the points (a pulse survey's are waves). The legends are under the
    chart, or with ``legend_right`` beside it, the plot narrower by their width (the chart as
    wide, and shorter: for small multiples of a few points)."""
    legend = alt.Legend(orient="right") if legend_right else alt.Undefined
    width = WIDTH - 80 - (LEGEND_WIDTH if legend_right else 0)
    limit = "trial limit" if (result.trial if trial is None else trial) else "process limit"
    pts = result.points.copy()
    present = [v for v in SPC_COLOURS if v in set(pts["variation"])]
    base = alt.Chart(pts).encode(
        x=alt.X(
            "label:O",
            title=x_title,
            sort=None,
            axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')"),
        )
    )
    line = base.mark_line(color="#768692", strokeWidth=1.5).encode(y=alt.Y("value:Q", title=title))
    dots = base.mark_point(filled=True, size=90, stroke=OUTLINE, strokeWidth=0.75).encode(
        y="value:Q",
        color=alt.Color(
            "variation:N",
            title="Variation",
            scale=alt.Scale(domain=present, range=[SPC_COLOURS[v] for v in present]),
            legend=legend,
        ),
        shape=alt.Shape(
            "variation:N",
            title="Variation",
            scale=alt.Scale(domain=present, range=[SPC_SHAPES[v] for v in present]),
            legend=legend,
        ),
    )
    lines = pd.DataFrame(
        {
            "y": [result.mean, result.ucl, result.lcl],
            "kind": ["mean", limit, limit],
        }
    )
    if target is not None:
        lines = pd.concat([lines, pd.DataFrame({"y": [target], "kind": ["target"]})])
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeWidth=1.5)
        .encode(
            y="y:Q",
            strokeDash=alt.StrokeDash(
                "kind:N",
                title="Line",
                legend=legend,
                scale=alt.Scale(
                    domain=list(dict.fromkeys(lines["kind"])),
                    range=[
                        {"mean": [1, 0], limit: [6, 4], "target": [2, 2]}[k]
                        for k in dict.fromkeys(lines["kind"])
                    ],
                ),
            ),
            color=alt.value(OUTLINE),
        )
    )
    return configure(
        alt.layer(rules, line, dots)
        .resolve_scale(strokeDash="independent")
        .properties(width=width, height=height)
    )


# Diverging palette (ColorBrewer PuOr, colour-blind safe): unfavourable orange, neutral grey,
# favourable purple; darker = further from neutral. Every segment has a dark outline and its
# percentage printed, so neither colour nor position alone carries the meaning.
