"""Convert a SurveyMonkey export (CSV or Excel) into respondent-level survey answers.

A SurveyMonkey "all responses" export has two header rows:

- row 1: the question text, written once above the first column of a question; the blank
  cells to its right continue that question (grid / matrix questions, multi-select questions);
- row 2: ``Response`` for a single-choice question, ``Open-Ended Response`` for free text, or
  the sub-item (row label) of a grid question, or the option of a multi-select question.

Respondent metadata columns come first ("Respondent ID", "Collector ID", "Start Date",
"End Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1").
Only the Respondent ID is kept; the rest is personal data and never leaves this module.

Each question column is mapped to a ``question_ref`` by its text: the row-1 text for a
single-column question, ``"<question> — <sub-item>"`` for a grid item (the convention of
Rotherham's Q4a–Q4f), matched (ignoring case, spacing, dash and quote styles) against the
questions of the survey, or of its series, in ``survey_questions.csv``. Columns headed
"Directorate", "Team" or "Staff group" fill the grouping columns.

Anything that cannot be mapped safely is an error naming ``file:row:column`` (the column as a
spreadsheet letter): an unmatched question column, a multi-select question (one column per
ticked option: not one answer per question), two columns for one question, a missing or
repeated Respondent ID. All errors are collected and raised together as a
:class:`~odreport.errors.DataValidationError` (exit code 3); nothing is written.

``survey_responses.csv`` is only ever replaced whole (:func:`write_atomically`): a full disk
or any other error while writing leaves the old file as it was (exit code 1).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from odreport.errors import DataValidationError, OdReportError, UsageError
from odreport.inputs.problems import Problem, fmt_value
from odreport.inputs.tables import _decode
from odreport.paths import Project

RESPONSE_COLUMNS = [
    "survey_id",
    "respondent_id",
    "question_ref",
    "answer",
    "directorate",
    "team",
    "staff_group",
]
RESPONDENT_ID = "Respondent ID"
METADATA_HEADERS = (
    RESPONDENT_ID,
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)
"""SurveyMonkey's respondent metadata columns, in the order its exports give them."""
METADATA = frozenset(h.casefold() for h in METADATA_HEADERS)
_CUSTOM_DATA_RE = re.compile(r"^custom data \d+$")
GROUPING = {"directorate": "directorate", "team": "team", "staff group": "staff_group"}
SINGLE_LABELS = frozenset({"response", "open-ended response", ""})
GRID_SEPARATOR = " — "
FIRST_DATA_ROW = 3  # rows 1 and 2 are headers


