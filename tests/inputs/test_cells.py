"""Cells as read: control characters named, found in headers and cells, text never shown."""

from __future__ import annotations

from odreport.inputs.cells import control_character, control_problems


def test_control_character_description():
    assert control_character("plain\ttext\r\n") is None
    assert control_character("a\x00b") == "U+0000 (null)"
    assert control_character("\u202eevil") == "U+202E (right-to-left override)"
    assert control_character("x\x85") == "U+0085 (a control character)"


def test_control_problems_name_row_and_column_never_the_text():
    header = ["theme", "no\x00te"]
    rows = [["fine", "also fine"], ["secret\x0bname", ""], ["", "x\u202ey"]]
    found = [p.line() for p in control_problems("t.csv", header, rows, [2, 3, 5])]
    assert found == [
        "t.csv:1: column name 2 contains control character U+0000 (null) (expected plain "
        "text: remove it)",
        "t.csv:3:theme: contains control character U+000B (vertical tab, a line break pasted "
        "from Word), which is invisible and breaks the report (expected plain text: remove it)",
        "t.csv:5: contains control character U+202E (right-to-left override), which is "
        "invisible and breaks the report (expected plain text: remove it)",
    ]
    assert not any("secret" in line for line in found)
