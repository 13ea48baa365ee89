"""Altair charts for the report, rendered to static SVG so reports need no JavaScript.

Colours: BRAG from the NHS palette; every mark has a dark outline so adjacent segments and the
white page differ by at least 3:1 (WCAG 1.4.11), and every chart also carries its numbers as
text, so colour is never the only carrier of meaning.

Reproducible anywhere: dates reach a chart as calendar dates (``YYYY-MM-DD`` strings, which
Vega reads as midnight UTC) on a ``utc`` scale, so ticks and positions are worked out in UTC
whatever the time zone of the process that renders them; numbers and dates are formatted with
a named locale (:data:`LOCALE`), never the process's. Periods are ordinal labels, not dates.
"""

from __future__ import annotations

import json
import math
import textwrap

import altair as alt
import pandas as pd

from odreport.metrics.derive import (
    AT_RISK,
    BRAG_ORDER,
    COMPLETE,
    NOT_RATED,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
)

BRAG_COLOURS = {
    COMPLETE: "#005EB8",  # NHS Blue
    ON_TRACK: "#006747",  # NHS England green
    AT_RISK: "#ED8B00",  # NHS England amber
    OFF_TRACK: "#DA291C",  # NHS England red
    NOT_STARTED: "#425563",  # NHS Dark Grey (white text on it 7.5:1)
    NOT_RATED: "#E8EDEE",  # NHS Pale Grey
}
OUTLINE = "#212B32"
TEXT = "#212B32"
WHITE = "#ffffff"
FONT = "Arial"
# Charts are drawn narrow, with large text, and scaled to the width of the page (report.css):
# on a phone 390 px wide a chart of at most WIDTH px shows its FONT_SIZE text at 11 px or more;
# on a wide screen or on A4 it is scaled up to fill the column.
FONT_SIZE = 13
WIDTH = 430
LOCALE = "en-GB"  # d3 number and time formats: month names, separators (vl-convert's own copy)
LABEL_CHARS = 20  # axis labels (themes, domains, questions) wrap at about this many characters
WRAPPED = "split(datum.label, '\\n')"  # label expression: one line per "\n"
# A mark for each status, printed with the count on the status chart's segments and in its
# legend, so that statuses differ without colour (in greyscale print, for colour-blind readers)
STATUS_MARKS = {
    COMPLETE: "✓",
    ON_TRACK: "●",
    AT_RISK: "▲",
    OFF_TRACK: "✕",
    NOT_STARTED: "○",
    NOT_RATED: "?",
}


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ink(background: str) -> str:
    """The text colour for a label on ``background``: dark text or white, whichever contrasts
    more (WCAG 1.4.3 asks 4.5:1 for text of this size)."""
    return WHITE if contrast(WHITE, background) > contrast(TEXT, background) else TEXT


