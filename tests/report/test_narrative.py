"""The narrative people write, rendered safely and redacted, where it belongs in the report."""

from __future__ import annotations

import re

import pytest

from odreport.report import narrative, registry
from odreport.report.data import report_data

HOSTILE = (
    'Hello *team* <script>alert(1)</script> and <img src=x onerror="alert(2)">.\n'
    "Read [the plan](https://www.example.nhs.uk/plan) or [click](javascript:alert(3)) or "
    "[raw](data:text/html;base64,PHNjcmlwdD4=) or [page](report.html).\n"
    "Write to jane.doe@example.nhs.uk or <bob@example.nhs.uk> or [me](mailto:ann@example.nhs.uk),"
    " call 01709 302000.\n"
    "![chart](https://example.org/c.png)\n"
    "\n"
    '<table><tr><td onclick="alert(4)">cell</td></tr></table>\n'
    "\n"
    "### Detail\n"
    "\n"
    "- `code jane.doe@example.nhs.uk`\n"
    "\n"
    "```\n"
    "<b>fenced</b> 07700 900123\n"
    "```\n"
)


def _tags(html: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)}


def test_hostile_markdown_is_shown_as_text_and_redacted():
    html = narrative.to_html(HOSTILE, level=4)
    # only the tags Markdown makes, and no attribute on any of them
    assert _tags(html) <= narrative.TAGS
    assert not re.search(r"<[a-z0-9]+\s", html)
    assert "<script" not in html and "<img" not in html and "<table><tr><td" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&lt;table&gt;&lt;tr&gt;&lt;td onclick="alert(4)"&gt;cell' in html
    # links: label and target as text for http(s) and mailto; only the label otherwise
    assert "the plan (https://www.example.nhs.uk/plan)" in html
    assert " click or raw or page." in html
    assert "javascript" not in html and "data:" not in html and "report.html" not in html
    assert "chart (image not shown)" in html
    # e-mail addresses and telephone numbers redacted everywhere, code included
    assert "@" not in html
    assert (
        "Write to [e-mail address removed] or [e-mail address removed] or me (mailto:[e-mail address removed])"
        in html
    )
    assert "call [telephone number removed]." in html
    assert "<code>code [e-mail address removed]</code>" in html
    assert "&lt;b&gt;fenced&lt;/b&gt; [telephone number removed]" in html
    # sub-headings start at the level asked for
    assert "<h4>Detail</h4>" in html


def test_sub_headings_move_down_and_stop_at_h6():
    html = narrative.to_html("### Three\n#### Four\n###### Six\n", level=3)
    assert html == "<h3>Three</h3>\n<h4>Four</h4>\n<h6>Six</h6>\n"
    assert "<h6>Six</h6>" in narrative.to_html("###### Six\n", level=5)


def test_a_link_whose_label_is_its_target_is_shown_once():
    html = narrative.to_html("<https://www.nhs.uk> and [https://www.nhs.uk](https://www.nhs.uk)")
    assert html == "<p>https://www.nhs.uk and https://www.nhs.uk</p>\n"


def test_markdown_tables_lists_and_quotes_are_kept():
    html = narrative.to_html("| a | b |\n|---|--:|\n| 1 | 2 |\n\n> quoted\n\n1. one\n2. two\n")
    assert "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>" in html
    assert "<td>2</td>" in html  # alignment dropped: no attributes
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<ol>\n<li>one</li>\n<li>two</li>\n</ol>" in html


def _with_narrative(facts, tables, **given):
    facts["narrative"] = {
        "file": "data/raw/exampleshire/narrative/2016-03.md",
        "illustrative": False,
        "source": "",
        "summary": "",
        "themes": {},
        "meetings": {},
        **given,
    }
    return report_data(facts, **tables)


def test_the_summary_is_shown_under_progress_against_the_plan(facts, tables):
    data = _with_narrative(facts, tables, summary="A *good* quarter <script>x</script>.")
    html = str(registry.BY_ID["plan_progress"](data))
    headline_end = html.index("</div>", html.index('<div class="key-figures">'))
    commentary = html.index('<div class="narrative"><h3 id="commentary-on-the-period">')
    assert headline_end < commentary
    assert "<p>A <em>good</em> quarter &lt;script&gt;x&lt;/script&gt;.</p>" in html[commentary:]


def test_theme_commentary_is_under_status_by_theme_in_the_plans_order(facts, tables):
    data = _with_narrative(facts, tables, themes={"T2": "Engagement text.", "T1": "Lead text."})
    html = str(registry.BY_ID["status_by_theme"](data))
    table_end = html.rindex("</table>")
    t1 = html.index('<h3 id="leadership-t1-commentary">Leadership (T1): commentary</h3>')
    t2 = html.index('<h3 id="engagement-t2-commentary">Engagement (T2): commentary</h3>')
    assert table_end < t1 < t2
    assert "<p>Lead text.</p>" in html[t1:t2] and "<p>Engagement text.</p>" in html[t2:]


