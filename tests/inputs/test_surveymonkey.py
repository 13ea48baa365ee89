"""SurveyMonkey exports converted to respondent-level answers (odreport.inputs.surveymonkey).

Each test writes its own small export: two header rows as SurveyMonkey writes them, personal
metadata columns filled with obviously fake values, a grid question, a single-choice
question, an open-ended question and grouping columns.
"""

from __future__ import annotations

import csv
import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from odreport.cli import main
from odreport.errors import DataValidationError
from odreport.inputs.surveymonkey import (
    RESPONSE_COLUMNS,
    column_letter,
    convert,
    merge_responses,
    normalise,
    read_responses,
    write_atomically,
    write_responses,
)
from odreport.publish.pipeline import load_and_validate
from support import TEMPLATE, make_project

GRID = "How far do you agree with each of the following?"
SINGLE = "I feel well informed about the merger"
OPEN = "Is there anything else you would like to tell us?"

HEADER_1 = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
    "Directorate",
    "Team",
    "Staff group",
    GRID,
    "",
    SINGLE,
    OPEN,
]
HEADER_2 = [""] * 9 + [
    "Response",
    "Response",
    "Response",
    "My team works well together",
    "My manager gives me useful feedback",
    "Response",
    "Open-Ended Response",
]
PII = [
    "999000111",
    "11/04/2019 09:00:00",
    "11/04/2019 09:05:00",
    "192.0.2.44",
    "jo.bloggs@example.invalid",
    "Jo",
    "Bloggs",
    "fake-custom-42",
]
RESPONDENTS = [
    ["1001", *PII, "Finance", "Contracting", "Band 5-7", "Agree", "Disagree", "Agree", "More"],
    ["1002", *PII, "Corporate", "", "Band 8a-8b", "Strongly agree", "", "Don't know", ""],
    ["1003", *PII, "", "", "", "Neither agree nor disagree", "Agree", "", "No"],
]

QUESTIONS = pd.DataFrame(
    {
        "survey": ["staff-2019", "staff-2019", "pulse", "staff-2019"],
        "question_ref": ["Q1a", "Q1b", "Q2", "Q3"],
        "question": [
            f"{GRID} — My team works well together",
            f"{GRID} — My manager gives me useful feedback",
            SINGLE,
            OPEN,
        ],
    }
)


