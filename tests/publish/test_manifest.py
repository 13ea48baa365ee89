"""Incremental builds (odreport.publish.manifest): fingerprints from content, outputs checked."""

from __future__ import annotations

import json
import os

import pytest

from odreport.files import DamagedFile
from odreport.publish import manifest

REQUEST = {"org": "example", "period": "", "min_group_size": 11, "public": False, "meeting": ""}


def _built(project, request=REQUEST):
    """Pretend a report was rendered, and record it."""
    folder = project.report_dir("example", "2025-12")
    folder.mkdir(parents=True)
    report = folder / "report.html"
    report.write_text("<p>report</p>", encoding="utf-8")
    (folder / "report.ipynb").write_text("{}", encoding="utf-8")
    fp = manifest.fingerprint(project, "example", request)
    manifest.record(report, request, fp, [report, folder / "report.ipynb"])
    return report, fp


def test_same_files_same_fingerprint_and_the_build_is_found(example_project):
    report, fp = _built(example_project)
    assert manifest.fingerprint(example_project, "example", dict(REQUEST)) == fp
    assert manifest.up_to_date(example_project, "example", REQUEST, fp) == report


def test_file_times_do_not_count_contents_do(example_project):
    _, fp = _built(example_project)
    progress = example_project.raw_dir("example") / "progress.csv"
    os.utime(progress, (1, 1))  # touched, same content
    assert manifest.fingerprint(example_project, "example", REQUEST) == fp
    progress.write_text(progress.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = manifest.fingerprint(example_project, "example", REQUEST)
    assert changed != fp
    assert manifest.up_to_date(example_project, "example", REQUEST, changed) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p.raw_dir("example") / "extra.txt").write_text("new input file"),
        lambda p: (p.notebooks / "governance_report.ipynb").write_text("{}"),
        lambda p: (p.expectations / "themes.json").write_text("{}"),
    ],
    ids=["new input file", "notebook", "suite"],
)
def test_inputs_notebook_and_suites_are_in_the_fingerprint(example_project, change):
    _, fp = _built(example_project)
    change(example_project)
    assert manifest.fingerprint(example_project, "example", REQUEST) != fp


def test_package_code_is_in_the_fingerprint(example_project):
    files = {p.name for p in manifest.code_files(example_project)}
    assert {"pipeline.py", "registry.py", "blocks.html.j2", "report.css", "governance_report.ipynb"} <= files
    assert "themes.json" in files


def test_every_parameter_is_in_the_fingerprint(example_project):
    _, fp = _built(example_project)
    for key, value in [("period", "2025-12"), ("min_group_size", 5), ("public", True)]:
        other = REQUEST | {key: value}
        assert manifest.fingerprint(example_project, "example", other) != fp, key
        assert manifest.up_to_date(example_project, "example", other, fp) is None, key


def test_a_changed_or_missing_output_is_rebuilt(example_project):
    report, fp = _built(example_project)
    report.write_text("<p>edited by hand</p>", encoding="utf-8")
    assert manifest.up_to_date(example_project, "example", REQUEST, fp) is None
    report.unlink()
    assert manifest.up_to_date(example_project, "example", REQUEST, fp) is None


def test_requests_share_a_folder_and_a_corrupt_manifest_means_rebuild(example_project):
    report, fp = _built(example_project)
    other = REQUEST | {"meeting": "2026-01-15"}
    fp2 = manifest.fingerprint(example_project, "example", other)
    manifest.record(report, other, fp2, [report])
    assert manifest.up_to_date(example_project, "example", REQUEST, fp) == report
    assert manifest.up_to_date(example_project, "example", other, fp2) == report
    (report.parent / manifest.MANIFEST).write_text("not json", encoding="utf-8")
    with pytest.warns(DamagedFile, match="reports/example/2025-12/manifest.json: damaged"):
        assert manifest.up_to_date(example_project, "example", REQUEST, fp) is None


@pytest.mark.parametrize(
    "damaged",
    [
        [],
        {"builds": []},
        {"builds": {"x": "not an entry"}},
        {"builds": {"x": {"fingerprint": "f", "report": "report.html", "outputs": ["a"]}}},
    ],
    ids=["a list", "builds a list", "an entry a string", "outputs a list"],
)
def test_a_manifest_of_the_wrong_shape_is_reported_and_written_again(example_project, damaged):
    report, fp = _built(example_project)
    path = report.parent / manifest.MANIFEST
    path.write_text(json.dumps(damaged), encoding="utf-8")
    with pytest.warns(DamagedFile):
        assert manifest.up_to_date(example_project, "example", REQUEST, fp) is None
    with pytest.warns(DamagedFile):
        manifest.record(report, REQUEST, fp, [report])
    assert manifest.up_to_date(example_project, "example", REQUEST, fp) == report
    assert path.stat().st_mode & 0o777 != 0o600  # written like any other file


def test_the_manifest_is_as_readable_as_the_umask_allows(example_project):
    old = os.umask(0o022)
    try:
        report, _ = _built(example_project)
    finally:
        os.umask(old)
    assert (report.parent / manifest.MANIFEST).stat().st_mode & 0o777 == 0o644


def test_the_default_suppression_threshold_is_the_surveys_default():
    from odreport.metrics.surveys import DEFAULT_MIN_GROUP_SIZE, SurveySettings

    assert manifest.DEFAULT_MIN_GROUP_SIZE == DEFAULT_MIN_GROUP_SIZE == SurveySettings().min_group_size
    assert manifest.request("example") == REQUEST
    assert manifest.request("x", "2016-06", 5, True, "2016-07-01") == {
        "org": "x",
        "period": "2016-06",
        "min_group_size": 5,
        "public": True,
        "meeting": "2016-07-01",
    }
