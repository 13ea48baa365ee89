"""What tables and figures show, and how numbers are written."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from odreport.report import present
from odreport.report.templating import render

NUMBERS = [
    (151.0, "151"),
    ("151.0", "151"),
    ("151", "151"),
    (12.5, "12.5"),
    ("12%", "12%"),
    (None, ""),
    (math.nan, ""),
    (pd.NA, ""),
    (7, "7"),
]


@pytest.mark.parametrize("value, shown", NUMBERS)
def test_number_text(value, shown):
    assert present.number_text(value) == shown


@pytest.mark.parametrize(
    "value, shown", [(12.5, "13%"), (12.49, "12%"), (0.5, "1%"), (100, "100%"), (None, "")]
)
def test_pct_text_rounds_half_up(value, shown):
    assert present.pct_text(value) == shown


def test_count_text_and_plural():
    assert present.count_text(12.0) == "12" and present.count_text(pd.NA) == ""
    assert present.plural(1, "wave") == "wave" and present.plural(2, "wave") == "waves"
    assert present.plural(0, "body", "bodies") == "bodies"


def test_table_cells():
    frame = pd.DataFrame(
        {"ref": ["A1"], "status": ["Off track"], "n": [3.0], "note": ["a\nb"], "x": [1]}
    )
    table = present.table(
        frame,
        "Caption",
        {"ref": "Ref", "status": "Status", "n": "N", "note": "Note"},
        numeric=["n"],
        row_header="ref",
        brag_column="status",
    )
    assert table.headings == ("Ref", "Status", "N", "Note")
    ref, status, n, note = table.rows[0]
    assert ref.header and not ref.numeric
    assert status.brag and status.colour == "#DA291C"
    assert n.text == "3" and n.numeric
    assert note.lines == ["a", "b"]
    html = render("sections/figures.html.j2", figures=[], tables=[table])
    assert html == (
        '<div class="table-scroll short" role="region" tabindex="0" aria-label="Caption">'
        '<table class="data"><caption>Caption</caption><thead><tr><th scope="col">Ref</th>'
        '<th scope="col">Status</th><th scope="col">N</th><th scope="col">Note</th></tr>'
        '</thead><tbody><tr><th scope="row">A1</th><td><span class="brag"><span class="swatch" '
        'style="background:#DA291C" aria-hidden="true"></span>Off track</span></td>'
        '<td class="num">3</td><td>a<br>b</td></tr></tbody></table></div>'
    )


def test_figure_labels_the_whole_svg_with_its_text_alternative():
    chart = alt.Chart(pd.DataFrame({"x": ["a"], "y": [1]})).mark_bar().encode(x="x", y="y")
    fig = present.figure(chart, 'Bars "quoted" <b>', pd.DataFrame({"x": ["a"]}), "Data")
    assert not fig.svg.startswith("<svg") and 'role="graphics-symbol"' not in fig.svg
    html = render("sections/figures.html.j2", figures=[fig], tables=[])
    label = "Bars &quot;quoted&quot; &lt;b&gt;"
    assert html.startswith(
        f'<figure class="chart"><div class="chart-svg"><svg role="img" aria-label="{label}" '
    )
    svg = html.split("</svg>", 1)[0]
    assert svg.count(" role=") == 1 and " aria-label=" not in svg.split(label, 1)[1]
    assert f"<figcaption>{label}</figcaption>" in html
    assert (
        '<details><summary>Data for this chart</summary><div class="table-scroll short" '
        'role="region" tabindex="0" aria-label="Data"><table' in html
    )


def test_icons_are_the_package_files_with_their_text():
    from odreport.metrics.spc import ASSURANCE_ICONS, VARIATION_ICONS

    for icon in [*VARIATION_ICONS.values(), *ASSURANCE_ICONS.values()]:
        svg = present.icon_svg(icon.key)
        assert svg.startswith("<svg ") and 'role="img"' in svg
        assert f'aria-label="{icon.label}"' in svg and f"<title>{icon.label}</title>" in svg
    with pytest.raises(ValueError, match="no Making Data Count icon"):
        present.icon_svg("../odreport/report.css")
