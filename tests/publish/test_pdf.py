"""Reports printed to A4 PDF (odreport.publish.pdf).

Unit tests: the particulars a printed report shows (running header, footer, metadata), the
header and footer templates, reproducible metadata, the missing-browser error. Browser tests
(marked ``browser`` and ``e2e``, skipped with the reason when Chromium is missing): every
demonstration report printed, "Page N of M" on every page, page counts, identical bytes from
two prints, self-containment enforced, page 1 rendered to PNG when ``pdftoppm`` exists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from odreport.publish import pdf
from support import ORGS, REPO

pypdf = pytest.importorskip("pypdf")
pikepdf = pytest.importorskip("pikepdf")

HOSTILE = '<script>alert(1)</script> & "Co"'
FIGURES = {
    "org": "exampleshire",
    "organisation": "Exampleshire CCG",
    "organisation_name": "NHS Exampleshire Clinical Commissioning Group",
    "meeting": {"body": "Governing Body", "date": "2016-04-13", "papers_due": "2016-04-06"},
    "reporting_date": "2016-03-31",
    "period": "2016-03",
    "period_label": "March 2016",
}


def _report(folder: Path, figures: dict = FIGURES, body: str = "<p>Report</p>") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    report = folder / "report.html"
    report.write_text(
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title></head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return report


def test_particulars_from_the_figures_beside_the_report(tmp_path):
    p = pdf.particulars(_report(tmp_path), "Exampleshire CCG: progress report, March 2016")
    assert p.organisation == "NHS Exampleshire Clinical Commissioning Group"
    assert p.reporting_date == dt.date(2016, 3, 31)
    assert p.occasion == "Governing Body meeting, 13 April 2016"
    assert p.subject == (
        "Organisational development progress report for March 2016, prepared for the "
        "Governing Body meeting on 13 April 2016; data as at 31 March 2016"
    )


def test_an_illustrative_meeting_date_is_called_so_in_the_running_header(tmp_path):
    meeting = FIGURES["meeting"] | {"illustrative": True}
    p = pdf.particulars(_report(tmp_path, FIGURES | {"meeting": meeting}), "T")
    assert p.occasion == "Governing Body meeting, 13 April 2016 (illustrative date)"


def test_without_a_meeting_the_header_names_the_period(tmp_path):
    p = pdf.particulars(_report(tmp_path, FIGURES | {"meeting": None}), "T")
    assert p.meeting_date is None
    assert p.occasion == "Reporting period March 2016"
    assert p.subject.endswith("for March 2016; data as at 31 March 2016")


def test_figures_from_an_older_version_ask_for_a_new_render(tmp_path):
    old = {k: v for k, v in FIGURES.items() if k != "organisation_name"}
    with pytest.raises(pdf.PrintError, match=r"render the report again \(FORCE=1\)"):
        pdf.particulars(_report(tmp_path, old), "T")
    with pytest.raises(pdf.PrintError, match=r"figures\.json"):
        pdf.particulars(tmp_path / "elsewhere" / "report.html", "T")


def test_header_and_footer_templates_escape_and_number_pages(tmp_path):
    p = pdf.particulars(_report(tmp_path, FIGURES | {"organisation_name": HOSTILE}), HOSTILE)
    header, footer = pdf.header_template(p), pdf.footer_template(p)
    for html in (header, footer):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;" in html
        assert "font-size: 8pt" in html  # Chromium's header has no default size
    assert "Governing Body meeting, 13 April 2016" in header
    assert 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>' in footer


def test_pdf_dates_are_midnight_utc_on_the_data_date():
    assert pdf.pdf_date(dt.date(2012, 12, 31)) == "D:20121231000000Z"


def _chromium_like_pdf(printed_at: str) -> bytes:
    """A one-page PDF with what Chromium writes: its creator, producer and the print time."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    doc.docinfo["/Creator"] = "Mozilla/5.0 HeadlessChrome/150.0.0.0"
    doc.docinfo["/Producer"] = "Skia/PDF m150"
    doc.docinfo["/CreationDate"] = printed_at
    doc.docinfo["/ModDate"] = printed_at
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_normalise_sets_metadata_and_removes_the_print_time(tmp_path):
    p = pdf.particulars(_report(tmp_path), "Exampleshire CCG: progress report, March 2016")
    first = pdf.normalise(_chromium_like_pdf("D:20261201024501+00'00'"), p)
    again = pdf.normalise(_chromium_like_pdf("D:20270315093012+00'00'"), p)
    assert first == again  # printed at different times, the same bytes
    reader = pypdf.PdfReader(io.BytesIO(first))
    assert dict(reader.metadata) == {
        "/Title": "Exampleshire CCG: progress report, March 2016",
        "/Author": "NHS Exampleshire Clinical Commissioning Group",
        "/Subject": p.subject,
        "/Keywords": "organisational development; progress report; exampleshire; 2016-03",
        "/Creator": f"odreport {pdf.__version__}",
        "/Producer": "Skia/PDF m150",
        "/CreationDate": "D:20160331000000Z",
        "/ModDate": "D:20160331000000Z",
    }
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Exampleshire CCG: progress report, March 2016"}
    assert xmp.dc_creator == ["NHS Exampleshire Clinical Commissioning Group"]
    assert xmp.xmp_create_date == dt.datetime(2016, 3, 31)
    ids = reader.trailer["/ID"]
    assert len(ids) == 2 and ids[0] == ids[1] and len(bytes(ids[0])) == 16
    other = pdf.normalise(
        _chromium_like_pdf("D:20261201024501+00'00'"), dataclasses.replace(p, title="Another")
    )
    assert pypdf.PdfReader(io.BytesIO(other)).trailer["/ID"][0] != ids[0]  # content-derived