def write_export(path: Path, rows: list[list[str]], header_1=HEADER_1, header_2=HEADER_2) -> Path:
    """A SurveyMonkey-style CSV export."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerows([header_1, header_2, *rows])
    return path


def test_export_becomes_one_row_per_respondent_and_question(tmp_path):
    path = write_export(tmp_path / "export.csv", RESPONDENTS)
    out = convert(path, "staff-2019", QUESTIONS, series="pulse")
    assert list(out.columns) == RESPONSE_COLUMNS
    assert len(out) == 3 * 4
    assert out["respondent_id"].drop_duplicates().tolist() == ["1001", "1002", "1003"]
    first = out[out["respondent_id"] == "1001"].set_index("question_ref")["answer"].to_dict()
    assert first == {"Q1a": "Agree", "Q1b": "Disagree", "Q2": "Agree", "Q3": "More"}
    second = out[out["respondent_id"] == "1002"].set_index("question_ref")
    assert second.loc["Q1a", "answer"] == "Strongly agree"
    assert second.loc["Q1b", "answer"] is None  # skipped: a row with a blank answer
    assert second.loc["Q2", "answer"] == "Don't know"
    assert second["team"].isna().all()
    assert set(out["survey_id"]) == {"staff-2019"}


def test_grouping_columns_fill_directorate_team_and_staff_group(tmp_path):
    path = write_export(tmp_path / "export.csv", RESPONDENTS)
    out = convert(path, "staff-2019", QUESTIONS, series="pulse")
    one = out[out["respondent_id"] == "1001"].iloc[0]
    assert (one["directorate"], one["team"], one["staff_group"]) == (
        "Finance",
        "Contracting",
        "Band 5-7",
    )
    three = out[out["respondent_id"] == "1003"]
    assert three[["directorate", "team", "staff_group"]].isna().all().all()


def test_personal_data_columns_are_dropped(tmp_path):
    path = write_export(tmp_path / "export.csv", RESPONDENTS)
    out = convert(path, "staff-2019", QUESTIONS, series="pulse")
    values = {str(v) for v in out.to_numpy().ravel() if v is not None}
    for fake in PII:
        assert fake not in values
    written = tmp_path / "survey_responses.csv"
    write_responses(out, written)
    text = written.read_text(encoding="utf-8")
    for fake in ("jo.bloggs@example.invalid", "192.0.2.44", "Bloggs", "999000111", "fake-custom"):
        assert fake not in text


def test_grid_header_lower_case_and_plain_dash_still_match(tmp_path):
    header_1 = [h.upper() if h == "Team" else h for h in HEADER_1]
    header_1[HEADER_1.index(GRID)] = GRID.lower().replace("?", "?  ")
    path = write_export(tmp_path / "export.csv", RESPONDENTS, header_1=header_1)
    out = convert(path, "staff-2019", QUESTIONS, series="pulse")
    assert sorted(out["question_ref"].unique()) == ["Q1a", "Q1b", "Q2", "Q3"]
    assert out.loc[out["respondent_id"] == "1001", "team"].iloc[0] == "Contracting"
    assert normalise("A  – B’s") == normalise("a - b's")


def test_questions_of_another_survey_do_not_match(tmp_path):
    path = write_export(tmp_path / "export.csv", RESPONDENTS)
    with pytest.raises(DataValidationError) as err:
        convert(path, "staff-2019", QUESTIONS, series=None)  # Q2 belongs to series pulse
    where = path.as_posix()
    assert err.value.problems == [
        f"{where}:1:O: question not in survey_questions.csv for survey staff-2019 "
        f"(found {SINGLE!r})"
    ]


def test_unmatched_columns_multi_select_and_repeated_ids_name_file_row_column(tmp_path):
    header_1 = [*HEADER_1, "Which sessions did you attend?", "", "Favourite colour"]
    header_2 = [*HEADER_2, "Timeout", "Drop-in", "Response"]
    rows = [[*r, "Timeout", "", "Blue"] for r in RESPONDENTS]
    rows[2][0] = "1001"  # the third respondent repeats the first one's ID
    rows[1][HEADER_1.index(GRID) + 1] = "Agree"
    bad_grid = list(header_2)
    bad_grid[HEADER_1.index(GRID) + 1] = "My manager listens"
    path = write_export(tmp_path / "export.csv", rows, header_1=header_1, header_2=bad_grid)
    with pytest.raises(DataValidationError) as err:
        convert(path, "staff-2019", QUESTIONS, series="pulse")
    where = path.as_posix()
    assert err.value.problems == [
        f"{where}:2:N: question not in survey_questions.csv for survey staff-2019 or series "
        f"pulse (found 'My manager listens' under '{GRID}')",
        f"{where}:2:Q: multi-select question (one column per ticked option) is not supported: "
        "one answer per question is needed (found option 'Timeout' of "
        "'Which sessions did you attend?')",
        f"{where}:2:R: multi-select question (one column per ticked option) is not supported: "
        "one answer per question is needed (found option 'Drop-in' of "
        "'Which sessions did you attend?')",
        f"{where}:1:S: question not in survey_questions.csv for survey staff-2019 or series "
        "pulse (found 'Favourite colour')",
        f"{where}:5:A: respondent ID repeated (found '1001', first on row 3)",
    ]


def test_other_please_specify_column_is_named_not_guessed(tmp_path):
    header_1 = [*HEADER_1[:-1], "", OPEN]  # the single-choice question gets an "Other" column
    header_2 = [*HEADER_2[:-1], "Other (please specify)", "Open-Ended Response"]
    rows = [[*r[:-1], "", r[-1]] for r in RESPONDENTS]
    path = write_export(tmp_path / "export.csv", rows, header_1=header_1, header_2=header_2)
    with pytest.raises(DataValidationError) as err:
        convert(path, "staff-2019", QUESTIONS, series="pulse")
    assert err.value.problems == [
        f"{path.as_posix()}:2:P: question not in survey_questions.csv for survey staff-2019 or "
        f"series pulse (found 'Other (please specify)' under {SINGLE!r})",
    ]


def test_missing_respondent_id_and_missing_id_column(tmp_path):
    rows = [list(r) for r in RESPONDENTS]
    rows[1][0] = ""
    path = write_export(tmp_path / "export.csv", rows)
    with pytest.raises(DataValidationError) as err:
        convert(path, "staff-2019", QUESTIONS, series="pulse")
    assert err.value.problems == [f"{path.as_posix()}:4:A: respondent ID is missing"]
    no_id = write_export(
        tmp_path / "no-id.csv",
        [r[1:] for r in RESPONDENTS],
        header_1=HEADER_1[1:],
        header_2=HEADER_2[1:],
    )
    with pytest.raises(DataValidationError) as err:
        convert(no_id, "staff-2019", QUESTIONS, series="pulse")
    assert err.value.problems == [
        f"{no_id.as_posix()}:1: no 'Respondent ID' column in the header row"
    ]


def test_excel_export_gives_the_same_rows_as_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER_1, HEADER_2, *RESPONDENTS]:
        sheet.append([int(v) if v.isdigit() and len(v) == 4 else (v or None) for v in row])
    xlsx = tmp_path / "export.xlsx"
    book.save(xlsx)
    from_csv = convert(
        write_export(tmp_path / "e.csv", RESPONDENTS), "staff-2019", QUESTIONS, "pulse"
    )
    from_xlsx = convert(xlsx, "staff-2019", QUESTIONS, "pulse")
    pd.testing.assert_frame_equal(from_csv, from_xlsx)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_merge_replaces_the_survey_keeps_others_and_orders_by_survey(tmp_path):
    path = write_export(tmp_path / "export.csv", RESPONDENTS)
    new = convert(path, "staff-2019", QUESTIONS, series="pulse")
    existing = pd.DataFrame(
        [
            ["zeta", "R1", "Q1", "Agree", "", "", ""],
            ["staff-2019", "OLD", "Q1a", "Agree", "", "", ""],
            ["alpha", "R1", "Q1", "Disagree", "", "", ""],
            ["zeta", "R2", "Q1", "", "", "", ""],
        ],
        columns=RESPONSE_COLUMNS,
    )
    merged = merge_responses(existing, "staff-2019", new)
    assert "OLD" not in set(merged["respondent_id"])
    assert merged["survey_id"].tolist() == ["alpha"] + ["staff-2019"] * 12 + ["zeta", "zeta"]
    assert merged.loc[merged["survey_id"] == "zeta", "respondent_id"].tolist() == ["R1", "R2"]
    assert (merged.fillna("X") == merged).all().all()  # blanks are '' ready to write
    again = merge_responses(merged, "staff-2019", new)
    pd.testing.assert_frame_equal(merged, again)


SURVEY_FILES = {
    "surveys.csv": "survey_id,title,audience,fielded,respondents,population,series,"
    "illustrative,source\n"
    "staff-2019,Staff survey 2019,All staff,2025-11,,,,yes,test\n"
    "pulse-1,Pulse,All staff,2025-10,,,pulse,yes,test\n",
    "survey_scales.csv": "scale,option,option_order,valence,source\n"
    + "".join(
        f"agree-5,{o},{i},{v},test\n"
        for i, (o, v) in enumerate(
            [
                ("Strongly disagree", "unfavourable"),
                ("Disagree", "unfavourable"),
                ("Neither agree nor disagree", "neutral"),
                ("Agree", "favourable"),
                ("Strongly agree", "favourable"),
                ("Don't know", "excluded"),
            ],
            start=1,
        )
    ),
    "survey_questions.csv": "survey,question_ref,question,theme_ref,scale,higher_is_better,"
    "target,source\n"
    f'staff-2019,Q1a,"{GRID} — My team works well together",,agree-5,yes,,test\n'
    f'staff-2019,Q1b,"{GRID} — My manager gives me useful feedback",,agree-5,yes,,test\n'
    f"pulse,Q2,{SINGLE},,agree-5,yes,,test\n"
    f"staff-2019,Q2,{SINGLE},,agree-5,yes,,test\n"
    f"staff-2019,Q3,{OPEN},,text,,,test\n",
    "survey_responses.csv": "survey_id,respondent_id,question_ref,answer,directorate,team,"
    "staff_group\npulse-1,R1,Q2,Agree,,,\n",
}


@pytest.fixture
def survey_project(tmp_path):
    project = make_project(tmp_path / "p", {"example": TEMPLATE})
    for name, text in SURVEY_FILES.items():
        (project.raw_dir("example") / name).write_text(text, encoding="utf-8")
    return project


def test_cli_import_survey_writes_valid_responses(survey_project, tmp_path, capsys):
    export = write_export(tmp_path / "export.csv", RESPONDENTS)
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 0
    assert capsys.readouterr().out.strip() == (
        "data/raw/example/survey_responses.csv: staff-2019: 3 respondents, 12 rows"
    )
    path = survey_project.raw_dir("example") / "survey_responses.csv"
    first = path.read_bytes()
    assert b"\r\n" not in first
    frame = read_responses(path)
    assert frame["survey_id"].tolist() == ["pulse-1"] + ["staff-2019"] * 12
    load_and_validate(survey_project, "example")  # raises on any critical problem
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 0
    assert path.read_bytes() == first  # importing again replaces, not appends


def test_cli_import_survey_errors_exit_3_and_write_nothing(survey_project, tmp_path, capsys):
    rows = [list(r) for r in RESPONDENTS]
    rows[2][0] = "1002"
    export = write_export(tmp_path / "export.csv", rows)
    path = survey_project.raw_dir("example") / "survey_responses.csv"
    before = path.read_bytes()
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0] == f"{export.as_posix()}:5:A: respondent ID repeated (found '1002', first on row 4)"
    )
    assert err[-1].startswith("error: input data failed validation (1 problem)")
    assert path.read_bytes() == before


def test_cli_import_survey_unknown_survey_is_a_usage_error(survey_project, tmp_path, capsys):
    export = write_export(tmp_path / "export.csv", RESPONDENTS)
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    assert main([*argv, "--survey", "nope", str(export)]) == 2
    assert "survey 'nope' is not in data/raw/example/surveys.csv" in capsys.readouterr().err
    assert main([*argv, "--survey", "staff-2019", str(tmp_path / "missing.csv")]) == 2


def _disk_fills_half_way(monkeypatch, folder: Path) -> list[int]:
    """Make writes to new files in ``folder`` fail with ENOSPC once half the data is written
    (as a full disk does); returns the number of bytes written before the failure."""
    real_write, real_mkstemp = os.write, __import__("tempfile").mkstemp
    watched: dict[int, int] = {}
    written: list[int] = []

    def mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        if Path(name).parent == folder:
            watched[fd] = 0
        return fd, name

    def write(fd, data):
        if fd not in watched:
            return real_write(fd, data)
        if watched[fd] >= 2000:
            written.append(watched[fd])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data)[:1000])
        watched[fd] += n
        return n

    monkeypatch.setattr("tempfile.mkstemp", mkstemp)
    monkeypatch.setattr("os.write", write)
    return written


def test_full_disk_while_importing_leaves_the_raw_file_as_it_was(
    survey_project, tmp_path, capsys, monkeypatch
):
    """Issue 15: with the disk full, import-survey cut survey_responses.csv off mid-row."""
    export = write_export(tmp_path / "export.csv", RESPONDENTS)
    folder = survey_project.raw_dir("example")
    path = folder / "survey_responses.csv"
    path.write_text(SURVEY_FILES["survey_responses.csv"] + "pulse-1,R2,Q2,Agree,,,\n" * 100)
    before = path.read_bytes()
    written = _disk_fills_half_way(monkeypatch, folder)
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 1
    assert written == [2000]  # it failed part-way through the new file
    assert capsys.readouterr().err.strip() == (
        "error: could not write data/raw/example/survey_responses.csv "
        "(No space left on device); it is unchanged"
    )
    assert path.read_bytes() == before
    assert {p.name for p in folder.iterdir()} == {
        *SURVEY_FILES,
        *(p.name for p in TEMPLATE.iterdir()),
    }


def test_write_atomically_checks_and_keeps_permissions(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomically(path, b"new\n" * 50_000)
    assert path.read_bytes() == b"new\n" * 50_000
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_file_size_limit_hit_half_way_in_a_real_process_leaves_the_file(survey_project, tmp_path):
    """The same failure from the operating system: the import runs in its own process with a
    file size limit below the new file's size, so a write fails part-way (EFBIG)."""
    export = write_export(tmp_path / "export.csv", RESPONDENTS)
    path = survey_project.raw_dir("example") / "survey_responses.csv"
    path.write_text(SURVEY_FILES["survey_responses.csv"] + "pulse-1,R2,Q2,Agree,,,\n" * 2000)
    before = path.read_bytes()
    limit = len(before) // 2

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    done = subprocess.run(
        [sys.executable, "-m", "odreport.cli", *argv, "--survey", "staff-2019", str(export)],
        preexec_fn=limited,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        "error: could not write data/raw/example/survey_responses.csv (File too large); "
        "it is unchanged"
    )
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_import_refuses_to_rewrite_a_file_it_cannot_read(survey_project, tmp_path, capsys):
    export = write_export(tmp_path / "export.csv", RESPONDENTS)
    path = survey_project.raw_dir("example") / "survey_responses.csv"
    path.write_bytes(SURVEY_FILES["survey_responses.csv"].encode("utf-16"))
    before = path.read_bytes()
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 3
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/raw/example/survey_responses.csv: file is UTF-16 text, not UTF-8 "
        "(expected UTF-8: save as 'CSV UTF-8 (Comma delimited)')"
    )
    assert path.read_bytes() == before


