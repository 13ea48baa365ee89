"""Check what the narratives refer to, and warn about what the report will not show as written.

Critical (the report stops with exit code 3, like any invalid input):

- a narrative file for a period with no progress data (no report would show it);
- ``## Theme: <theme_ref>`` naming a theme not in ``themes.csv``;
- ``## Meeting: <date>`` naming a date that is not a meeting in ``meetings.csv``.

Warnings (the report is made, and lists them under data quality):

- raw HTML: shown as text, never as HTML;
- a link to anything but an ``http``, ``https`` or ``mailto`` address: only its label is shown;
- an image: never loaded (the report is self-contained); its description is shown instead.

Each problem names the file and line (``data/raw/<org>/narrative/<period>.md:<line>``).
"""

from __future__ import annotations

import re

import pandas as pd

from odreport.inputs.narrative import MEETING, THEME, Narrative, markdown
from odreport.inputs.problems import WARNING, Problem
from odreport.inputs.tables import Inputs

ALLOWED_SCHEMES = ("http", "https", "mailto")
_TAG_RE = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def allowed_link(target: str) -> bool:
    """Whether a link's target may be shown: an ``http:``, ``https:`` or ``mailto:`` address
    (never ``javascript:``, ``data:``, a file or a relative link)."""
    scheme, sep, rest = target.strip().partition(":")
    return bool(sep and rest) and scheme.lower() in ALLOWED_SCHEMES


def check_narratives(inputs: Inputs) -> list[Problem]:
    """Every problem with what the organisation's narratives refer to or contain."""
    problems: list[Problem] = []
    themes = _column(inputs, "themes", "theme_ref")
    meetings = _column(inputs, "meetings", "date")
    periods = _column(inputs, "progress", "period")
    for period, narrative in sorted(inputs.narratives.items()):
        if periods and period not in periods:  # (no progress rows at all: said already)
            problems.append(
                Problem(
                    narrative.file,
                    None,
                    None,
                    f"no progress data for {period} in progress.csv, so no report shows this "
                    "narrative (name the file after a reporting period)",
                )
            )
        for part in narrative.parts:
            if part.kind == THEME and themes is not None and part.key not in themes:
                problems.append(
                    Problem(
                        narrative.file,
                        part.line,
                        None,
                        f"unknown theme_ref {part.key!r} (themes.csv has "
                        f"{', '.join(sorted(themes)) or 'none'})",
                    )
                )
            if part.kind == MEETING and meetings is not None and part.key not in meetings:
                where = "meetings.csv has no meeting on that date"
                if "meetings" not in inputs.files:
                    where = "there is no meetings.csv"
                problems.append(
                    Problem(
                        narrative.file,
                        part.line,
                        None,
                        f"unknown meeting date {part.key} ({where})",
                    )
                )
        problems.extend(_content_warnings(narrative))
    return problems


def _column(inputs: Inputs, table: str, column: str) -> set[str] | None:
    """The values of a table's column as text; ``None`` when the table exists but could not be
    read (its own problems say why: no second message here)."""
    frame = inputs.get(table)
    if frame is None:
        return None if table in inputs.files else set()
    if column not in frame:
        return None
    values = frame[column].dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return set(values.dt.strftime("%Y-%m-%d"))
    return {str(v) for v in values}


def _content_warnings(narrative: Narrative) -> list[Problem]:
    """Raw HTML, links not shown as links, and images, each with its line. Messages quote tag
    names and link schemes only, never the text (it may hold what the report redacts)."""
    out = []
    html: dict[int, list[str]] = {}  # the tags of raw HTML, by line: one warning a line
    for line, token in _inline_tokens(narrative.text, html=True):
        if token.type in ("html_inline", "html_block"):
            html.setdefault(line, []).extend(t.lower() for t in _TAG_RE.findall(token.content))
    for line, tags in html.items():
        what = ", ".join(f"<{t}>" for t in dict.fromkeys(tags))
        out.append(
            Problem(
                narrative.file,
                line,
                None,
                f"raw HTML{f' ({what})' if what else ''} is shown as text, not as HTML "
                "(write Markdown instead)",
                WARNING,
            )
        )
    for line, token in _inline_tokens(narrative.text, html=False):
        if token.type == "link_open" and not allowed_link(str(token.attrGet("href") or "")):
            scheme = _SCHEME_RE.match(str(token.attrGet("href") or ""))
            what = f"link to a '{scheme[1].lower()}:' address" if scheme else "relative link"
            out.append(
                Problem(
                    narrative.file,
                    line,
                    None,
                    f"{what} is not shown: only http, https and mailto addresses are (its "
                    "label is shown as text)",
                    WARNING,
                )
            )
        elif token.type == "image":
            out.append(
                Problem(
                    narrative.file,
                    line,
                    None,
                    "image not shown (a report loads nothing from elsewhere): its description "
                    "is shown as text",
                    WARNING,
                )
            )
    return sorted(out, key=lambda p: p.row or 0)  # in the order of the file


def _inline_tokens(text: str, html: bool):
    """Every token of ``text`` with the (1-based) line it starts on: block tokens and, within
    each block of text, the inline tokens (which carry no line of their own: the block's)."""
    parser = markdown(html=html)
    parser.validateLink = lambda url: True  # every link is found; the report decides
    for token in parser.parse(text):
        line = token.map[0] + 1 if token.map else 0
        yield line, token
        for child in token.children or []:
            yield line, child
