"""Reading raw inputs defensively: encodings, separators, empty files, headers, Excel."""

from __future__ import annotations

import shutil

import pandas as pd

from odreport.inputs.tables import ROW, read_inputs


def _read(project, org="example"):
    return read_inputs(project.raw_dir(org), project.expectations)


def _lines(inputs):
    return [p.line() for p in inputs.problems]


def test_template_reads_cleanly_with_types(example_project):
    inputs = _read(example_project)
    assert inputs.problems == []
    actions = inputs.tables["actions"]
    # LD1 has a two-line cell: Excel still shows it as one row, so rows are 2..5
    assert actions[ROW].tolist() == [2, 3, 4, 5]
    assert actions["cost_gbp"].dtype == "Float64"
    assert str(inputs.tables["organisation"]["plan_start"].iloc[0].date()) == "2025-04-01"


def test_utf8_bom_and_windows_1252_are_read(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    text = path.read_text(encoding="utf-8").replace(
        "Developing leadership", "Développing leadership"
    )
    path.write_bytes(text.encode("cp1252"))
    assert "Développing" in _read(example_project).tables["themes"]["description"].iloc[0]
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    inputs = _read(example_project)
    assert inputs.problems == []
    assert next(iter(inputs.tables["themes"].columns)) == "theme_ref"


def test_semicolon_separated_file_is_refused_with_advice(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    path.write_text(
        "theme_ref;theme;description;lead;source\nLD;Leadership;;;x\n", encoding="utf-8"
    )
    assert _lines(_read(example_project)) == [
        "data/raw/example/themes.csv:1: columns are separated by semicolons (found ';', expected "
        "',': save as 'CSV UTF-8 (Comma delimited)')"
    ]


def test_empty_and_header_only_files(example_project):
    raw = example_project.raw_dir("example")
    (raw / "themes.csv").write_text("", encoding="utf-8")
    (raw / "progress.csv").write_text(
        "period,action_ref,status,rag,percent_complete,due_date,commentary,illustrative,source\n",
        encoding="utf-8",
    )
    lines = _lines(_read(example_project))
    assert "data/raw/example/themes.csv: file is empty (expected a header row)" in lines
    assert "data/raw/example/progress.csv: has a header but no data rows" in lines


def test_duplicated_column_name(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    path.write_text("theme_ref,theme,theme,lead,source\nLD,a,b,,x\n", encoding="utf-8")
    assert _lines(_read(example_project)) == [
        "data/raw/example/themes.csv:1:theme: duplicated column name (found 'theme' twice)"
    ]


def test_values_of_the_wrong_type_name_row_and_column(example_project):
    path = example_project.raw_dir("example") / "progress.csv"
    text = path.read_text(encoding="utf-8").replace(
        "2025-09,LD1,In progress,Green,50", "2025-09,LD1,In progress,Green,fifty"
    )
    path.write_text(text, encoding="utf-8")
    assert _lines(_read(example_project)) == [
        "data/raw/example/progress.csv:2:percent_complete: not a number (found 'fifty')"
    ]


def test_missing_required_file(example_project):
    (example_project.raw_dir("example") / "actions.csv").unlink()
    assert "data/raw/example/actions.csv: required file is missing" in _lines(
        _read(example_project)
    )


def test_raw_files_are_not_modified(example_project):
    raw = example_project.raw_dir("example")
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}  # narrative/ too
    _read(example_project)
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before
    shutil.rmtree(raw)


def test_a_column_that_may_be_left_out_is_read_as_blank(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="content")
    frame.to_csv(path, index=False)
    inputs = _read(example_project)
    assert inputs.problems == []
    assert inputs.tables["themes"]["content"].isna().all()
    assert len(inputs.tables["themes"]) == 2


def test_control_characters_are_problems_without_the_text(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Leadership,", "Lead\u2066ership,").replace("Engaging staff", "Eng\x1bstaff"),
        encoding="utf-8",
    )
    inputs = _read(example_project)
    assert "themes" not in inputs.tables
    assert _lines(inputs) == [
        "data/raw/example/themes.csv:2:theme: contains control character U+2066 (a "
        "bidirectional text control), which is invisible and breaks the report (expected plain "
        "text: remove it)",
        "data/raw/example/themes.csv:3:description: contains control character U+001B (escape), "
        "which is invisible and breaks the report (expected plain text: remove it)",
    ]


def test_tabs_and_line_breaks_in_a_cell_are_plain_text(example_project):
    path = example_project.raw_dir("example") / "themes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Leadership,", '"Lead\tership\r\nhere",'), encoding="utf-8")
    assert _read(example_project).problems == []


def test_utf16_without_a_byte_order_mark_and_binary_data(example_project):
    raw = example_project.raw_dir("example")
    (raw / "themes.csv").write_bytes((raw / "themes.csv").read_text().encode("utf-16-le"))
    (raw / "actions.csv").write_bytes(bytes(range(256)) * 4)
    assert _lines(_read(example_project)) == [
        "data/raw/example/actions.csv: file is not text (found binary data, expected CSV text: "
        "save as 'CSV UTF-8 (Comma delimited)')",
        "data/raw/example/themes.csv: file is UTF-16 text, not UTF-8 (expected UTF-8: save as "
        "'CSV UTF-8 (Comma delimited)')",
    ]


def test_links_inside_the_folder_are_read_and_broken_links_are_problems(example_project):
    raw = example_project.raw_dir("example")
    (raw / "themes.csv").rename(raw / "themes-v2.txt")
    (raw / "themes.csv").symlink_to("themes-v2.txt")
    assert _read(example_project).problems == []
    (raw / "themes-v2.txt").unlink()
    assert _lines(_read(example_project)) == [
        "data/raw/example/themes.csv: is a link to a file that does not exist"
    ]
