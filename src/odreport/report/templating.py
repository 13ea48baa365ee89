"""The report's HTML comes from Jinja2 templates in ``templates/``, with autoescaping on.

Two kinds of template, each with its own environment:

- **fragments** (``templates/sections/``): one template per report section, plus the building
  blocks they share (``sections/blocks.html.j2``). A section is displayed as one notebook
  output, on one line as it always was: in these templates a line break and the indentation
  after it are layout only, removed before the template is compiled (:class:`JoinLines`). Keep
  a sentence on one line, and never break a line inside ``{{ }}`` or ``{% %}``.
- **pages** (``templates/catalogue.html.j2``, the list of rendered reports): line breaks are
  kept as written.

(``templates/odreport/`` is nbconvert's *page template* for a report; nbconvert renders it,
not this module.)

Escaping: every ``{{ value }}`` passes through :func:`escape` (``html.escape``, quotes
included; ``None`` and NaN shown as nothing) unless it is already markup: the result of a
macro or template, or a chart's SVG (:mod:`odreport.report.charts`, passed as
:class:`markupsafe.Markup` by :mod:`odreport.report.present`). Python code passes data only.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
FRAGMENTS = "sections/"


def text(value: object) -> str:
    """Any value as text; blanks (``None``, NaN, NA) become an empty string."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def escape(value: object) -> Markup:
    """A value as HTML: markup unchanged, anything else as escaped text (see :func:`text`)."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(text(value), quote=True))


def slug(title: str) -> str:
    """A stable anchor id from a heading."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class JoinLines(Extension):
    """Fragments are written over many lines for people; their output is one line."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is not None and name.startswith(FRAGMENTS):
            return re.sub(r"\n[ \t]*", "", source)
        return source


@cache
def environment() -> Environment:
    """The report's template environment (autoescaping, strict about undefined names)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=escape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=[JoinLines],
    )
    env.filters["slug"] = slug
    return env


def render(template: str, **context: object) -> Markup:
    """Render ``templates/<template>`` with ``context`` (data, not markup)."""
    return Markup(environment().get_template(template).render(**context))
