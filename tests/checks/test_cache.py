"""Validation results kept for unchanged inputs (odreport.checks.cache), and their use by the
pipeline: a hit skips Great Expectations, anything changed validates again, a damaged or foreign
entry is ignored, and failing inputs fail from the cache with the same problems."""

from __future__ import annotations

import json
import shutil

import pytest

from odreport.checks import cache, validate
from odreport.errors import DataValidationError
from odreport.inputs.problems import CRITICAL, WARNING, Problem
from odreport.inputs.tables import read_inputs
from odreport.publish import pipeline

PROBLEMS = [
    Problem("data/raw/x/progress.csv", 14, "rag", "not an allowed value (found 'Gren')"),
    Problem("data/raw/x/actions.csv", None, None, "no rows", WARNING),
    Problem("data/raw/x/actions.csv", 3, "due", "a date in the past", WARNING, rows=4),
]


def _folders(tmp_path):
    raw = tmp_path / "raw" / "acme"
    suites = tmp_path / "expectations"
    raw.mkdir(parents=True)
    suites.mkdir()
    (raw / "progress.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (suites / "progress.json").write_text('{"name": "progress"}', encoding="utf-8")
    return raw, suites


def test_the_key_changes_with_any_input_suite_code_or_folder_name(tmp_path):
    raw, suites = _folders(tmp_path)
    key = cache.validation_key(raw, suites, "code-1")
    assert cache.validation_key(raw, suites, "code-1") == key  # nothing changed

    (raw / "progress.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    changed_input = cache.validation_key(raw, suites, "code-1")
    (suites / "progress.json").write_text('{"name": "progress", "x": 1}', encoding="utf-8")
    changed_suite = cache.validation_key(raw, suites, "code-1")
    changed_code = cache.validation_key(raw, suites, "code-2")
    (raw / "narrative").mkdir()
    (raw / "narrative" / "2016-06.md").write_text("# Summary\n", encoding="utf-8")
    added_file = cache.validation_key(raw, suites, "code-2")
    renamed = raw.rename(raw.with_name("other"))
    other_folder = cache.validation_key(renamed, suites, "code-2")
    keys = [key, changed_input, changed_suite, changed_code, added_file, other_folder]
    assert len(set(keys)) == len(keys)


def test_the_code_version_covers_the_reading_and_checking_code():
    names = {p.relative_to(cache.PACKAGE).as_posix() for p in cache.code_files()}
    assert {"checks/validate.py", "inputs/tables.py", "errors.py", "checks/cache.py"} <= names
    assert not any(n.startswith(("report/", "publish/", "metrics/")) for n in names)
    assert cache.code_version() == cache.code_version()


def test_problems_come_back_as_they_were_recorded(tmp_path):
    store = cache.ValidationCache(tmp_path / "cache")
    assert store.get("x", "k1") is None  # nothing recorded yet
    store.put("x", "k1", PROBLEMS)
    store.put("y", "k2", [])
    assert store.get("x", "k1") == PROBLEMS
    assert [p.severity for p in store.get("x", "k1")] == [CRITICAL, WARNING, WARNING]
    assert store.get("y", "k2") == []  # valid inputs without warnings: recorded too
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize(
    "damage",
    [
        "not json at all {",
        "[]",
        json.dumps({"format": 1, "key": "k1"}),
        json.dumps({"format": 999, "key": "k1", "problems": []}),
        json.dumps({"format": 1, "key": "k1", "problems": [{"file": "x"}]}),
        json.dumps(
            {
                "format": 1,
                "key": "k1",
                "problems": [
                    {
                        "file": "x",
                        "row": "1",
                        "column": None,
                        "message": "m",
                        "severity": "critical",
                        "rows": 1,
                    }
                ],
            }
        ),
        json.dumps(
            {
                "format": 1,
                "key": "k1",
                "problems": [
                    {
                        "file": "x",
                        "row": 1,
                        "column": None,
                        "message": "m",
                        "severity": "fine",
                        "rows": 1,
                    }
                ],
            }
        ),
    ],
)
def test_a_damaged_entry_is_ignored(tmp_path, damage):
    store = cache.ValidationCache(tmp_path)
    store.put("x", "k1", PROBLEMS)
    store.path("x", "k1").write_text(damage, encoding="utf-8")
    assert store.get("x", "k1") is None


def test_an_entry_recorded_for_another_key_is_ignored(tmp_path):
    store = cache.ValidationCache(tmp_path)
    store.put("x", "valid-inputs", [])
    foreign = store.path("y", "invalid-inputs")
    shutil.copyfile(store.path("x", "valid-inputs"), foreign)  # another's entry, renamed
    assert store.get("y", "invalid-inputs") is None
    assert store.get("x", "valid-inputs") == []


def test_only_the_latest_entry_of_an_organisation_is_kept(tmp_path):
    store = cache.ValidationCache(tmp_path)
    store.put("x", "old", PROBLEMS)
    store.put("x-north", "other", [])  # another organisation, its name starting alike
    store.put("x", "new", [])
    assert store.get("x", "old") is None and store.get("x", "new") == []
    assert store.get("x-north", "other") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x--new.json", "x-north--other.json"]


def test_an_unwritable_cache_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    store = cache.ValidationCache(blocker / "cache")  # cannot be a folder
    store.put("x", "k1", PROBLEMS)
    assert store.get("x", "k1") is None


def _no_validation(*args, **kwargs):
    raise AssertionError("validated again")


def test_unchanged_inputs_are_not_validated_again(example_project, monkeypatch):
    first = pipeline.load_and_validate(example_project, "example")
    assert len(list(pipeline.validation_cache(example_project).folder.glob("*.json"))) == 1
    monkeypatch.setattr(validate, "validate_inputs", _no_validation)
    again = pipeline.load_and_validate(example_project, "example")
    assert again.warnings == first.warnings
    assert again.inputs.tables.keys() == first.inputs.tables.keys()


def test_changed_inputs_are_validated_again(example_project, monkeypatch):
    pipeline.load_and_validate(example_project, "example")
    progress = example_project.raw_dir("example") / "progress.csv"
    progress.write_text(progress.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(validate, "validate_inputs", _no_validation)
    with pytest.raises(AssertionError, match="validated again"):
        pipeline.load_and_validate(example_project, "example")


def test_invalid_inputs_fail_from_the_cache_with_the_same_problems(example_project, monkeypatch):
    actions = example_project.raw_dir("example") / "actions.csv"
    lines = actions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("theme_ref")] = "NO-SUCH-THEME"
    actions.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as first:
        pipeline.load_and_validate(example_project, "example")
    assert any("theme_ref" in line for line in first.value.problems)
    monkeypatch.setattr(validate, "validate_inputs", _no_validation)
    with pytest.raises(DataValidationError) as again:
        pipeline.load_and_validate(example_project, "example")
    assert again.value.problems == first.value.problems


def test_a_damaged_entry_is_validated_again_and_rewritten(example_project):
    first = pipeline.load_and_validate(example_project, "example")
    (entry,) = pipeline.validation_cache(example_project).folder.glob("*.json")
    entry.write_text('{"format": 1, "key": "forged", "problems": []}', encoding="utf-8")
    again = pipeline.load_and_validate(example_project, "example")
    assert again.warnings == first.warnings
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem.split("--", 1)[1]


def test_inputs_changed_during_validation_are_not_recorded(example_project):
    key = pipeline.validation_key(example_project, "example")
    inputs = read_inputs(example_project.raw_dir("example"), example_project.expectations)
    themes = example_project.raw_dir("example") / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    pipeline.check_inputs(example_project, inputs, key=key)
    assert pipeline.cached_problems(example_project, "example", key) is None
    assert pipeline.cached_problems(example_project, "example", None) is None
