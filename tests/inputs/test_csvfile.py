"""Reading one CSV file: the columnar (pyarrow) reader gives exactly the cells, row numbers and
blanks of the defensive (Python csv) reader, or leaves the file to it."""

from __future__ import annotations

import random

import pytest

from odreport.inputs.cells import CONTROL_RE
from odreport.inputs.csvfile import decode, read_columnar, read_csv, read_defensive

TOKENS = ["a", "b", " ", ",", ",", ",", '"', "\n", "\n", "\r", "\r\n", "é", '""', "\t", 'ab"c']


def _cells(table):
    """(header, [(row, cells)]) with cells stripped and blanks None, as typing sees them."""
    if table.columns is not None:
        rows = [list(r) for r in zip(*table.columns, strict=True)] if table.columns else []
        if not table.columns:
            rows = [[] for _ in table.rownums]
    else:
        width = len(table.header)
        rows = [
            [(str(v).strip() or None) for v in (r[:width] + [""] * (width - len(r)))]
            for r in table.rows
        ]
    return table.header, list(zip(table.rownums, rows, strict=True))


def _both(text: str):
    fast = read_columnar(text.encode("utf-8"))
    slow = read_defensive(text, "t.csv", [])
    return fast, slow


def test_columnar_and_defensive_readers_agree_on_random_files():
    rng = random.Random(20261201)
    agreed = 0
    for _ in range(6000):
        body = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))
        text = "x, y ,z\n" + body
        fast, slow = _both(text)
        if fast is None:
            continue
        assert slow is not None, repr(text)
        assert _cells(fast) == _cells(slow), repr(text)
        agreed += 1
    assert agreed > 200  # the columnar reader takes well-formed files, not only trivial ones


def test_the_same_white_space_is_stripped_from_cells():
    # every white space a cell may hold (control characters are refused before either reader)
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in "\n\r"]
    spaces = [ch for ch in spaces if not CONTROL_RE.search(ch)]
    assert len(spaces) > 15
    for ch in spaces:
        text = f"a,b\n{ch}x{ch},{ch}\n"
        fast, slow = _both(text)
        assert fast is not None, hex(ord(ch))
        assert _cells(fast) == _cells(slow) == (["a", "b"], [(2, ["x", None])]), hex(ord(ch))


def test_rows_are_spreadsheet_rows_across_line_breaks_and_blank_lines():
    text = 'a,b\n1,"two\nlines"\n\n,\n3,4\n'
    fast, slow = _both(text)
    assert _cells(fast) == _cells(slow) == (["a", "b"], [(2, ["1", "two\nlines"]), (5, ["3", "4"])])


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2,3\n",  # a row longer than the header
        "a,b\n1\n",  # shorter
        "a,b",  # a header alone
        'a,b\n1,"' + "x" * 200_000 + '"\n',  # a cell longer than csv's field limit
    ],
)
def test_files_the_defensive_reader_must_judge_are_left_to_it(text):
    assert read_columnar(text.encode("utf-8")) is None


def test_read_csv_gives_the_same_for_windows_1252_a_bom_and_utf8(tmp_path):
    text = "name,note\nDévelopment, café \n"
    got = []
    for data in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode(), text.encode()):
        path = tmp_path / "t.csv"
        path.write_bytes(data)
        problems: list = []
        got.append(_cells(read_csv(path, "t.csv", problems)))
        assert problems == []
    assert got[0] == got[1] == got[2] == (["name", "note"], [(2, ["Dévelopment", "café"])])
    assert decode("é".encode("cp1252")) == "é"


def test_a_large_file_is_read_column_by_column_with_the_same_cells(tmp_path):
    lines = ["survey_id,respondent_id,answer"]
    lines += [f"s{i % 3},R{i},{'Agree' if i % 5 else ''}" for i in range(50_000)]
    text = "\n".join(lines) + "\n"
    fast, slow = _both(text)
    assert fast is not None and fast.columns is not None
    assert _cells(fast) == _cells(slow)
    assert fast.columns[2][5] is None and fast.columns[2][1] == "Agree"
