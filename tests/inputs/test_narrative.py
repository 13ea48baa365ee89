"""Reading narrative files: sections by heading, front matter, and the file's own problems."""

from __future__ import annotations

from pathlib import Path

from odreport.inputs.narrative import (
    MEETING,
    SUMMARY,
    THEME,
    display,
    parse,
    read_narratives,
)
from odreport.inputs.problems import CRITICAL, WARNING
from odreport.inputs.tables import read_inputs
from support import REPO, TEMPLATE, make_project

NAME = "data/raw/x/narrative/2016-06.md"


def _parse(text: str | bytes):
    problems = []
    data = text.encode("utf-8") if isinstance(text, str) else text
    narrative = parse(data, "2016-06", Path(NAME), NAME, problems)
    return narrative, problems


def _lines(problems, severity=None):
    return [(p.row, p.message) for p in problems if severity is None or p.severity == severity]


def test_sections_by_heading_with_their_lines_and_markdown():
    narrative, problems = _parse(
        "# June 2016\n"  # 1: a title, not shown
        "\n"
        "## Summary\n"  # 3
        "A *good* quarter.\n"
        "\n"
        "Second paragraph.\n"
        "## Theme: L\n"  # 7
        "### Detail\n"
        "Leadership text.\n"
        "## meeting: 2016-07-13\n"  # 10: the keyword in any case
        "Note for the meeting.\n"
    )
    assert problems == []
    assert [(p.kind, p.key, p.line) for p in narrative.parts] == [
        (SUMMARY, "", 3),
        (THEME, "L", 7),
        (MEETING, "2016-07-13", 10),
    ]
    assert narrative.parts[0].markdown == "A *good* quarter.\n\nSecond paragraph."
    assert narrative.parts[1].markdown == "### Detail\nLeadership text."
    assert narrative.facts() == {
        "file": NAME,
        "illustrative": False,
        "source": "",
        "summary": "A *good* quarter.\n\nSecond paragraph.",
        "themes": {"L": "### Detail\nLeadership text."},
        "meetings": {"2016-07-13": "Note for the meeting."},
    }


def test_a_heading_inside_a_code_block_is_text_and_setext_headings_count():
    narrative, problems = _parse(
        "Summary\n"  # 1-2: a setext level-2 heading
        "-------\n"
        "```\n"
        "## Theme: not a heading\n"
        "```\n"
    )
    assert problems == []
    assert [(p.kind, p.line) for p in narrative.parts] == [(SUMMARY, 1)]
    assert "## Theme: not a heading" in narrative.parts[0].markdown


def test_front_matter_marks_illustrative_text_and_keeps_line_numbers():
    narrative, problems = _parse(
        "---\n"
        "illustrative: yes\n"
        "source: Written for the demonstration\n"
        "---\n"
        "## Theme: L\n"  # line 5
        "Text.\n"
    )
    assert problems == []
    assert narrative.illustrative is True
    assert narrative.source == "Written for the demonstration"
    assert narrative.parts[0].line == 5


def test_front_matter_problems_are_critical_with_their_lines():
    _, problems = _parse("---\nillustrative: maybe\nauthor: Ann\n---\n## Summary\n")
    assert _lines(problems, CRITICAL) == [
        (2, "illustrative must be yes or no (found 'maybe')"),
        (3, "front matter line 'author: Ann' is not one of 'illustrative: …', 'source: …'"),
    ]
    _, problems = _parse("---\nillustrative: yes\n## Summary\n")
    assert _lines(problems) == [(1, "front matter not closed (expected a '---' line)")]


def test_malformed_and_repeated_headings_are_critical_with_their_lines():
    _, problems = _parse(
        "## Summary\n"
        "## Risks\n"  # 2
        "## Theme:\n"  # 3: no theme_ref
        "## Meeting: 13/07/2016\n"  # 4
        "## Summary\n"  # 5
        "# Late title\n"  # 6
        "## Summary: of June\n"  # 7
    )
    sections = "'## Summary', '## Theme: <theme_ref>' or '## Meeting: <YYYY-MM-DD>'"
    assert _lines(problems, CRITICAL) == [
        (
            6,
            f"level-1 heading '# Late title' is allowed only as the title at the top (sections are {sections})",
        ),
        (2, f"heading '## Risks' is not a narrative section (expected {sections})"),
        (3, f"heading '## Theme:' is not a narrative section (expected {sections})"),
        (4, "meeting date '13/07/2016' is not written YYYY-MM-DD (e.g. '## Meeting: 2016-07-13')"),
        (5, "section '## Summary' repeated (first at line 1); keep one"),
        (7, f"heading '## Summary: of June' is not a narrative section (expected {sections})"),
    ]


