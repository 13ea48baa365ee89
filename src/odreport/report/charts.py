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
import os
import tempfile
import textwrap
import threading

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


def label_lines(labels) -> int:
    """The most lines any wrapped label has."""
    return max((str(label).count("\n") + 1 for label in labels), default=1)


def relabel(mapping: dict[str, str]) -> str:
    """A Vega label expression showing ``mapping[label]`` for each legend or axis label."""
    return f"{json.dumps(mapping, ensure_ascii=False)}[datum.label] || datum.label"


def configure(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
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


def count_axis(top: int) -> alt.Axis:
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
            axis=count_axis(int(data.groupby("theme")["items"].sum().max())),
        ),
        order=alt.Order("brag_order:Q"),
    )
    bars = base.mark_bar(stroke=OUTLINE, strokeWidth=0.75).encode(
        color=alt.Color(
            "brag:N",
            title="Status",
            scale=alt.Scale(domain=present, range=[BRAG_COLOURS[b] for b in present]),
            sort=present,
            legend=alt.Legend(labelExpr=relabel({b: f"{STATUS_MARKS[b]} {b}" for b in present})),
        ),
    )
    labels = base.mark_text(dx=-3, align="right", baseline="middle", fontSize=FONT_SIZE).encode(
        text=alt.Text("shown:N"),
        color=alt.Color("ink:N", scale=None),
    )
    step = max(34, 17 * label_lines(themes) + 8)
    return configure(
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
        y=alt.Y(f"{value}:Q", title=title, axis=count_axis(int(frame[value].max() or 0))),
    )
    med = (
        alt.Chart(frame)
        .transform_aggregate(median=f"median({value})")
        .mark_rule(color=OUTLINE, strokeDash=[4, 4])
        .encode(y=alt.Y("median:Q"))
    )
    return configure(alt.layer(line, med).properties(width=WIDTH - 80, height=200))


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to an SVG string with vl-convert (no browser, no network).

    Altair's JSON-schema check of the spec is skipped here (about 50 ms a chart, a sixth of a
    batch report's chart time); the tests check every chart the five reports draw against the
    Vega-Lite schema instead (tests/publish/test_pipeline.py). Numbers and dates are formatted
    in :data:`LOCALE`, whatever the process's locale; text is measured with vl-convert's own
    fonts (:func:`packaged_fonts_only`).
    """
    import vl_convert as vlc

    packaged_fonts_only()
    return vlc.vegalite_to_svg(
        chart.to_dict(validate=False), format_locale=LOCALE, time_format_locale=LOCALE
    )


# A fontconfig file whose only font folder is its own (a temporary folder holding nothing but
# this file): vl-convert's font database then holds no system font (see packaged_fonts_only).
NO_SYSTEM_FONTS = '<?xml version="1.0"?>\n<fontconfig><dir prefix="relative">.</dir></fontconfig>\n'
_fonts_lock = threading.Lock()
_fonts_ready = False


def packaged_fonts_only() -> None:
    """Make vl-convert measure chart text with the fonts it carries (Liberation Sans, which
    stands in for :data:`FONT`), never the machine's: call before its first conversion in a
    process (:func:`to_svg` and :func:`warm_up` do; later calls do nothing).

    vl-convert builds its font database once per process, at its first conversion, from the
    folders fontconfig names (``FONTCONFIG_FILE``; else ``/etc/fonts/fonts.conf``, else the
    usual font folders) plus its own fonts, held in memory. A system font is read from its
    file at every use: opened, mapped and unmapped for each of the thousands of text
    measurements of a report's charts (about 8,000: a third of the charts' time). So the first
    conversion is made with ``FONTCONFIG_FILE`` naming a file that lists no font (the variable
    is put back as it was straight after, for anything else in the process that reads it).
    The SVG is the same as with the system's Liberation Sans, and no longer depends on which
    fonts a machine has installed (a machine with Arial would measure text with it)."""
    global _fonts_ready
    if _fonts_ready:
        return
    import vl_convert as vlc

    with _fonts_lock:
        if _fonts_ready:
            return
        before = os.environ.get("FONTCONFIG_FILE")
        with tempfile.TemporaryDirectory(prefix="odreport-fonts-") as folder:
            config = os.path.join(folder, "fonts.conf")
            with open(config, "w", encoding="utf-8") as out:
                out.write(NO_SYSTEM_FONTS)
            os.environ["FONTCONFIG_FILE"] = config
            try:  # text, so that the font database is built now
                vlc.vegalite_to_svg(
                    {"mark": "text", "encoding": {"text": {"value": "A"}}, "data": {"values": [{}]}}
                )
            finally:
                if before is None:
                    os.environ.pop("FONTCONFIG_FILE", None)
                else:
                    os.environ["FONTCONFIG_FILE"] = before
        _fonts_ready = True


def warm_up() -> None:
    """Start vl-convert's JavaScript engine now (about 1 s, once per process), so that the
    first chart of a report does not pay for it. The SVG is thrown away."""
    import vl_convert as vlc

    packaged_fonts_only()
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})


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
        x2=alt.X2("current_due:T"),
        color=alt.Color(
            "brag:N",
            title="Status",
            scale=alt.Scale(domain=present, range=[BRAG_COLOURS[b] for b in present]),
            legend=alt.Legend(labelExpr=relabel({b: f"{STATUS_MARKS[b]} {b}" for b in present})),
        ),
    )
    marks = base.mark_text(align="left", dx=3, fontSize=FONT_SIZE, color=TEXT).encode(
        x=alt.X("current_due:T"), text=alt.Text("mark:N")
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": calendar_dates(pd.Series([reporting_date]))}))
        .mark_rule(color=OUTLINE, strokeDash=[6, 3], strokeWidth=2)
        .encode(x=alt.X("date:T"))
    )
    return configure(
        alt.layer(bars, marks, rule).properties(width=WIDTH - 120, height=max(120, 16 * len(refs)))
    )


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
        y=alt.Y("value:Q", title="Number of items", axis=count_axis(top)),
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
        .encode(x=alt.X("date:T"))
    )
    return configure(
        alt.layer(lines, actual, points, rule).properties(width=WIDTH - 60, height=220)
    )