# --- reading ------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_export(path: Path) -> list[list[str]]:
    """Every row of the export as text cells (CSV in UTF-8 or Windows-1252, or .xlsx)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl  # imported here: only needed for workbooks

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    text = _decode(path.read_bytes())
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


# --- matching -----------------------------------------------------------------------------

_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """Question text for matching: case, spacing, dash and quote styles ignored."""
    return " ".join(str(text).translate(_DASHES).split()).casefold()


def survey_questions_for(
    questions: pd.DataFrame, survey_id: str, series: str | None = None
) -> dict[str, str]:
    """``{normalised question text: question_ref}`` for the survey (its own rows win)."""
    out: dict[str, str] = {}
    for owner in [s for s in (series, survey_id) if s]:
        mine = questions[questions["survey"] == owner]
        for ref, text in zip(mine["question_ref"], mine["question"], strict=True):
            out[normalise(text)] = str(ref)
    return out


def _question_groups(row1: list[str], row2: list[str]) -> list[tuple[str, list[int]]]:
    """Columns grouped by question: a blank row-1 cell continues the question to its left."""
    groups: list[tuple[str, list[int]]] = []
    for i, head in enumerate(row1):
        head = head.strip()
        if head or not groups:
            groups.append((head, [i]))
        else:
            groups[-1][1].append(i)
    return groups


def _is_metadata(head: str) -> bool:
    key = head.casefold()
    return key in METADATA or bool(_CUSTOM_DATA_RE.match(key))


def _is_multi_select(cols: list[int], row2: list[str], body: list[list[str]]) -> bool:
    """Several columns each holding only its own row-2 label (a ticked option) or nothing."""
    if len(cols) < 2:
        return False
    answered = False
    for c in cols:
        label = row2[c].strip().casefold()
        for rec in body:
            value = rec[c].strip().casefold()
            if value:
                answered = True
                if value != label:
                    return False
    return answered


# --- converting ---------------------------------------------------------------------------


def convert(
    path: Path, survey_id: str, questions: pd.DataFrame, series: str | None = None
) -> pd.DataFrame:
    """Respondent-level rows (``survey_responses`` columns) from a SurveyMonkey export.

    ``questions`` is the organisation's ``survey_questions`` table; only rows for
    ``survey_id`` or its ``series`` are matched. Every respondent gets one row per question,
    with a blank ``answer`` when skipped; rows follow the file (respondents) and the columns
    (questions). Raises :class:`DataValidationError` listing every problem found.
    """
    path = Path(path)
    where = path.as_posix()
    grid = read_export(path)
    if len(grid) < 2:
        raise DataValidationError(
            [
                Problem(
                    where, None, None, "not a SurveyMonkey export (expected two header rows)"
                ).line()
            ]
        )
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    row1, row2 = grid[0], grid[1]
    body_rows = [
        (n, rec)
        for n, rec in enumerate(grid[2:], start=FIRST_DATA_ROW)
        if any(v.strip() for v in rec)
    ]
    body = [rec for _, rec in body_rows]
    known = survey_questions_for(questions, survey_id, series)
    problems: list[Problem] = []
    id_col: int | None = None
    grouping: dict[str, int] = {}
    mapped: list[tuple[int, str]] = []  # (column, question_ref)
    first_col: dict[str, int] = {}
    for head, cols in _question_groups(row1, row2):
        if head.casefold() == RESPONDENT_ID.casefold():
            id_col = cols[0]
            continue
        if _is_metadata(head):
            continue  # personal data: dropped
        if head.casefold() in GROUPING and len(cols) == 1:
            grouping[GROUPING[head.casefold()]] = cols[0]
            continue
        if _is_multi_select(cols, row2, body):
            for c in cols:
                problems.append(
                    Problem(
                        where,
                        2,
                        column_letter(c),
                        "multi-select question (one column per ticked option) is not "
                        f"supported: one answer per question is needed (found option "
                        f"{fmt_value(row2[c].strip())} of {fmt_value(head)})",
                    )
                )
            continue
        for c in cols:
            # "Response" under a question is the question itself (also when an "Other
            # (please specify)" column follows it); any other label is a grid item
            single = row2[c].strip().casefold() in SINGLE_LABELS
            text = head if single else f"{head}{GRID_SEPARATOR}{row2[c].strip()}"
            ref = known.get(normalise(text))
            if ref is None:
                found = (
                    fmt_value(head, 120)
                    if single
                    else f"{fmt_value(row2[c].strip(), 120)} under {fmt_value(head)}"
                )
                problems.append(
                    Problem(
                        where,
                        1 if single else 2,
                        column_letter(c),
                        f"question not in survey_questions.csv for survey {survey_id}"
                        f"{f' or series {series}' if series else ''} (found {found})",
                    )
                )
            elif ref in first_col:
                problems.append(
                    Problem(
                        where,
                        1 if single else 2,
                        column_letter(c),
                        f"second column for question {ref} (first in column "
                        f"{column_letter(first_col[ref])})",
                    )
                )
            else:
                first_col[ref] = c
                mapped.append((c, ref))
    if id_col is None:
        problems.append(
            Problem(where, 1, None, f"no {fmt_value(RESPONDENT_ID)} column in the header row")
        )
    else:
        seen: dict[str, int] = {}
        letter = column_letter(id_col)
        for n, rec in body_rows:
            rid = rec[id_col].strip()
            if not rid:
                problems.append(Problem(where, n, letter, "respondent ID is missing"))
            elif rid in seen:
                problems.append(
                    Problem(
                        where,
                        n,
                        letter,
                        f"respondent ID repeated (found {fmt_value(rid)}, first on row "
                        f"{seen[rid]})",
                    )
                )
            else:
                seen[rid] = n
    if problems:
        raise DataValidationError([p.line() for p in problems])
    return _rows(survey_id, body, id_col, grouping, mapped)


def _blank(value: str) -> str | None:
    value = value.strip()
    return value or None


def _rows(
    survey_id: str,
    body: list[list[str]],
    id_col: int | None,
    grouping: dict[str, int],
    mapped: list[tuple[int, str]],
) -> pd.DataFrame:
    records = []
    for rec in body:
        groups = {name: _blank(rec[c]) for name, c in grouping.items()}
        for c, ref in mapped:
            records.append(
                {
                    "survey_id": survey_id,
                    "respondent_id": rec[id_col].strip(),
                    "question_ref": ref,
                    "answer": _blank(rec[c]),
                    "directorate": groups.get("directorate"),
                    "team": groups.get("team"),
                    "staff_group": groups.get("staff_group"),
                }
            )
    return pd.DataFrame(records, columns=RESPONSE_COLUMNS, dtype=object)


# --- merging into an organisation's inputs ------------------------------------------------


def merge_responses(
    existing: pd.DataFrame | None, survey_id: str, new: pd.DataFrame
) -> pd.DataFrame:
    """``existing`` without ``survey_id``'s rows, plus ``new``; ordered by survey (stable).

    Blank values are empty strings, ready to write.
    """
    parts = []
    if existing is not None and not existing.empty:
        parts.append(existing.loc[existing["survey_id"] != survey_id, RESPONSE_COLUMNS])
    parts.append(new[RESPONSE_COLUMNS])
    out = pd.concat(parts, ignore_index=True).astype(object)
    out = out.where(out.notna(), "")
    out = out.sort_values("survey_id", kind="stable").reset_index(drop=True)
    return out


def read_responses(path: Path) -> pd.DataFrame | None:
    """An organisation's ``survey_responses.csv`` as text (blanks as ''), or ``None``."""
    if not path.exists():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


