"""Charts readable in greyscale, on a phone and in print (odreport.report.charts): statuses and
risk bands carry text as well as colour, labels contrast with what they sit on, and a chart
is narrow enough for its text to stay at 11 px or more on a phone 390 px wide."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from odreport.metrics import spc
from odreport.metrics.derive import BRAG_ORDER
from odreport.report import assurance_charts, charts, diverging_charts, spc_charts

PHONE = 390  # CSS px: a chart is shown at most this wide on a phone (report.css)
MIN_TEXT = 11  # px: the smallest chart text allowed at that width


def texts(svg: str) -> list[tuple[str, str, float]]:
    """(text, fill colour, font size) of every text element of an SVG, tspans joined by
    spaces."""
    out = []
    for attrs, body in re.findall(r"<text([^>]*?)(?:/>|>(.*?)</text>)", svg):
        words = re.findall(r"<tspan[^>]*>(.*?)</tspan>", body) or [body]
        fill = re.search(r'fill="([^"]+)"', attrs)
        size = re.search(r'font-size="([\d.]+)px"', attrs)
        out.append((" ".join(words), fill[1] if fill else "", float(size[1]) if size else 0.0))
    return out


def width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg)[1])


def assert_phone_legible(svg: str) -> None:
    """Shown PHONE px wide (scaled down from its own width), every text is MIN_TEXT px or more."""
    scale = min(1.0, PHONE / width(svg))
    smallest = min(size for _, _, size in texts(svg))
    assert smallest * scale >= MIN_TEXT, (width(svg), smallest)


@pytest.mark.parametrize(
    "colour", [*charts.BRAG_COLOURS.values(), *assurance_charts.RISK_BANDS.values()]
)
def test_label_ink_contrasts_at_least_4_5_to_1_with_every_status_and_band_colour(colour):
    assert charts.contrast(charts.ink(colour), colour) >= 4.5


def test_contrast_and_ink_worked_by_hand():
    assert charts.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert charts.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # NHS Blue: relative luminance 0.1148, so white on it is 1.05 / 0.1648 = 6.37
    assert charts.contrast("#ffffff", "#005EB8") == pytest.approx(6.37, abs=0.01)
    assert charts.ink("#E8EDEE") == charts.TEXT  # pale "Not rated": dark text, never white
    assert charts.ink("#ED8B00") == charts.TEXT  # amber
    assert charts.ink("#DA291C") == "#ffffff"  # red


def test_wrap_breaks_long_labels_at_spaces_only():
    assert charts.wrap("Partnerships and Engagement/relationship management", 20) == (
        "Partnerships and\nEngagement/relationship\nmanagement"
    )
    assert charts.wrap("Good governance") == "Good governance"


def _status_data() -> pd.DataFrame:
    """One theme with every status, one with two; the counts 1-6 say which is which."""
    rows = [("Leadership capability and capacity", b, i + 1) for i, b in enumerate(BRAG_ORDER)]
    rows += [("Good governance", BRAG_ORDER[0], 4), ("Good governance", BRAG_ORDER[3], 2)]
    frame = pd.DataFrame(rows, columns=["theme", "brag", "items"])
    return frame.assign(brag_order=frame["brag"].map(BRAG_ORDER.index))


def test_every_status_segment_and_legend_entry_says_its_status_without_colour():
    svg = charts.to_svg(charts.status_by_theme_chart(_status_data()))
    shown = texts(svg)
    marks = charts.STATUS_MARKS
    assert len(set(marks.values())) == len(BRAG_ORDER)  # a different mark for each status
    for i, brag in enumerate(BRAG_ORDER):
        colour = charts.BRAG_COLOURS[brag]
        # the segment: its count and its status's mark, in the colour that contrasts
        assert (f"{i + 1}{marks[brag]}", charts.ink(colour), charts.FONT_SIZE) in shown
        # the legend: the same mark beside the status's name
        assert f"{marks[brag]} {brag}" in [t for t, _, _ in shown]
    assert ("4✓", "#ffffff", charts.FONT_SIZE) in shown and ("2✕", "#ffffff", 13) in shown
    assert "Leadership capability and capacity" in [t for t, _, _ in shown]  # wrapped, whole
    assert_phone_legible(svg)


def test_every_heat_map_cell_names_its_band_without_colour():
    risks = pd.DataFrame(
        {
            "risk_ref": ["R1", "R2"],
            "severity": [5, 2],
            "likelihood": [4, 2],
            "residual_severity": [3, 1],
            "residual_likelihood": [3, 1],
        }
    )
    svg = charts.to_svg(assurance_charts.risk_heatmap(assurance_charts.risk_grid(risks)))
    shown = [t for t, _, _ in texts(svg)]
    # 5 × 5 cells per map, two maps; bands by rating S × L: red 15-25 (6 cells: 3×5, 5×3,
    # 4×4, 4×5, 5×4, 5×5), amber 8-12 (7 cells: 2×4, 4×2, 3×3, 2×5, 5×2, 3×4, 4×3), green
    # the other 12
    assert (shown.count("R"), shown.count("A"), shown.count("G")) == (12, 14, 24)
    assert {"Red (R)", "Amber (A)", "Green (G)"} <= set(shown)
    # counts: R1 inherent 5×4 and R2 inherent 2×2; residual 3×3 and 1×1: four cells of 1
    assert shown.count("1") >= 4
    for text, fill, _ in texts(svg):
        if text in {"R", "G"}:
            assert fill == "#ffffff"
        elif text == "A":
            assert fill == charts.TEXT
    assert_phone_legible(svg)


def test_maturity_and_xmr_charts_are_legible_on_a_phone():
    data = pd.DataFrame(
        {
            "domain": ["Clear and credible plan", "Collaborative arrangements with partners"],
            "score": [40.0, 24.0],
            "target": [60.0, None],
        }
    )
    assert_phone_legible(
        charts.to_svg(assurance_charts.maturity_chart(data, 100, "Score (percent)"))
    )
    labels = ["Jun 2012", "Jul 2012", "Aug 2012", "Sep 2012", "Oct 2012", "Nov 2012", "Dec 2012"]
    result = spc.xmr([7.0, 7.0, 7.0, 12.0, 24.0, 37.0, 54.0], labels, improvement="up")
    svg = charts.to_svg(spc_charts.xmr_chart(result, "Complete (%)"))
    assert_phone_legible(svg)
    # a period's label on two lines (month over year), so seven of them fit side by side
    assert "Jun 2012" in [t for t, _, _ in texts(svg)]
    assert "<tspan>Jun</tspan>" in svg


def test_diverging_chart_is_legible_on_a_phone():
    segments = pd.DataFrame(
        {
            "label": ["Q1 The CCG has a responsibility to make sure that all its members"] * 3,
            "option": ["Poor", "Satisfactory", "Good"],
            "valence": ["unfavourable", "neutral", "favourable"],
            "option_order": [0, 1, 2],
            "rank": [0, 0, 0],
            "percent": [10.0, 20.0, 70.0],
            "start": [-20.0, -10.0, 10.0],
            "end": [-10.0, 10.0, 80.0],
        }
    )
    apart = pd.DataFrame({"label": [segments["label"][0]], "text": ["Don't know 1; skipped 2"]})
    svg = charts.to_svg(diverging_charts.diverging_chart(segments, apart))
    shown = [t for t, _, _ in texts(svg)]
    assert "Don't know 1" in shown and "skipped 2" in shown  # one part a line
    assert "70%" in shown  # wide enough for its percentage
    assert "10%" not in shown  # too narrow at this size: in the data table only
    assert_phone_legible(svg)


def test_timeline_bars_end_with_their_status_mark():
    items = pd.DataFrame(
        {
            "action_ref": ["A1", "A2", "A3"],
            "start": pd.to_datetime(["2016-01-01", "2016-02-01", "2016-03-01"]),
            "current_due": pd.to_datetime(["2016-06-30", "2016-09-30", "2016-12-31"]),
            "brag": [BRAG_ORDER[0], BRAG_ORDER[3], BRAG_ORDER[4]],
        }
    )
    svg = charts.to_svg(charts.timeline_chart(items, "2016-06-30"))
    shown = [t for t, _, _ in texts(svg)]
    for brag in items["brag"]:
        assert shown.count(charts.STATUS_MARKS[brag]) == 1  # the bar's end
        assert f"{charts.STATUS_MARKS[brag]} {brag}" in shown  # the legend
    assert_phone_legible(svg)
