"""HTML building blocks for the report notebook: escaped, accessible, deterministic.

All text that comes from inputs passes through :func:`html.escape`, so a ``<script>`` typed
into a spreadsheet cell appears in the report as those characters. Functions return
:class:`IPython.display.HTML` objects ready to display in a notebook cell.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import pandas as pd
from IPython.display import HTML

# ``charts`` (and with it Altair, 0.4 s) is imported where a chart or colour is drawn, not here:
# the pipeline process uses :func:`esc` (for the reports index) and never draws.


def esc(value: object) -> str:
    """Escape any value for HTML text; blanks (None, NaN) become an empty string."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def slug(text: str) -> str:
    """A stable anchor id from a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _number_text(value: object) -> object:
    """Whole numbers without a decimal point (``151.0`` → ``151``); text unchanged."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return str(int(number)) if number.is_integer() and "." in value else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _multiline(value: object) -> str:
    return "<br>".join(esc(line) for line in str(value).splitlines()) if esc(value) else ""


def table(
    frame: pd.DataFrame,
    caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
    row_header: str | None = None,
    brag_column: str | None = None,
) -> str:
    """An accessible table: caption, scoped headers, escaped cells, line breaks kept.

    ``brag_column`` cells are shown as a colour swatch plus the status word.
    """
    columns = columns or {c: c for c in frame.columns}
    out = [f'<table class="data"><caption>{esc(caption)}</caption><thead><tr>']
    out += [f'<th scope="col">{esc(label)}</th>' for label in columns.values()]
    out.append("</tr></thead><tbody>")
    for _, row in frame.iterrows():
        out.append("<tr>")
        for col in columns:
            cls = ' class="num"' if col in numeric else ""
            if col == brag_column:
                cell = brag_badge(str(row[col]))
            elif col in numeric:
                cell = esc(_number_text(row[col]))
            else:
                cell = _multiline(row[col])
            if col == row_header:
                out.append(f'<th scope="row"{cls}>{cell}</th>')
            else:
                out.append(f"<td{cls}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def figure(
    chart,
    summary: str,
    data: pd.DataFrame,
    data_caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
) -> HTML:
    """A chart as inline SVG with a text alternative, a caption and its data in a table.

    The SVG gets ``role="img"`` and an ``aria-label`` holding the one-line summary; the data
    table sits in a ``<details>`` element, collapsed by default.
    """
    from odreport.report.charts import to_svg

    svg = to_svg(chart)
    # The chart is one image to assistive technology: drop Vega's per-mark roles and labels,
    # then label the whole SVG with the summary (the data table follows for detail).
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"', "", svg)
    svg = re.sub(r"^<svg ", f'<svg role="img" aria-label="{esc(summary)}" ', svg, count=1)
    return HTML(
        f'<figure class="chart"><div class="chart-svg">{svg}</div>'
        f"<figcaption>{esc(summary)}</figcaption>"
        f"<details><summary>Data for this chart</summary>"
        f"{table(data, data_caption, columns, numeric)}</details></figure>"
    )


def heading(text: str, level: int = 2) -> HTML:
    """A section heading with a stable anchor for the table of contents."""
    return HTML(f'<h{level} id="{slug(text)}">{esc(text)}</h{level}>')


def paragraphs(sentences: Iterable[str], cls: str = "") -> HTML:
    """Sentences as paragraphs (escaped)."""
    attr = f' class="{cls}"' if cls else ""
    return HTML("".join(f"<p{attr}>{esc(s)}</p>" for s in sentences))


def notice(text: str) -> HTML:
    """A visible notice box (e.g. illustrative figures)."""
    return HTML(f'<div class="notice" role="note"><strong>Note:</strong> {esc(text)}</div>')


def contents(sections: Sequence[str]) -> HTML:
    """A table of contents linking to the section headings."""
    links = "".join(f'<li><a href="#{slug(s)}">{esc(s)}</a></li>' for s in sections)
    return HTML(
        f'<nav aria-label="Contents" class="toc"><h2 id="contents">Contents</h2><ol>{links}</ol></nav>'
    )


def brag_badge(category: str) -> str:
    """A BRAG cell: coloured swatch plus the word, so colour is not the only carrier."""
    from odreport.report.charts import BRAG_COLOURS

    colour = BRAG_COLOURS.get(category, "#ffffff")
    return (
        f'<span class="brag"><span class="swatch" style="background:{colour}" aria-hidden="true">'
        f"</span>{esc(category)}</span>"
    )


def key_figures(figures: Sequence[tuple[str, str]]) -> HTML:
    """A row of key figures (value, label)."""
    cells = "".join(
        f'<div class="kf"><span class="kf-value">{esc(v)}</span><span class="kf-label">{esc(k)}</span></div>'
        for k, v in figures
    )
    return HTML(f'<div class="key-figures">{cells}</div>')


def definition_list(pairs: Sequence[tuple[str, object]]) -> HTML:
    """Label/value pairs."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs)
    return HTML(f'<dl class="meta">{items}</dl>')


def raw_table(
    frame: pd.DataFrame,
    caption: str,
    columns: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
    row_header: str | None = None,
) -> HTML:
    """:func:`table` wrapped for display."""
    return HTML(table(frame, caption, columns, numeric, row_header))