CHUNK = 1 << 16  # bytes per write


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that it is never seen half-written.

    The data go to a temporary file in the same folder, which is synced to disk, read back and
    compared, given the old file's permissions, and only then renamed over ``path`` (one
    atomic step); the folder is synced so the rename survives a crash. On any error (a full
    disk, say) the temporary file is removed and ``path`` is as it was.
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        try:
            view = memoryview(data)
            done = 0
            while done < len(view):
                done += os.write(fd, view[done : done + CHUNK])
            os.fsync(fd)
        finally:
            os.close(fd)
        if tmp.read_bytes() != data:
            raise OSError(errno.EIO, "the file read back differs from what was written")
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # not every file system syncs a folder
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_responses(frame: pd.DataFrame, path: Path) -> None:
    """Write ``survey_responses.csv`` (UTF-8, ``\\n`` line ends, blanks empty) atomically
    (:func:`write_atomically`)."""
    frame = frame[RESPONSE_COLUMNS].astype(object)
    text = frame.where(frame.notna(), "").to_csv(index=False, lineterminator="\n")
    write_atomically(path, text.encode("utf-8"))


def import_export(
    project: Project, org: str, survey_id: str, export: Path
) -> tuple[Path, int, int]:
    """Convert ``export`` and merge it into ``data/raw/<org>/survey_responses.csv``.

    The survey must be in the organisation's ``surveys.csv`` and its questions in
    ``survey_questions.csv``. Returns the file written, the respondents and the rows imported.
    """
    from odreport.inputs.tables import read_inputs
    from odreport.paths import check_org

    check_org(project, org)
    raw = project.raw_dir(org)
    inputs = read_inputs(raw, project.expectations)
    path = raw / "survey_responses.csv"
    unreadable = [p.line() for p in inputs.problems if p.is_critical and p.file.endswith(path.name)]
    if unreadable:  # never merge into (and so rewrite) a file that could not be read
        raise DataValidationError(unreadable)
    surveys, questions = inputs.get("surveys"), inputs.get("survey_questions")
    if surveys is None or survey_id not in set(surveys["survey_id"].dropna()):
        raise UsageError(
            f"survey {survey_id!r} is not in data/raw/{org}/surveys.csv: add its row first"
        )
    if questions is None:
        raise UsageError(
            f"data/raw/{org}/survey_questions.csv is missing: add the survey's questions first"
        )
    series = surveys.loc[surveys["survey_id"] == survey_id, "series"].iloc[0]
    series = None if series is None or pd.isna(series) else str(series)
    new = convert(export, survey_id, questions, series)
    merged = merge_responses(read_responses(path), survey_id, new)
    try:
        write_responses(merged, path)
    except OSError as exc:
        where = f"data/raw/{org}/{path.name}"
        raise OdReportError(
            f"could not write {where} ({exc.strerror or exc}); it is unchanged"
        ) from exc
    return path, int(new["respondent_id"].nunique()), len(new)
