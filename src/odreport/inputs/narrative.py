"""Read the narrative people write for a report: ``data/raw/<org>/narrative/<period>.md``.

One Markdown file per reporting period (``YYYY-MM.md``), all optional. A file is cut into
sections by its level-2 headings, each of one of three forms (docs/input-format.md):

- ``## Summary``: commentary on the period, shown under the report's headline;
- ``## Theme: <theme_ref>``: commentary on one theme of ``themes.csv``, shown under status by
  theme;
- ``## Meeting: <YYYY-MM-DD>``: a note for one meeting of ``meetings.csv``, shown in the title
  block of the report prepared for that meeting.

An optional front matter block (``---`` lines around ``key: value`` lines) at the very top
says whether the text is ``illustrative`` (``yes``/``no``) and its ``source``. One level-1
heading may stand before the first section, as a title for the person editing the file; it is
not shown. Headings of level 3 to 6 inside a section are its sub-headings.

Reading finds the problems of the file itself (its name, encoding, front matter, headings,
control characters) as :class:`~odreport.inputs.problems.Problem` objects with the line they
are on; :mod:`odreport.checks.narrative` checks what the sections refer to. Headings are found
by a CommonMark parser (:func:`markdown`, also the parser the report renders with), so a
``##`` line inside a code block is text, as it is in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from markdown_it import MarkdownIt

from odreport.inputs.problems import WARNING, Problem

FOLDER = "narrative"
FILE_RE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))\.md$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
SUMMARY, THEME, MEETING = "summary", "theme", "meeting"
HEADINGS = "'## Summary', '## Theme: <theme_ref>' or '## Meeting: <YYYY-MM-DD>'"
FRONT_MATTER_KEYS = ("illustrative", "source")

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no narrative may hold: C0 and C1 controls except tab, line feed and carriage
return (a vertical tab is Word's line break); bidirectional embeddings, overrides and isolates,
which can make text read differently from what it says. Each is replaced by a space."""

_SECTION_RE = re.compile(r"^(summary|theme|meeting)\s*(?::\s*(.*))?$", re.IGNORECASE)


def markdown(html: bool = False) -> MarkdownIt:
    """The Markdown parser of narratives: CommonMark with tables and strikethrough.

    With ``html`` off (the report's setting) raw HTML is not recognised: it stays text, and is
    shown escaped. :mod:`odreport.checks.narrative` turns it on only to find raw HTML and warn.
    """
    return MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Part:
    """One section of a narrative: its kind, key (theme_ref, meeting date, or ``""`` for the
    summary), the line of its heading, and its Markdown (the lines below the heading)."""

    kind: str
    key: str
    line: int
    markdown: str


@dataclass(frozen=True)
class Narrative:
    """The narrative of one reporting period."""

    period: str
    path: Path
    file: str  # as named in messages: data/raw/<org>/narrative/<period>.md
    text: str  # the whole file, front matter blanked out (line numbers are the file's)
    parts: tuple[Part, ...] = ()
    illustrative: bool = False
    source: str = ""

    def facts(self) -> dict:
        """What a report shows of it, as plain data: the summary's Markdown, each theme's and
        each meeting's (by theme_ref and by date), whether it is illustrative, its source."""
        return {
            "file": self.file,
            "illustrative": self.illustrative,
            "source": self.source,
            "summary": next((p.markdown for p in self.parts if p.kind == SUMMARY), ""),
            "themes": {p.key: p.markdown for p in self.parts if p.kind == THEME},
            "meetings": {p.key: p.markdown for p in self.parts if p.kind == MEETING},
        }


@dataclass
class Read:
    """Every narrative of an organisation, by period, and the problems found reading them."""

    narratives: dict[str, Narrative] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def display(path: Path) -> str:
    """A raw file as named in messages: from ``data/`` on (as the tables are named)."""
    parts = path.parts
    if "data" in parts:
        i = len(parts) - 1 - parts[::-1].index("data")
        return "/".join(parts[i:])
    return path.name


def read_narratives(raw_dir: Path) -> Read:
    """Read ``<raw_dir>/narrative/*.md``; a missing folder is no narrative at all."""
    out = Read()
    folder = raw_dir / FOLDER
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue  # editors' and the desktop's own files
        name = display(path)
        match = FILE_RE.match(path.name)
        if path.suffix.lower() != ".md" or not path.is_file():
            out.problems.append(
                Problem(
                    name, None, None, "not a narrative file, ignored (expected YYYY-MM.md)", WARNING
                )
            )
            continue
        if not match:
            out.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "narrative file name is not a reporting period (expected YYYY-MM.md, "
                    "e.g. 2016-06.md)",
                )
            )
            continue
        narrative = parse(path.read_bytes(), match[1], path, name, out.problems)
        if narrative is not None:
            out.narratives[narrative.period] = narrative
    return out


