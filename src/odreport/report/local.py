"""Local analysis: an organisation's own notebooks, ``notebooks/local/<org>/*.ipynb``, shown in
its reports after the standard sections, under the heading "Local analysis".

For the report: the section's introduction (:func:`local_analysis`, listed in the registry and
the contents when the organisation has local notebooks) and each notebook's heading
(:func:`notebook_heading`). :mod:`odreport.publish.local` runs the notebooks and places their
outputs under that heading.

For local notebooks: :func:`figure`, :func:`table` and :func:`paragraphs` show a chart, a
table or sentences as the standard sections do (a chart as a static SVG image with its one-line
text alternative and its data as a table; text escaped); ``report.show`` displays them. Only
HTML outputs reach the report, and none may run a script or load anything from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from markupsafe import Markup

from odreport.report import present
from odreport.report.data import ReportData
from odreport.report.templating import render

TITLE = "Local analysis"
FOLDER = "local"  # notebooks/local/<org>/


def notebooks(data: ReportData) -> list[dict]:
    """The local notebooks this report shows: ``name`` and ``file`` of each, in run order."""
    return list(data.facts.get("local") or [])


def local_analysis(data: ReportData) -> Markup:
    """The section's introduction: which notebooks follow, and how they were run."""
    return render(
        "sections/local_analysis.html.j2",
        org=data.org["org_id"],
        names=[n["name"] for n in notebooks(data)],
    )


def notebook_heading(name: str, file: str) -> Markup:
    """The heading over one local notebook's outputs: its name, and where it is kept."""
    return render("sections/local_notebook.html.j2", name=name, file=file)


def figure(
    chart,
    alt_text: str,
    data: pd.DataFrame,
    data_caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
) -> Markup:
    """A chart as the report draws one: static SVG labelled with ``alt_text`` (also its
    caption), and ``data`` as a table under "Data for this chart"."""
    shown = present.figure(chart, alt_text, data, data_caption, columns, numeric)
    return render("sections/figures.html.j2", figures=[shown], tables=[])


def table(
    frame: pd.DataFrame,
    caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
) -> Markup:
    """A table as the report shows one: a caption, column headings, numbers right-aligned."""
    shown = present.table(frame, caption, columns, numeric)
    return render("sections/figures.html.j2", figures=[], tables=[shown])


def paragraphs(*sentences: str) -> Markup:
    """Sentences as paragraphs, escaped."""
    return render("sections/local_paragraphs.html.j2", sentences=list(sentences))
