"""What narratives refer to (themes, meetings, periods) and what they contain (HTML, links,
images), checked with file:line problems, on the new-organisation template."""

from __future__ import annotations

import pytest

from odreport.checks.narrative import allowed_link, check_narratives
from odreport.checks.validate import validate_inputs
from odreport.inputs.problems import CRITICAL, WARNING
from odreport.inputs.tables import read_inputs
from support import TEMPLATE, make_project

FILE = "data/raw/example/narrative/2025-12.md"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, {"example": TEMPLATE})


def _check(project, text: str, name: str = "2025-12.md"):
    (project.raw_dir("example") / "narrative" / name).write_text(text, encoding="utf-8")
    inputs = read_inputs(project.raw_dir("example"), project.expectations)
    return inputs, check_narratives(inputs)


def test_the_templates_example_narrative_is_valid(project):
    inputs = read_inputs(project.raw_dir("example"), project.expectations)
    assert check_narratives(inputs) == []


def test_unknown_theme_and_meeting_are_critical_at_their_headings(project):
    _, problems = _check(
        project,
        "## Theme: LD\nKnown.\n## Theme: XX\nUnknown.\n## Meeting: 2026-01-15\nKnown.\n"
        "## Meeting: 2026-01-16\nUnknown.\n",
    )
    assert [(p.file, p.row, p.message, p.severity) for p in problems] == [
        (FILE, 3, "unknown theme_ref 'XX' (themes.csv has EN, LD)", CRITICAL),
        (
            FILE,
            7,
            "unknown meeting date 2026-01-16 (meetings.csv has no meeting on that date)",
            CRITICAL,
        ),
    ]


def test_a_meeting_note_without_meetings_csv_is_critical(project):
    (project.raw_dir("example") / "meetings.csv").unlink()
    _, problems = _check(project, "## Meeting: 2026-01-15\nNote.\n")
    assert [(p.row, p.message) for p in problems] == [
        (1, "unknown meeting date 2026-01-15 (there is no meetings.csv)")
    ]


def test_a_narrative_for_a_period_without_progress_is_critical(project):
    _, problems = _check(project, "## Summary\nText.\n", name="2025-08.md")
    assert [(p.file, p.row, p.message, p.severity) for p in problems] == [
        (
            "data/raw/example/narrative/2025-08.md",
            None,
            "no progress data for 2025-08 in progress.csv, so no report shows this narrative "
            "(name the file after a reporting period)",
            CRITICAL,
        )
    ]


def test_raw_html_links_and_images_are_warnings_with_their_lines(project):
    _, problems = _check(
        project,
        "## Summary\n"
        "Hi <script>alert(1)</script> there.\n"  # 2
        "\n"
        "[click](javascript:alert(1)) and [ok](https://www.nhs.uk) and [me](mailto:a@b.nhs.uk)\n"
        "\n"
        "![chart](https://example.org/c.png)\n"  # 6
        "\n"
        "<table><tr><td>x</td></tr></table>\n"  # 8
        "\n"
        "[page](report.html) [raw](data:text/html;base64,PHNjcmlwdD4=)\n"  # 10
        "\n"
        '<span title="jane@nhs.net">x</span> [x](file://jane@nhs.net)\n',  # 12
    )
    links = "is not shown: only http, https and mailto addresses are (its label is shown as text)"
    assert [(p.row, p.message) for p in problems] == [
        (2, "raw HTML (<script>) is shown as text, not as HTML (write Markdown instead)"),
        (4, f"link to a 'javascript:' address {links}"),
        (
            6,
            "image not shown (a report loads nothing from elsewhere): its description is shown as text",
        ),
        (
            8,
            "raw HTML (<table>, <tr>, <td>) is shown as text, not as HTML (write Markdown instead)",
        ),
        (10, f"relative link {links}"),
        (10, f"link to a 'data:' address {links}"),
        (12, "raw HTML (<span>) is shown as text, not as HTML (write Markdown instead)"),
        (12, f"link to a 'file:' address {links}"),
    ]
    assert not any("jane" in p.message for p in problems)  # text is never quoted
    assert all(p.severity == WARNING for p in problems)


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("https://www.nhs.uk/", True),
        ("HTTP://example.org", True),
        ("mailto:someone@nhs.net", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html;base64,xx", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("report.html", False),
        ("//example.org/x", False),
        ("https:", False),
    ],
)
def test_only_http_https_and_mailto_targets_are_allowed(target, allowed):
    assert allowed_link(target) is allowed


def test_validation_lists_narrative_problems_with_the_tables(project):
    inputs, _ = _check(project, "## Theme: XX\nText.\n## Oops\n")
    problems = validate_inputs(inputs, project.expectations)
    assert [(p.file, p.row, p.severity) for p in problems if "narrative" in p.file] == [
        (FILE, 1, CRITICAL),
        (FILE, 3, CRITICAL),
    ]