def test_the_meeting_note_is_in_the_title_block_of_the_report_for_that_meeting(facts, tables):
    data = _with_narrative(
        facts,
        tables,
        meetings={"2016-04-13": "Read the exceptions first.", "2016-07-13": "Not this one."},
    )
    html = str(registry.BY_ID["header"](data))
    note = html.index('<section class="narrative meeting-note"')
    assert note < html.index("</header>")
    assert (
        '<h2 id="note-for-the-governing-body-meeting-on-13-april-2016">'
        "Note for the Governing Body meeting on 13 April 2016</h2>"
        "<p>Read the exceptions first.</p>" in html
    )
    assert "Not this one" not in html


def test_no_narrative_adds_nothing(example, facts, tables):
    for section in ("header", "plan_progress", "status_by_theme"):
        plain = registry.BY_ID[section](example)
        assert plain == registry.BY_ID[section](_with_narrative(facts, tables))
        assert "narrative" not in plain
    facts["meeting"] = None
    data = _with_narrative(facts, tables, meetings={"2016-04-13": "Note."})
    assert narrative.meeting_note(data) is None


def test_an_illustrative_narrative_is_said_to_be_so_in_the_title_block(facts, tables):
    data = _with_narrative(facts, tables, illustrative=True, source="Written for the demo")
    assert narrative.notes(data) == [
        "The commentary in this report (data/raw/exampleshire/narrative/2016-03.md) is "
        "illustrative, for demonstration only: it was not written by the organisation. "
        "Source: Written for the demo."
    ]
    html = str(registry.BY_ID["header"](data))
    assert "it was not written by the organisation. Source: Written for the demo.</div>" in html


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("jane@example.nhs.uk", "[e-mail address removed]"),
        ("call 01709 302000 now", "call [telephone number removed] now"),
        ("nothing personal", "nothing personal"),
    ],
)
def test_redact_removes_e_mail_addresses_and_telephone_numbers(text, redacted):
    assert narrative.redact(text) == redacted


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


@pytest.mark.e2e
def test_a_hostile_narrative_is_rendered_safely_redacted_and_in_place(example_project):
    from odreport.publish.builder import build_report
    from odreport.publish.provenance import sha256

    project = example_project
    path = project.raw_dir("example") / "narrative" / "2025-12.md"
    path.write_text(
        "## Summary\n"
        + HOSTILE
        + "\n## Theme: LD\nLeadership: ask jane.doe@example.nhs.uk <script>alert(5)</script>\n"
        "\n## Meeting: 2026-01-15\nFor the meeting: [agenda](javascript:alert(6)) "
        "<img src=x onerror=alert(7)>\n",
        encoding="utf-8",
    )
    report = build_report(project, "example")
    html = report.read_text(encoding="utf-8")
    executed = report.with_suffix(".ipynb").read_text(encoding="utf-8")

    # nothing runs, loads or links elsewhere; nothing personal is left, in the page or notebook
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html)  # no event handler on any element
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))  # the contents'
    for text in (html, executed):
        assert "jane.doe" not in text and "ann@" not in text and "302000" not in text

    # in place: the meeting note in the title block, the summary under progress against the
    # plan, the theme's commentary under status by theme
    header = _between(html, '<header class="report-header">', "</header>")
    assert "Note for the Governing Body meeting on 15 January 2026</h2>" in header
    assert "<p>For the meeting: agenda &lt;img src=x onerror=alert(7)&gt;</p>" in header
    headline = _between(html, 'id="progress-against-the-plan"', '<h2 id="')
    assert "Commentary on the period</h3>" in headline
    assert "the plan (https://www.example.nhs.uk/plan)" in headline
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in headline
    status = _between(html, 'id="status-by-theme"', '<h2 id="')
    assert "Leadership (LD): commentary</h3>" in status
    assert (
        "<p>Leadership: ask [e-mail address removed] &lt;script&gt;alert(5)&lt;/script&gt;</p>"
        in status
    )

    # the file is an input: in provenance with its checksum, its warnings under data quality
    assert f"<td>data/raw/example/narrative/2025-12.md</td><td>{sha256(path)}</td>" in html
    quality = _between(html, 'id="data-quality"', '<h2 id="appendix-')
    assert "narrative/2025-12.md" in quality and "is shown as text, not as HTML" in quality


def test_a_narrative_is_part_of_the_incremental_builds_fingerprint(example_project):
    from odreport.publish import manifest

    request = {"org": "example", "period": ""}
    before = manifest.fingerprint(example_project, "example", request)
    path = example_project.raw_dir("example") / "narrative" / "2025-12.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert manifest.fingerprint(example_project, "example", request) != before