def wrap(text: str, width: int = LABEL_CHARS) -> str:
    """``text`` broken into lines of about ``width`` characters, joined by ``\\n`` (shown as
    separate lines by :data:`WRAPPED`)."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _lines(labels) -> int:
    """The most lines any wrapped label has."""
    return max((str(label).count("\n") + 1 for label in labels), default=1)


def _relabel(mapping: dict[str, str]) -> str:
    """A Vega label expression showing ``mapping[label]`` for each legend or axis label."""
    return f"{json.dumps(mapping, ensure_ascii=False)}[datum.label] || datum.label"


def _config(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    """``chart`` (a chart just composed, changed in place) with the report's configuration.

    The configuration is set in one assignment, the same as ``chart.configure(...)
    .configure_axis(...)...configure_view(...)`` would make: each of those calls copies the
    chart, and copying a layered chart copies every layer (a sixth of a chart's Python time).
    """
    chart.config = alt.Config(
        font=FONT,
        background=WHITE,
        aria=False,
        axis=alt.AxisConfig(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            domainColor=OUTLINE,
            tickColor=OUTLINE,
            gridColor="#d8dde0",
        ),
        legend=alt.LegendConfig(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            orient="bottom",
            direction="vertical",
            columns=1,
            symbolStrokeColor=OUTLINE,
            labelLimit=0,
        ),
        header=alt.HeaderConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=TEXT),
        title=alt.TitleConfig(fontSize=FONT_SIZE, color=TEXT),
        view=alt.ViewConfig(stroke=None),
    )
    return chart


def _count_axis(top: int) -> alt.Axis:
    """Whole-number ticks only (counts and percentages never show 0.5)."""
    step = max(1, -(-top // 8))
    return alt.Axis(values=list(range(0, top + step + 1, step)), format="d")


def status_by_theme_chart(data: pd.DataFrame) -> alt.Chart:
    """Horizontal stacked bars: items per theme by BRAG, the count and the status's mark
    (:data:`STATUS_MARKS`) printed on each segment, in a colour that contrasts with it."""
    present = [b for b in BRAG_ORDER if b in set(data["brag"])]
    data = data.assign(
        label=data["theme"].map(wrap),
        shown=[f"{n}{STATUS_MARKS[b]}" for n, b in zip(data["items"], data["brag"], strict=True)],
        ink=data["brag"].map(lambda b: ink(BRAG_COLOURS[b])),
    )
    themes = data.drop_duplicates("theme")["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=themes, title=None, axis=alt.Axis(labelExpr=WRAPPED, labelLimit=0)),
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
            legend=alt.Legend(
                labelExpr=_relabel({b: f"{STATUS_MARKS[b]} {b}" for b in present})
            ),
        ),
    )
    labels = base.mark_text(dx=-3, align="right", baseline="middle", fontSize=FONT_SIZE).encode(
        text=alt.Text("shown:N"),
        color=alt.Color("ink:N", scale=None),
    )
    step = max(34, 17 * _lines(themes) + 8)
    return _config(
        alt.layer(bars, labels).properties(width=WIDTH - 215, height=max(120, step * len(themes)))
    )


def run_chart(data: pd.DataFrame, value: str, title: str) -> alt.Chart:
    """A run chart of ``value`` over reporting periods, with its median line."""
    frame = data[["period", value]].copy()
    median = float(frame[value].median()) if len(frame) else 0.0
    frame["median"] = median
    base = alt.Chart(frame).encode(
        x=alt.X(
            "period:O",
            title="Reporting period",
            axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')"),
        )
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
    return _config(alt.layer(line, med).properties(width=WIDTH - 80, height=200))


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to an SVG string with vl-convert (no browser, no network).

    Altair's JSON-schema check of the spec is skipped here (about 50 ms a chart, a sixth of a
    batch report's chart time); the tests check every chart the five reports draw against the
    Vega-Lite schema instead (tests/publish/test_pipeline.py). Numbers and dates are formatted
    in :data:`LOCALE`, whatever the process's locale.
    """
    import vl_convert as vlc

    return vlc.vegalite_to_svg(
        chart.to_dict(validate=False), format_locale=LOCALE, time_format_locale=LOCALE
    )


def warm_up() -> None:
    """Start vl-convert's JavaScript engine now (about 1 s, once per process), so that the
    first chart of a report does not pay for it. The SVG is thrown away."""
    import vl_convert as vlc

    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})


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
            legend=alt.Legend(labelExpr=_relabel({b: f"{b} ({b[0]})" for b in RISK_BANDS})),
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
    return _config(
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
    step = max(26, 17 * _lines(domains) + 6)
    return _config(
        alt.layer(bars, target).properties(width=WIDTH - 180, height=max(120, step * len(domains)))
    )


def calendar_dates(values: pd.Series) -> pd.Series:
    """Dates (text, ``date`` or timestamps) as ``YYYY-MM-DD`` text, which Vega reads as
    midnight UTC; missing dates stay missing. (Altair would send a timestamp as
    ``2015-10-01T00:00:00``, which JavaScript reads in the renderer's local time zone.)"""
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def timeline_chart(items: pd.DataFrame, reporting_date: str) -> alt.Chart:
    """Each dated item from start to current due date, coloured by status and ended by the
    status's mark (:data:`STATUS_MARKS`), with a line at the reporting date.

    ``start``, ``current_due`` and ``reporting_date`` are calendar dates (passed on as
    ``YYYY-MM-DD`` text, :func:`calendar_dates`); the time axis is in UTC (a ``utc`` scale), so
    a date is drawn on its own day in any time zone (on a local-time scale, 1 October at
    midnight UTC is 30 September in California).
    """
    items = items.assign(
        start=calendar_dates(items["start"]), current_due=calendar_dates(items["current_due"])
    )
    present = [b for b in BRAG_ORDER if b in set(items["brag"])]
    refs = items["action_ref"].tolist()
    items = items.assign(mark=items["brag"].map(STATUS_MARKS))
    base = alt.Chart(items).encode(y=alt.Y("action_ref:N", sort=refs, title=None))
    bars = base.mark_bar(stroke=OUTLINE, strokeWidth=0.5, height=10).encode(
        x=alt.X(
            "start:T",
            title="Date",
            scale=alt.Scale(type="utc"),
            axis=alt.Axis(format="%b %Y", labelAngle=0),
        ),
        x2="current_due:T",
        color=alt.Color(
            "brag:N",
            title="Status",
            scale=alt.Scale(domain=present, range=[BRAG_COLOURS[b] for b in present]),
            legend=alt.Legend(
                labelExpr=_relabel({b: f"{STATUS_MARKS[b]} {b}" for b in present})
            ),
        ),
    )
    marks = base.mark_text(align="left", dx=3, fontSize=FONT_SIZE, color=TEXT).encode(
        x="current_due:T", text="mark:N"
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": calendar_dates(pd.Series([reporting_date]))}))
        .mark_rule(color=OUTLINE, strokeDash=[6, 3], strokeWidth=2)
        .encode(x="date:T")
    )
    return _config(
        alt.layer(bars, marks, rule).properties(
            width=WIDTH - 120, height=max(120, 16 * len(refs))
        )
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


def xmr_chart(
    result, title: str, target: float | None = None, trial: bool | None = None
) -> alt.LayerChart:
    """An XmR chart: values, mean, process limits (dashed; "trial limit" in the legend when
    there are fewer than 12 points), the target when one is set (dotted), special-cause points
    marked by colour and shape (Making Data Count colours)."""
    limit = "trial limit" if (result.trial if trial is None else trial) else "process limit"
    pts = result.points.copy()
    present = [v for v in SPC_COLOURS if v in set(pts["variation"])]
    base = alt.Chart(pts).encode(
        x=alt.X(
            "label:O",
            title="Reporting period",
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
        ),
        shape=alt.Shape(
            "variation:N",
            title="Variation",
            scale=alt.Scale(domain=present, range=[SPC_SHAPES[v] for v in present]),
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
    return _config(
        alt.layer(rules, line, dots)
        .resolve_scale(strokeDash="independent")
        .properties(width=WIDTH - 80, height=220)
    )


# Diverging palette (ColorBrewer PuOr, colour-blind safe): unfavourable orange, neutral grey,
# favourable purple; darker = further from neutral. Every segment has a dark outline and its
# percentage printed, so neither colour nor position alone carries the meaning.
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


def diverging_chart(segments: pd.DataFrame, apart: pd.DataFrame) -> alt.HConcatChart:
    """Diverging stacked bars, one per question, with "Don't know" and skipped counts beside.

    ``segments`` comes from :func:`odreport.metrics.surveys.diverging_segments`; ``apart`` has one row
    per question: ``label`` and ``text`` (what is not in the base).
    """
    order = segments.sort_values(["rank", "option_order"]).drop_duplicates("option")
    options = order["option"].tolist()
    colours = option_colours(segments)
    main_width = WIDTH - 255
    # the axis spans the data, in steps of 25%, always with 0 (a bar's favourable side may
    # reach 100% and its unfavourable side rarely half that)
    low = -25 * max(0, math.ceil(round(-float(segments["start"].min()), 6) / 25))
    high = 25 * max(1, math.ceil(round(float(segments["end"].max()), 6) / 25))
    # a percentage is printed on a segment wide enough to hold it ("100%" at FONT_SIZE)
    widest = 30 * (high - low) / main_width
    frame = segments.assign(
        label=segments["label"].map(lambda label: wrap(label, LABEL_CHARS - 4)),
        mid=(segments["start"] + segments["end"]) / 2,
        shown=segments["percent"].map(lambda p: f"{int(p + 0.5)}%" if p >= widest else ""),
        ink=segments["option"].map(lambda o: ink(colours[o])),
    )
    labels = list(dict.fromkeys(frame["label"]))
    # what is not in the base, one part a line ("Don't know 4" above "skipped 0")
    parts = apart["text"].str.split("; ", n=1)
    apart = apart.assign(
        label=apart["label"].map(lambda label: wrap(label, LABEL_CHARS - 4)),
        first=parts.str[0],
        second=parts.str[1].fillna(""),
    )
    step = max(34, 17 * _lines(labels) + 8)
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
    side_base = alt.Chart(apart).encode(
        y=alt.Y("label:N", sort=labels, axis=None), x=alt.value(0)
    )
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
    return _config(alt.hconcat(main, side, spacing=12, bounds="flush"))


TRAJECTORY_SERIES = {  # series: colour, dash, point shape (never colour alone)
    "Due by then (plan)": ("#425563", [6, 3], "square"),
    "Complete (actual)": ("#005EB8", [1, 0], "circle"),
}


def trajectory_chart(frame: pd.DataFrame, reporting_date: str) -> alt.LayerChart:
    """The plan's trajectory against what was done: the cumulative number of items due by the
    end of each month under the plan's timescales (a dashed step line with squares, to the
    plan's end) and the number complete at each reporting period (a solid line with circles),
    with the reporting date marked.

    ``frame``: ``date`` (calendar dates), ``series`` (the keys of
    :data:`TRAJECTORY_SERIES`) and ``value``; dates are drawn on a UTC time axis."""
    frame = frame.assign(date=calendar_dates(frame["date"]))
    names = [s for s in TRAJECTORY_SERIES if s in set(frame["series"])]
    top = int(frame["value"].max() or 0)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "date:T",
            title="Month end",
            scale=alt.Scale(type="utc"),
            axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True),
        ),
        y=alt.Y("value:Q", title="Number of items", axis=_count_axis(top)),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=names, range=[TRAJECTORY_SERIES[s][0] for s in names]),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            title=None,
            scale=alt.Scale(domain=names, range=[TRAJECTORY_SERIES[s][1] for s in names]),
        ),
        shape=alt.Shape(
            "series:N",
            title=None,
            scale=alt.Scale(domain=names, range=[TRAJECTORY_SERIES[s][2] for s in names]),
        ),
    )
    lines = base.mark_line(strokeWidth=2, interpolate="step-after", point=False).transform_filter(
        alt.FieldEqualPredicate(field="series", equal=names[0])
    )
    actual = base.mark_line(strokeWidth=2).transform_filter(
        alt.FieldOneOfPredicate(field="series", oneOf=names[1:])
    )
    points = base.mark_point(filled=True, size=45, stroke=OUTLINE, strokeWidth=0.5)
    rule = (
        alt.Chart(pd.DataFrame({"date": calendar_dates(pd.Series([reporting_date]))}))
        .mark_rule(color=OUTLINE, strokeDash=[2, 2], strokeWidth=1.5)
        .encode(x="date:T")
    )
    return _config(
        alt.layer(lines, actual, points, rule).properties(width=WIDTH - 60, height=220)
    )