def parse(
    data: bytes, period: str, path: Path, name: str, problems: list[Problem]
) -> Narrative | None:
    """One narrative file's sections; its problems are added to ``problems``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, None, "not UTF-8 text (save the file with UTF-8 encoding)")
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_controls(text, name, problems)
    lines = text.split("\n")
    meta, lines = _front_matter(lines, name, problems)
    illustrative = meta.get("illustrative", "no").lower() == "yes"
    text = "\n".join(lines)
    headings = _headings(text)
    sections = [h for h in headings if h.level == 2]
    first = sections[0].start if sections else len(lines)
    titles = [h for h in headings if h.level == 1]
    for h in titles:
        if h.start >= first or any(ln.strip() for ln in lines[: h.start]):
            problems.append(
                Problem(
                    name,
                    h.start + 1,
                    None,
                    f"level-1 heading '# {h.title}' is allowed only as the title at the top "
                    f"(sections are {HEADINGS})",
                )
            )
    before = [
        i
        for i, ln in enumerate(lines[:first])
        if ln.strip() and not any(h.start <= i < h.body for h in titles)
    ]
    if before:
        problems.append(
            Problem(
                name,
                before[0] + 1,
                None,
                f"text before the first section heading is not shown (start sections with {HEADINGS})",
                WARNING,
            )
        )
    parts: list[Part] = []
    seen: dict[tuple[str, str], int] = {}
    for h in sections:
        end = min([g.start for g in headings if g.start > h.start] + [len(lines)])
        kind, key, why = _section(h.title)
        if why:
            problems.append(Problem(name, h.start + 1, None, why))
            continue
        if (kind, key) in seen:
            problems.append(
                Problem(
                    name,
                    h.start + 1,
                    None,
                    f"section '## {h.title}' repeated (first at line {seen[(kind, key)]}); "
                    "keep one",
                )
            )
            continue
        seen[(kind, key)] = h.start + 1
        parts.append(Part(kind, key, h.start + 1, "\n".join(lines[h.body : end]).strip("\n")))
    return Narrative(
        period=period,
        path=path,
        file=name,
        text=text,
        parts=tuple(parts),
        illustrative=illustrative,
        source=meta.get("source", ""),
    )


class _Heading(NamedTuple):
    level: int  # 1 or 2
    start: int  # its first line (0-based)
    body: int  # the line after it
    title: str


def _headings(text: str) -> list[_Heading]:
    """The level-1 and level-2 headings of ``text`` (ATX ``##`` or setext underlined), in
    order; a ``#`` line in a code block is not a heading."""
    tokens = markdown().parse(text)
    return [
        _Heading(int(tok.tag[1]), tok.map[0], tok.map[1], tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag in ("h1", "h2") and tok.map
    ]


def _section(title: str) -> tuple[str, str, str]:
    """A section heading's kind and key, or why it is not a section heading."""
    malformed = f"heading '## {title}' is not a narrative section (expected {HEADINGS})"
    m = _SECTION_RE.match(title)
    if not m:
        return "", "", malformed
    kind, key = m[1].lower(), (m[2] or "").strip()
    if kind == SUMMARY:
        return (SUMMARY, "", "") if m[2] is None else ("", "", malformed)
    if not key:
        return "", "", malformed
    if kind == MEETING and not DATE_RE.match(key):
        return (
            "",
            "",
            f"meeting date {key!r} is not written YYYY-MM-DD (e.g. '## Meeting: 2016-07-13')",
        )
    return kind, key, ""


def _front_matter(
    lines: list[str], name: str, problems: list[Problem]
) -> tuple[dict[str, str], list[str]]:
    """The front matter's values, and the lines with the front matter blanked (so that every
    line keeps its number)."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(name, 1, None, "front matter not closed (expected a '---' line)"))
        return {}, [""] * len(lines)
    meta: dict[str, str] = {}
    for i in range(1, end):
        line = lines[i].strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in FRONT_MATTER_KEYS:
            problems.append(
                Problem(
                    name,
                    i + 1,
                    None,
                    f"front matter line {line!r} is not one of "
                    + ", ".join(f"'{k}: …'" for k in FRONT_MATTER_KEYS),
                )
            )
        elif key == "illustrative" and value.lower() not in ("yes", "no"):
            problems.append(
                Problem(name, i + 1, None, f"illustrative must be yes or no (found {value!r})")
            )
        else:
            meta[key] = value
    return meta, [""] * (end + 1) + lines[end + 1 :]


def _replace_controls(text: str, name: str, problems: list[Problem]) -> str:
    """Control and bidirectional-override characters replaced by spaces, one warning a line."""
    if not CONTROL_RE.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = CONTROL_RE.findall(line)
        if found:
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
            problems.append(
                Problem(
                    name,
                    i + 1,
                    None,
                    f"control character {codes} replaced by a space",
                    WARNING,
                )
            )
            lines[i] = CONTROL_RE.sub(" ", line)
    return "\n".join(lines)