def test_pdf_path_is_beside_the_report():
    assert pdf.pdf_path(Path("r/x/2016-03/report.html")) == Path("r/x/2016-03/report.pdf")
    assert pdf.pdf_path(Path("report-public.html")) == Path("report-public.pdf")


def test_no_browser_is_a_one_line_error_with_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.BROWSER_ENV, str(tmp_path / "no-such-chromium"))
    assert pdf.find_chromium() is None
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        if Path(pw.chromium.executable_path).is_file():
            pytest.skip("a Playwright-managed Chromium is installed: it would be used")
    report = _report(tmp_path / "r")
    with pytest.raises(pdf.BrowserNotFound) as caught:
        pdf.write_pdf(report)
    message = str(caught.value)
    assert "\n" not in message and "apt-get install chromium" in message
    assert caught.value.exit_code == 1
    assert not (tmp_path / "r" / "report.pdf").exists()


# --- in headless Chromium ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    if pdf.find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): PDF tests skipped")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def printed(chromium, rendered):
    """Every demonstration report printed twice, each time by a browser of its own."""
    project, paths = rendered
    first = {org: pdf.write_pdf(paths[org]).read_bytes() for org in ORGS}
    second = {org: pdf.write_pdf(paths[org]).read_bytes() for org in ORGS}
    return project, paths, first, second


@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("org", ORGS)
def test_every_page_numbered_and_headed(printed, org):
    _, paths, first, _ = printed
    figures = json.loads((paths[org].parent / "figures.json").read_text(encoding="utf-8"))
    reader = pypdf.PdfReader(io.BytesIO(first[org]))
    pages = len(reader.pages)
    # the body (the pages before Appendix A's heading) at most 8 A4 pages and the whole paper
    # at most 16, as issue 17 asks, for every organisation
    starts = [
        n
        for n, page in enumerate(reader.pages, start=1)
        if re.search(r"^Appendix A: ", page.extract_text(), re.M)
    ]
    body = max(starts) - 1  # the contents on page 1 list Appendix A too
    assert 1 <= body <= 8, f"{org}: body {body} pages"
    assert pages <= 16, f"{org}: {pages} pages"
    for n, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {n} of {pages}" in text, f"{org}: page {n}"
        assert figures["organisation_name"] in text, f"{org}: page {n} header"
    assert reader.metadata["/Author"] == figures["organisation_name"]
    assert reader.metadata["/Title"].endswith(figures["period_label"])
    end = figures["reporting_date"].replace("-", "")
    assert reader.metadata["/CreationDate"] == f"D:{end}000000Z"
    assert reader.pdf_header == "%PDF-1.4" or reader.pdf_header.startswith("%PDF-1.")
    assert reader.outline  # bookmarks from the headings
    record = REPO / "reports" / "screenshots" / "pdf-pages.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    counts = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    record.write_text(
        json.dumps(counts | {org: {"pages": pages, "body": body}}, indent=2, sort_keys=True) + "\n"
    )


