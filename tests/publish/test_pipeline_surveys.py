"""End to end: survey results in the rendered reports (Rotherham real, Nottingham illustrative)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from odreport.cli import main
from odreport.publish.builder import build_report
from support import REPO, make_project

pytestmark = pytest.mark.e2e

HIDDEN = "suppressed (fewer than 11 responses)"


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(html: str, anchor: str) -> str:
    """The section whose heading has the id ``anchor`` (an appendix by its title: any letter)."""
    if anchor.startswith("appendix-"):
        anchor = re.search(rf'<h2 id="(appendix-[a-z]-{anchor[11:]})">', html).group(1)
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<h2 ", start + 10)
    return html[start : end if end > 0 else None]


def test_rotherham_engagement_rating_sits_under_the_engagement_theme(rendered):
    _, paths = rendered
    html = paths["rotherham"].read_text(encoding="utf-8")
    evidence = _text(_section(html, "appendix-x-survey-evidence-by-theme"))
    # Q4e is an item of the grid question Q4: its stem is named once, above the table
    assert re.search(
        r"E Engagement Practice Managers [^|]*? Q4e Engagement \(with practices and others\)",
        evidence,
    )
    assert "Q4e and Q4f are items of one question: “In terms of improving" in evidence
    results = _section(html, "survey-results")
    # Appendix 3b, Q4e: Good 8 + Excellent 2 of 15 answered, no "Don't know": 67% of a base
    # of 15, shown once (in the chart's data), not again under the theme
    q4e = re.search(r"<tr><td>Q4e</td>.*?</tr>", results).group(0)
    assert '<td class="num">67%</td><td class="num">15</td>' in q4e
    assert "67%" not in evidence
    assert "Practice Managers" in _text(results) and "Respondents 15" in _text(results)
    # Q7 has 9 different comments: 3 in the body, the rest in the appendix
    detail = _text(_section(html, "appendix-x-survey-detail"))
    assert "Too often feel we're being talked to not listened to" in detail


def test_nottingham_pulse_suppresses_small_directorates_and_trends_waves(rendered):
    _, paths = rendered
    html = paths["nottingham"].read_text(encoding="utf-8")
    text = _text(_section(html, "appendix-x-survey-detail"))
    assert "a result is shown as “suppressed” when it has fewer than 11 responses" in text
    assert "with at least one result suppressed, shown as “suppressed”" in text
    assert "illustrative" in _text(html[: html.index('<nav aria-label="Contents"')]).lower()
    trends = _text(_section(html, "appendix-x-charts-of-the-measures"))
    assert "Trends across pulse waves" in trends
    assert "trial limits" in trends
    # comments: redacted, never live markup (the demonstration comments are plausible text
    # only; escaping of hostile comments is tested with injected strings in
    # tests/metrics/test_surveys.py and tests/publish/test_pipeline.py)
    assert "[e-mail address removed]" in text and "[telephone number removed]" in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text.replace("[e-mail address removed]", ""))
    assert "<script" not in html


def test_nothing_suppressed_reaches_data_processed(rendered):
    project, paths = rendered
    period = paths["nottingham"].parent.name
    processed = project.processed_dir("nottingham", period)
    summary = pd.read_csv(processed / "survey_summary.csv", dtype=str, keep_default_na=False)
    hidden = summary[summary["suppressed"] == "True"]
    assert len(hidden) > 0
    numbers = ["responses", "favourable", "neutral", "unfavourable", "excluded", "base"]
    numbers += ["pct_favourable", "respondents", "skipped"]
    assert (hidden[numbers] == "").all().all()
    options = pd.read_csv(processed / "survey_options.csv", dtype=str, keep_default_na=False)
    key = ["survey_id", "question_ref", "group_by", "group"]
    keys = set(hidden[key].itertuples(index=False, name=None))
    assert not keys & set(options[key].itertuples(index=False, name=None))
    raw = pd.read_csv(
        project.raw_dir("nottingham") / "survey_responses.csv", dtype=str, keep_default_na=False
    )
    assert not (processed / "survey_responses.csv").exists()
    emails = raw["answer"].str.contains("@", regex=False)
    assert emails.any()
    assert "@" not in (processed / "survey_comments.csv").read_text(encoding="utf-8")


def test_public_version_has_no_comments_and_threshold_is_a_setting(tmp_path, capsys, kept):
    project = make_project(tmp_path, {"nottingham": REPO / "data" / "raw" / "nottingham"})
    code = main(["--root", str(project.root), "report", "--org", "nottingham", "--public"])
    assert code == 0
    public = capsys.readouterr().out.strip().splitlines()[-1]
    assert public.endswith("report-public.html")
    html = (project.root / public).read_text(encoding="utf-8")
    text = _text(html)
    assert "Free-text comments are not shown in this version of the report." in text
    assert "[telephone number removed]" not in text
    assert "comments not shown (public version)" in text  # recorded in the provenance
    assert not (project.root / public).with_name("report.html").exists()
    full = build_report(project, "nottingham", min_group_size=1, session=kept)
    assert HIDDEN not in _text(full.read_text(encoding="utf-8"))
    assert "fewer than 1 responses" not in full.read_text(encoding="utf-8")


def test_bad_threshold_is_a_usage_error(tmp_path, capsys):
    project = make_project(tmp_path, {"rotherham": REPO / "data" / "raw" / "rotherham"})
    code = main(
        ["--root", str(project.root), "report", "--org", "rotherham", "--min-group-size", "0"]
    )
    assert code == 2
    assert "at least 1" in capsys.readouterr().err


def test_rotherham_shows_every_appendix_3_question_as_published(rendered):
    project, paths = rendered
    html = paths["rotherham"].read_text(encoding="utf-8")
    survey = _section(html, "appendix-x-survey-detail")
    published = survey[survey.index("Results as published") :]
    published = published[: published.index("</table>")]
    rows = {
        re.sub(r"<[^>]+>", "", m[1]): m[2]
        for m in re.finditer(r'<th scope="row">(.*?)</th>(.*?)</tr>', published, flags=re.S)
    }
    results = pd.read_csv(
        project.raw_dir("rotherham") / "survey_results.csv", dtype=str, keep_default_na=False
    )
    rated = results[results["option"] != ""]
    assert set(rows) == set(rated["question_ref"])
    for _, r in rated.iterrows():
        count = round(float(r["percent"]) * int(r["answered"]) / 100)
        assert f">{float(r['percent']):g}% ({count})<" in rows[r["question_ref"]], r.to_dict()
    free_text = set(results.loc[results["option"] == "", "question_ref"])
    assert free_text == {"Q3", "Q5", "Q7", "Q9"}
    text = _text(survey)
    body = _text(_section(html, "survey-results"))
    for ref in free_text - {"Q9"}:
        assert f"{ref} " in body  # their comments, under the question
    assert (
        "Q9 (Do you have any other comments to contribute to this review?): answered 4 + "
        "skipped 1 = 5, not the survey's 15 respondents." in text
    )
