"""The narrative people write, shown where it belongs: commentary on the period under
progress against the plan, commentary on each theme under status by theme, and the note for a
meeting in the title block of the report prepared for that meeting.

The Markdown (``facts["narrative"]``, from :mod:`odreport.inputs.narrative`) is rendered by
markdown-it-py, the same CommonMark parser that read it, then sanitised by nh3 (the Ammonia
HTML sanitiser):

- raw HTML is not recognised: ``<script>`` or ``<table>`` written in a narrative is shown as
  text, escaped;
- no link is made: a link's label is shown followed by its target as text,
  ``label (https://…)``, and only for ``http``, ``https`` and ``mailto`` targets (a
  ``javascript:``, ``data:``, file or relative target is dropped, its label kept); an image is
  never loaded, its description is shown instead;
- every text, code and link target is redacted (e-mail addresses and telephone numbers,
  :func:`redact`);
- nh3 keeps only the tags Markdown makes (paragraphs, emphasis, lists, quotes, code, tables,
  sub-headings) and no attribute at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import nh3
import pandas as pd
from markdown_it.token import Token
from markupsafe import Markup

from odreport.checks.narrative import allowed_link
from odreport.inputs.narrative import markdown
from odreport.metrics import redaction
from odreport.metrics.derive import fmt_date
from odreport.report.templating import render

if TYPE_CHECKING:  # for type hints only: no import at run time
    from odreport.report.data import ReportData

TAGS = frozenset(
    {
        "p", "em", "strong", "s", "code", "pre", "blockquote", "ul", "ol", "li", "br", "hr",
        "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
"""The only tags a rendered narrative may hold (with no attributes)."""

IMAGE_NOT_SHOWN = "(image not shown)"


def redact(text: str) -> str:
    """E-mail addresses and telephone numbers in narrative text replaced by a mark: the one
    call into the redaction rules (those of survey comments), so they can be swapped in one
    place."""
    return redaction.redact(text)


def to_html(text: str, level: int = 3, top: int = 3) -> Markup:
    """A narrative section's Markdown as safe, redacted HTML. Its headings of level ``top``
    (``###`` in a narrative section) become ``<h{level}>``, those below one level lower each,
    at most ``<h6>`` (a heading above ``top`` is shown at ``level`` too)."""
    parser = markdown()
    parser.validateLink = lambda url: True  # every link is found here, and shown as text
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, level + max(0, int(token.tag[1]) - top))}"
        elif token.type in ("code_block", "fence"):
            token.content = redact(token.content)
        elif token.children:
            token.children = _inline(token.children, parser)
    html = parser.renderer.render(tokens, parser.options, {})
    return Markup(nh3.clean(html, tags=set(TAGS), attributes={}, link_rel=None))


def _inline(children: list[Token], parser) -> list[Token]:
    """Inline tokens with links and images turned into text, and all text redacted."""
    out: list[Token] = []
    links: list[tuple[int, str]] = []  # open links: where the label starts, the target shown
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            shown = parser.normalizeLinkText(href) if allowed_link(href) else ""
            links.append((len(out), "" if token.markup == "autolink" else shown))
        elif token.type == "link_close":
            start, target = links.pop()
            label = "".join(t.content for t in out[start:] if t.type in ("text", "code_inline"))
            if target and target != label and target.removeprefix("mailto:") != label:
                out.append(_text(f" ({target})"))
        elif token.type == "image":
            alt = token.content.strip()
            out.append(_text(f"{alt} {IMAGE_NOT_SHOWN}" if alt else IMAGE_NOT_SHOWN))
        else:
            out.append(token)
    for token in out:
        if token.type in ("text", "code_inline"):
            token.content = redact(token.content)
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def facts(data: ReportData) -> dict:
    """The narrative of this report's period (empty when there is none)."""
    return data.facts.get("narrative") or {}


def commentary(data: ReportData) -> Markup:
    """Commentary on the period (``## Summary``), for under progress against the plan."""
    text = facts(data).get("summary", "")
    if not text:
        return Markup("")
    return render(
        "sections/commentary.html.j2", title="Commentary on the period", body=to_html(text, 4)
    )


def by_theme(data: ReportData) -> Markup:
    """Commentary on each theme (``## Theme: <theme_ref>``), in the plan's order of themes,
    for under status by theme."""
    written = facts(data).get("themes", {})
    if not written:
        return Markup("")
    themes = [
        (f"{row.theme} ({row.theme_ref}): commentary", to_html(written[row.theme_ref], 4))
        for row in data.themes.itertuples()
        if written.get(row.theme_ref)
    ]
    return render("sections/theme_commentary.html.j2", themes=themes)


def meeting_note(data: ReportData) -> tuple[str, Markup] | None:
    """The note for the meeting this report is prepared for (``## Meeting: <date>``): its
    heading and body, or ``None``."""
    meeting = data.facts.get("meeting") or {}
    text = facts(data).get("meetings", {}).get(str(meeting.get("date", ""))[:10], "")
    if not text:
        return None
    when = fmt_date(pd.Timestamp(meeting["date"]))
    return f"Note for the {meeting['body']} meeting on {when}", to_html(text, 3)


NOTE = (
    "The commentary in this report ({file}) is illustrative, for demonstration only: it was "
    "not written by the organisation."
)


def notes(data: ReportData) -> list[str]:
    """The title block's note that the narrative is illustrative, when it is."""
    given = facts(data)
    if not given.get("illustrative"):
        return []
    note = NOTE.format(file=given["file"])
    return [note + (f" Source: {given['source']}." if given.get("source") else "")]