def _text_sizes(reader) -> dict[float, int]:
    """Characters printed at each size (points, to 0.1), over every page."""
    sizes: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            key = round(size * math.hypot(a, b), 1)
            sizes[key] = sizes.get(key, 0) + len(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("org", ORGS)
def test_printed_at_full_size(printed, org):
    # A table or chart wider than the page makes Chromium shrink every page to fit it
    # (Rotherham printed at 70% before: its 7.5 pt tables at 5.3 pt). The print style sheet
    # sets nothing below 7.5 pt, so (bar a stray glyph of an icon) no text is smaller.
    _, _, first, _ = printed
    sizes = _text_sizes(pypdf.PdfReader(io.BytesIO(first[org])))
    small = sum(n for size, n in sizes.items() if size < 7.1)
    assert small <= 0.001 * sum(sizes.values()), f"{org}: {sorted(sizes.items())[:5]}"
    assert max(sizes, key=sizes.get) >= 7.5  # the most-used size: tables at 7.5 pt or more


@pytest.mark.browser
@pytest.mark.e2e
def test_darlington_header_names_its_meeting_and_page_one_its_particulars(printed):
    # meetings.csv: the first Governing Body meeting after 31 December 2012 is 9 January 2013
    _, _, first, _ = printed
    reader = pypdf.PdfReader(io.BytesIO(first["darlington"]))
    page1 = reader.pages[0].extract_text()
    assert "Governing Body meeting, 9 January 2013" in page1
    assert "Darlington CCG: organisational development progress" in page1
    assert reader.metadata["/Subject"] == (
        "Organisational development progress report for December 2012, prepared for the "
        "Governing Body meeting on 9 January 2013; data as at 31 December 2012"
    )


@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("org", ORGS)
def test_two_prints_give_the_same_bytes(printed, org):
    _, _, first, second = printed
    assert first[org] == second[org]


@pytest.mark.browser
@pytest.mark.e2e
def test_data_tables_are_printed_open(printed):
    # Darlington's status chart has its data table in a toggle: printed, under the chart
    _, _, first, _ = printed
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(first["darlington"])).pages)
    assert "Items by theme and status" in text
    assert "Data for this chart" not in text


@pytest.mark.browser
@pytest.mark.e2e
def test_a_report_that_loads_anything_else_is_not_printed(chromium, tmp_path):
    report = _report(tmp_path, body='<p>x</p><img alt="" src="https://example.org/x.png">')
    with pytest.raises(pdf.PrintError, match=r"asks for https://example\.org/x\.png"):
        pdf.write_pdf(report)
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.browser
@pytest.mark.e2e
def test_batch_printing_reports_each_and_goes_on_after_a_failure(chromium, rendered, tmp_path):
    project, paths = rendered
    broken = _report(tmp_path, body='<img alt="" src="https://example.org/x.png">')
    done = pdf.write_pdfs(project, [("broken", broken), ("dorset", paths["dorset"])])
    assert [p.ok for p in done] == [False, True]
    assert done[0].line().startswith("broken: PDF failed: report.html asks for https://")
    assert done[1].line() == (
        f"dorset: printed {done[1].pdf} ({done[1].pages} page{'s' if done[1].pages != 1 else ''})"
    )
    assert (project.root / done[1].pdf).stat().st_mode & 0o077 != 0o000  # not owner-only


@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("org", ORGS)
def test_page_one_as_png(printed, org):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: no PNG of page 1")
    _, paths, _, _ = printed
    shots = REPO / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    stem = shots / f"{org}-pdf-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
         str(pdf.pdf_path(paths[org])), str(stem)],
        check=True,
    )
    assert stem.with_suffix(".png").stat().st_size > 10_000


@pytest.mark.e2e
def test_odreport_pdf_without_a_browser_fails_in_one_line_and_keeps_the_report(
    rendered, monkeypatch, capsys
):
    from odreport import cli

    project, paths = rendered
    monkeypatch.setenv(pdf.BROWSER_ENV, str(project.root / "no-such-chromium"))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        if Path(pw.chromium.executable_path).is_file():
            pytest.skip("a Playwright-managed Chromium is installed: it would be used")
    before = paths["rotherham"].read_bytes()
    code = cli.main(["--root", str(project.root), "pdf", "--org", "rotherham"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: no Chromium found")
    assert "apt-get install chromium" in err
    assert out == ""
    assert paths["rotherham"].read_bytes() == before  # the report is untouched


@pytest.mark.browser
@pytest.mark.e2e
def test_odreport_pdf_prints_the_report_and_its_path(chromium, rendered, capsys):
    from odreport import cli

    project, paths = rendered
    code = cli.main(["--root", str(project.root), "pdf", "--org", "south-staffordshire"])
    out, err = capsys.readouterr()
    assert code == 0, err
    relative = pdf.pdf_path(paths["south-staffordshire"]).relative_to(project.root)
    assert out == f"{relative.as_posix()}\n"
    assert (project.root / relative).read_bytes().startswith(b"%PDF-")
