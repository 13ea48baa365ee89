"""Local analysis in the report: its section, each notebook's heading, and what local
notebooks call to show a chart, a table or sentences as the standard sections do."""

from __future__ import annotations

import altair as alt
import pandas as pd

from odreport.report import local, registry
from odreport.report.data import report_data

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_the_section_is_listed_only_when_the_organisation_has_local_notebooks(facts, tables):
    plain = report_data(facts, **tables)
    assert registry.BY_ID["local_analysis"](plain) is None
    assert "Local analysis" not in [s.title for s in registry.contents(plain)]
    facts["local"] = [
        {"name": "01-engagement", "file": "notebooks/local/exampleshire/01-engagement.ipynb"},
        {"name": "02-workforce", "file": "notebooks/local/exampleshire/02-workforce.ipynb"},
    ]
    data = report_data(facts, **tables)
    titles = [s.title for s in registry.contents(data, registry.BODY)]
    assert titles[titles.index("Local analysis") + 1 :] == ["Data quality"]  # then appendices
    assert str(registry.BY_ID["local_analysis"](data)) == (
        '<h2 id="local-analysis">Local analysis</h2><p class="local-intro">Analysis the '
        "organisation keeps in notebooks of its own (notebooks/local/exampleshire/), run after "
        "the standard sections with this report's parameters: 01-engagement, 02-workforce.</p>"
    )


def test_a_notebooks_heading_names_it_and_its_file_escaped():
    assert str(
        local.notebook_heading("01-engagement", "notebooks/local/x/01-engagement.ipynb")
    ) == (
        '<h3 id="local-01-engagement">01-engagement</h3><p class="local-source">From '
        "notebooks/local/x/01-engagement.ipynb, run with this report's parameters.</p>"
    )
    assert "<script" not in local.notebook_heading(HOSTILE, HOSTILE)


def test_figure_table_and_paragraphs_are_shown_as_the_standard_sections_are():
    frame = pd.DataFrame({"team": ["A", HOSTILE], "share": [40, 75]})
    chart = alt.Chart(frame).mark_bar().encode(x="share:Q", y="team:N")
    html = str(local.figure(chart, f"Shares: {HOSTILE}", frame, "Share by team", numeric=["share"]))
    assert html.startswith('<figure class="chart"><div class="chart-svg"><svg role="img"')
    assert "<figcaption>Shares: " in html and "<details><summary>Data for this chart" in html
    assert '<td class="num">75</td>' in html
    assert "<script" not in html and 'onerror="' not in html
    table = str(local.table(frame, "Share by team", {"team": "Team", "share": "%"}, ["share"]))
    assert table.startswith('<div class="table-scroll short" role="region" tabindex="0"')
    assert '<table class="data"><caption>Share by team</caption>' in table  # in its scroll area
    assert '<th scope="col">Team</th><th scope="col">%</th>' in table
    assert "<script" not in table
    sentences = str(local.paragraphs("First.", HOSTILE))
    assert sentences == f"<p>First.</p><p>{ESCAPED}</p>"