def test_text_before_the_first_section_is_a_warning():
    narrative, problems = _parse("# Title\n\nA stray paragraph.\n\n## Summary\nText.\n")
    assert _lines(problems, WARNING) == [
        (
            3,
            "text before the first section heading is not shown (start sections with "
            "'## Summary', '## Theme: <theme_ref>' or '## Meeting: <YYYY-MM-DD>')",
        )
    ]
    assert narrative.parts[0].markdown == "Text."


def test_control_characters_are_replaced_by_spaces_with_a_warning():
    narrative, problems = _parse("## Summary\nLine\x0bbreak and \u202eevil\x00.\n")
    assert _lines(problems) == [(2, "control character U+0000, U+000B, U+202E replaced by a space")]
    assert narrative.parts[0].markdown == "Line break and  evil ."


def test_text_not_in_utf8_is_critical_at_its_line_and_a_bom_is_read():
    _, problems = _parse(b"## Summary\nCaf\xe9\n")
    assert _lines(problems) == [(2, "not UTF-8 text (save the file with UTF-8 encoding)")]
    narrative, problems = _parse(b"\xef\xbb\xbf## Summary\r\nText.\r\n")
    assert problems == [] and narrative.parts[0].markdown == "Text."


def test_the_folder_is_read_file_by_file(tmp_path):
    folder = tmp_path / "data" / "raw" / "x" / "narrative"
    folder.mkdir(parents=True)
    (folder / "2016-06.md").write_text("## Summary\nJune.\n", encoding="utf-8")
    (folder / "2016-05.md").write_text("## Summary\nMay.\n", encoding="utf-8")
    (folder / "June 2016.md").write_text("## Summary\n", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    read = read_narratives(tmp_path / "data" / "raw" / "x")
    assert sorted(read.narratives) == ["2016-05", "2016-06"]
    assert read.narratives["2016-06"].file == "data/raw/x/narrative/2016-06.md"
    assert [(p.file, p.message, p.severity) for p in read.problems] == [
        (
            "data/raw/x/narrative/June 2016.md",
            "narrative file name is not a reporting period (expected YYYY-MM.md, e.g. 2016-06.md)",
            CRITICAL,
        ),
        (
            "data/raw/x/narrative/notes.txt",
            "not a narrative file, ignored (expected YYYY-MM.md)",
            WARNING,
        ),
    ]
    assert read_narratives(tmp_path / "nowhere").narratives == {}


def test_display_names_a_file_from_data_on():
    assert display(Path("/a/data/b/data/raw/x/narrative/2016-06.md")) == NAME
    assert display(Path("elsewhere/2016-06.md")) == "2016-06.md"


def test_read_inputs_holds_the_narratives_and_names_their_files(tmp_path):
    project = make_project(tmp_path, {"example": TEMPLATE})
    inputs = read_inputs(project.raw_dir("example"), project.expectations)
    assert list(inputs.narratives) == ["2025-12"]
    path = project.raw_dir("example") / "narrative" / "2025-12.md"
    assert inputs.files["narrative/2025-12"] == path
    assert inputs.display_name("narrative/2025-12") == "data/raw/example/narrative/2025-12.md"


def test_rotherhams_narrative_is_illustrative_and_names_its_meeting():
    read = read_narratives(REPO / "data" / "raw" / "rotherham")
    narrative = read.narratives["2016-06"]
    assert read.problems == []
    assert narrative.illustrative is True
    assert [(p.kind, p.key) for p in narrative.parts] == [
        (SUMMARY, ""),
        (THEME, "L"),
        (THEME, "E"),
        (MEETING, "2016-07-13"),
    ]


def test_rotherhams_illustrative_summary_agrees_with_its_june_2016_progress():
    """The summary says: more than half complete; systems and processes (S) largely done;
    off-track objectives in four themes, most in Engagement (E) and Workforce (W)."""
    import pandas as pd

    progress = pd.read_csv(REPO / "data" / "raw" / "rotherham" / "progress.csv", dtype=str)
    june = progress[progress["period"] == "2016-06"]
    theme = june["action_ref"].str.extract(r"^([A-Z]+)")[0]
    complete = june["status"] == "Complete"
    assert complete.sum() * 2 > len(june)  # 24 of 46
    assert complete[theme == "S"].sum() == 6 and (theme == "S").sum() == 8
    off_track = theme[(june["rag"] == "Red") & ~complete].value_counts()
    assert sorted(off_track.index) == ["CF", "E", "L", "W"]
    assert (
        off_track["E"] == off_track["W"] == 3
        and off_track["E"] + off_track["W"] > off_track.sum() / 2
    )
    summary = read_narratives(REPO / "data" / "raw" / "rotherham").narratives["2016-06"]
    assert "sit in four themes, most of them\nin *Engagement* and *Workforce*" in summary.text