DATA = Path(__file__).parent / "data"


def _results(project):
    from odreport.inputs.tables import read_inputs
    from odreport.metrics.surveys import SurveySettings, survey_tables

    inputs = read_inputs(project.raw_dir("example"), project.expectations)
    tables = survey_tables(inputs, "2025-12", SurveySettings(min_group_size=1))
    return {name: frame.reset_index(drop=True) for name, frame in tables.items()}


def test_export_gives_the_same_results_as_its_respondent_level_equivalent(survey_project, tmp_path):
    """tests/inputs/data holds a SurveyMonkey export and the same answers written by hand as
    respondent-level rows (in another order): every derived survey table is the same."""
    argv = ["--root", str(survey_project.root), "import-survey", "--org", "example"]
    export = DATA / "staff-2019-surveymonkey.csv"
    assert main([*argv, "--survey", "staff-2019", str(export)]) == 0
    converted = _results(survey_project)
    responses = survey_project.raw_dir("example") / "survey_responses.csv"
    responses.write_bytes((DATA / "staff-2019-responses.csv").read_bytes())
    by_hand = _results(survey_project)
    assert converted.keys() == by_hand.keys()
    summary = converted["survey_summary"]
    staff = summary[(summary["survey_id"] == "staff-2019") & (summary["group_by"] == "all")]
    assert staff.set_index("question_ref").loc["Q1a", "responses"] == 3  # not vacuous
    for name in converted:
        pd.testing.assert_frame_equal(converted[name], by_hand[name], obj=name)
