"""The data behind the report's building blocks (tables, figures) and how numbers are written.

Python prepares what a block shows (cell texts, which cells are numbers or row headers, a
chart's text alternative) and the templates in ``templates/sections/blocks.html.j2`` turn it
into accessible HTML: captions, scoped headers, escaped cells, line breaks kept, BRAG cells as
a colour swatch plus the word. A chart's SVG is the only markup made in Python (by
:mod:`odreport.report.charts`, which escapes its labels).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from odreport.metrics.derive import NO_LEAD, fmt_date, pct_round
from odreport.report.templating import text

# ``charts`` (and with it Altair, 0.4 s) is imported where a chart or colour is drawn, not
# here: the pipeline process renders the report list (catalogue) and never draws.


def number_text(value: object) -> str:
    """A number as a table shows it: whole numbers without a decimal point (``151.0`` →
    ``151``, also when written as text); other values as they are; blank when missing."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return str(int(number)) if number.is_integer() and "." in value else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)


def pct_text(value: object) -> str:
    """A percentage, whole, rounded half up (:func:`odreport.metrics.derive.pct_round`);
    blank when missing."""
    if value is None or pd.isna(value):
        return ""
    return f"{pct_round(float(value))}%"


def count_text(value: object) -> str:
    """A count; blank when missing."""
    return "" if value is None or pd.isna(value) else str(int(value))


def plural(n: int, word: str, many: str | None = None) -> str:
    """``word`` for one, else ``many`` (default ``word + "s"``)."""
    return word if n == 1 else (many or word + "s")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and how it is shown."""

    text: str
    numeric: bool = False
    header: bool = False
    colour: str = ""  # a BRAG cell's swatch colour
    icon: Markup | None = None  # a Making Data Count icon shown before the text

    @property
    def brag(self) -> bool:
        return bool(self.colour)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True)
class Table:
    """An accessible table: a caption, column headings and rows of cells."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def table(
    frame: pd.DataFrame,
    caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
    row_header: str | None = None,
    brag_column: str | None = None,
) -> Table:
    """A table of ``frame``'s ``columns`` (key: heading), in their order.

    ``numeric`` columns are right-aligned and written by :func:`number_text`; the
    ``row_header`` column heads its row; ``brag_column`` cells show a BRAG swatch and word.
    """
    columns = columns or {c: c for c in frame.columns}
    colours = brag_colours() if brag_column else {}
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for key in columns:
            value = record[key]
            if key == brag_column:
                shown = str(value)
            elif key in numeric:
                shown = number_text(value)
            else:
                shown = text(value)
            cells.append(
                Cell(
                    shown,
                    numeric=key in numeric,
                    header=key == row_header,
                    colour=colours.get(shown, "#ffffff") if key == brag_column else "",
                )
            )
        rows.append(tuple(cells))
    return Table(caption, tuple(columns.values()), tuple(rows))


@dataclass(frozen=True)
class Figure:
    """A chart with its text alternative, shown as a caption and as the SVG's label, and its
    data as a table."""

    svg: Markup  # the chart's SVG without its opening "<svg "
    alt_text: str
    data: Table


_MARK_ROLES = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def chart_svg(chart) -> Markup:
    """A chart drawn as SVG (:func:`odreport.report.charts.to_svg`), as one image to assistive
    technology: Vega's per-mark roles and labels dropped. Returned without its opening
    ``<svg `` so the template can label the whole image."""
    from odreport.report.charts import to_svg

    svg = _MARK_ROLES.sub("", to_svg(chart))
    if not svg.startswith("<svg "):
        raise ValueError("the chart renderer did not return an SVG image")
    return Markup(svg[len("<svg ") :])


def figure(
    chart,
    alt_text: str,
    data: pd.DataFrame,
    data_caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
) -> Figure:
    """A chart with a one-line text alternative and its data as a table (collapsed)."""
    return Figure(chart_svg(chart), alt_text, table(data, data_caption, columns, numeric))


def brag_colours() -> dict[str, str]:
    """The swatch colour of each BRAG category."""
    from odreport.report.charts import BRAG_COLOURS

    return BRAG_COLOURS


ICONS = Path(__file__).resolve().parent / "templates" / "icons"


@cache
def icon_svg(key: str) -> Markup:
    """A Making Data Count icon as inline SVG (``templates/icons/<key>.svg``: a static file of
    the package with ``role="img"``, an ``aria-label`` and a ``<title>``)."""
    path = ICONS / f"{key}.svg"
    if not path.is_file():
        raise ValueError(f"no Making Data Count icon {key!r}")
    return Markup(path.read_text(encoding="utf-8").strip())


def date_text(iso: str) -> str:
    """A date given as ISO text, as the report writes it (``13 July 2016``)."""
    return fmt_date(pd.Timestamp(iso))


def lead_text(lead: object) -> str:
    """A lead as a table shows it: ``No lead named`` when the source names none."""
    return text(lead) or NO_LEAD
