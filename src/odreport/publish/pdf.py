"""A rendered report printed to an A4 PDF by headless Chromium: ``report.pdf`` beside
``report.html`` (``make pdf``, ``make reports PDF=1``, ``make scheduled PDF=1``).

Chromium (Debian's ``chromium``, or one installed by ``playwright install chromium``) is driven
through Playwright and prints the report's own print style sheet (``report.css``, ``@media
print``): A4, headings kept with what follows, figures and small tables not split, table
header rows repeated, data tables shown. Chromium adds a running header (organisation and the
meeting the paper is for) and footer (title and "Page N of M"), from the templates in
``report/templates/pdf/``. The page is opened offline with JavaScript off, and every request
other than the report file itself is refused: a report that asks for anything else is not
self-contained, and printing it fails.

The same report gives the same PDF bytes: Chromium stamps the time of printing into the
document information, which is replaced (with :mod:`pikepdf`) by the report's data date; the
title, author (the organisation) and subject are set in the document information and in XMP
metadata, and the file identifier is computed from the content (``deterministic_id``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from odreport import __version__
from odreport.errors import OdReportError
from odreport.files import atomic_write
from odreport.metrics.derive import fmt_date, period_label
from odreport.paths import Project
from odreport.publish.catalogue import FIGURES
from odreport.report.templating import render

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_NAMES = ("chromium", "chromium-browser")  # Debian / Ubuntu names, looked up on PATH
BROWSER_ENV = "ODREPORT_CHROMIUM"  # a browser to use instead (path to the executable)
INSTALL_HINT = "install it with 'apt-get install chromium'"
# A4 with room for the running header and footer (Chromium draws them in the margins)
MARGINS = {"top": "18mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}


class BrowserNotFound(OdReportError):
    """No Chromium to print with (exit code 1, as any failure that is not a usage error or
    invalid data): the message says how to install one."""


class PrintError(OdReportError):
    """Chromium could not print the report, or the report is not self-contained (exit code 1)."""


@dataclass(frozen=True)
class Particulars:
    """What a printed report says about itself outside its pages: running header and footer,
    and the PDF's metadata."""

    title: str
    organisation: str  # full name, e.g. NHS Darlington Clinical Commissioning Group
    org_id: str
    period: str  # YYYY-MM
    reporting_date: dt.date  # the data's date: the PDF's creation and modification date
    meeting_body: str = ""  # the meeting the paper is for, when the calendar names one
    meeting_date: dt.date | None = None
    meeting_illustrative: bool = False  # a date from an illustrative calendar, said so

    @property
    def occasion(self) -> str:
        """``Governing Body meeting, 9 January 2013`` (``(illustrative date)`` after it when the
        calendar is illustrative, as the report's title block says); without a meeting, the
        period: ``Reporting period December 2012``."""
        if self.meeting_date is not None:
            note = " (illustrative date)" if self.meeting_illustrative else ""
            return f"{self.meeting_body} meeting, {fmt_date(self.meeting_date)}{note}"
        return f"Reporting period {period_label(self.period)}"

    @property
    def subject(self) -> str:
        """The PDF's subject: what the paper is, for which meeting, and the data's date."""
        text = f"Organisational development progress report for {period_label(self.period)}"
        if self.meeting_date is not None:
            text += f", prepared for the {self.meeting_body} meeting on {fmt_date(self.meeting_date)}"
        return f"{text}; data as at {fmt_date(self.reporting_date)}"


def particulars(report: Path, title: str) -> Particulars:
    """The particulars of a rendered report, from the ``figures.json`` written beside it;
    ``title`` is the report's title (its HTML ``<title>``)."""
    path = report.parent / FIGURES
    try:
        figures = json.loads(path.read_text(encoding="utf-8"))
        meeting = figures["meeting"] or {}
        return Particulars(
            title=title,
            organisation=figures["organisation_name"],
            org_id=figures["org"],
            period=figures["period"],
            reporting_date=dt.date.fromisoformat(figures["reporting_date"]),
            meeting_body=meeting.get("body") or "",
            meeting_date=dt.date.fromisoformat(meeting["date"]) if meeting.get("date") else None,
            meeting_illustrative=bool(meeting.get("illustrative")),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise PrintError(
            f"{report.name}: its particulars ({path.name}) are missing or from an older version "
            f"({exc.__class__.__name__}: {exc}); render the report again (FORCE=1)"
        ) from exc


def header_template(p: Particulars) -> str:
    """Chromium's running header: organisation, and the meeting (or reporting period)."""
    return str(render("pdf/header.html.j2", organisation=p.organisation, occasion=p.occasion))


def footer_template(p: Particulars) -> str:
    """Chromium's running footer: the report's title and "Page N of M"."""
    return str(render("pdf/footer.html.j2", title=p.title))


def pdf_date(day: dt.date) -> str:
    """A date as a PDF date string at midnight UTC: ``D:20121231000000Z``."""
    return f"D:{day:%Y%m%d}000000Z"


def normalise(pdf: bytes, p: Particulars) -> bytes:
    """Chromium's PDF with reproducible metadata: title, author, subject and keywords set in
    the document information and XMP, creation and modification dates set to the data's date
    (Chromium writes the time of printing), the creator named, and a file identifier computed
    from the content."""
    import pikepdf

    when = dt.datetime.combine(p.reporting_date, dt.time(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = f"organisational development; progress report; {p.org_id}; {p.period}"
    creator = f"odreport {__version__}"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        producer = str(doc.docinfo.get("/Producer", ""))  # Chromium's PDF engine, e.g. Skia/PDF m150
        for key in list(doc.docinfo.keys()):
            del doc.docinfo[key]
        doc.docinfo["/Title"] = p.title
        doc.docinfo["/Author"] = p.organisation
        doc.docinfo["/Subject"] = p.subject
        doc.docinfo["/Keywords"] = keywords
        doc.docinfo["/Creator"] = creator
        if producer:
            doc.docinfo["/Producer"] = producer
        doc.docinfo["/CreationDate"] = pdf_date(p.reporting_date)
        doc.docinfo["/ModDate"] = pdf_date(p.reporting_date)
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = p.title
            xmp["dc:creator"] = [p.organisation]
            xmp["dc:description"] = p.subject
            xmp["dc:language"] = ["en-GB"]
            xmp["pdf:Keywords"] = keywords
            xmp["xmp:CreatorTool"] = creator
            if producer:
                xmp["pdf:Producer"] = producer
            xmp["xmp:CreateDate"] = when
            xmp["xmp:ModifyDate"] = when
            xmp["xmp:MetadataDate"] = when
        if "/ID" in doc.trailer:  # an identifier made at print time; computed again below
            del doc.trailer["/ID"]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def pdf_path(report: Path) -> Path:
    """Where a report's PDF goes: beside it, ``report.pdf`` (``report-public.pdf`` ...)."""
    return report.with_suffix(".pdf")


def find_chromium() -> str | None:
    """A Chromium on this machine: ``$ODREPORT_CHROMIUM``, else ``chromium`` (or
    ``chromium-browser``) on the PATH; ``None`` when there is none (a browser installed by
    Playwright is looked for when printing starts)."""
    named = os.environ.get(BROWSER_ENV)
    if named:
        return named if Path(named).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Printer:
    """One headless Chromium that prints reports one after another (start it with
    :func:`printer`)."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def print_pdf(self, report: Path) -> bytes:
        """Print ``report`` (an HTML file) to PDF bytes with its running header and footer,
        metadata normalised (:func:`normalise`)."""
        uri = report.resolve().as_uri()
        context = self._browser.new_context(
            java_script_enabled=False,
            offline=True,
            locale="en-GB",
            timezone_id="UTC",
        )
        refused: list[str] = []

        def only_the_report(route) -> None:
            if route.request.url == uri:
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        try:
            context.route("**/*", only_the_report)
            page = context.new_page()
            page.goto(uri, wait_until="load")
            facts = particulars(report, page.title())
            raw = page.pdf(
                format="A4",
                margin=MARGINS,
                print_background=True,
                display_header_footer=True,
                header_template=header_template(facts),
                footer_template=footer_template(facts),
                tagged=True,
                outline=True,
            )
        finally:
            context.close()
        if refused:
            raise PrintError(
                f"{report.name} asks for {refused[0]}"
                + (f" and {len(refused) - 1} more" if len(refused) > 1 else "")
                + ": a report must be self-contained; nothing was printed"
            )
        return normalise(raw, facts)

    def write(self, report: Path) -> Path:
        """Print ``report`` to :func:`pdf_path` (written whole, readable as the umask
        allows) and return that path."""
        return atomic_write(pdf_path(report), self.print_pdf(report))


@contextmanager
def printer() -> Iterator[Printer]:
    """Start headless Chromium for printing; :class:`BrowserNotFound` (with the install
    hint) when there is none."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserNotFound(
            "printing PDFs needs the Python package playwright: run 'make venv'"
        ) from exc
    executable = find_chromium()
    with sync_playwright() as pw:
        if executable is None:
            managed = pw.chromium.executable_path
            if managed and Path(managed).is_file():
                executable = managed
        if executable is None:
            named = os.environ.get(BROWSER_ENV)
            where = f" (${BROWSER_ENV} names {named}, which is not a file)" if named else ""
            raise BrowserNotFound(f"no Chromium found to print PDFs with{where}: {INSTALL_HINT}")
        try:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise BrowserNotFound(
                f"Chromium ({executable}) did not start: {first}; {INSTALL_HINT}"
            ) from exc
        try:
            yield Printer(browser)
        finally:
            browser.close()


def write_pdf(report: Path) -> Path:
    """Print one rendered report to ``report.pdf`` beside it; return the PDF's path."""
    with printer() as p:
        return p.write(report)


@dataclass(frozen=True)
class Printed:
    """What happened to one report's PDF."""

    name: str  # who the report is for, as the batch names it (e.g. ``rotherham``)
    pdf: str = ""  # path relative to the project root
    pages: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.message

    def line(self) -> str:
        """``rotherham: printed reports/rotherham/2016-06/report.pdf (9 pages)``."""
        if not self.ok:
            return f"{self.name}: PDF failed: {self.message}"
        return f"{self.name}: printed {self.pdf} ({self.pages} page{'s' if self.pages != 1 else ''})"


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF file."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def write_pdfs(project: Project, reports: Iterable[tuple[str, Path]]) -> list[Printed]:
    """Print many reports (``(name, report.html)`` pairs) with one browser; a report that fails
    to print is recorded and the others go on. A missing browser raises
    :class:`BrowserNotFound` before any is tried."""
    todo: Sequence[tuple[str, Path]] = list(reports)
    if not todo:
        return []
    done = []
    with printer() as p:
        for name, report in todo:
            try:
                out = p.write(report)
                done.append(
                    Printed(name, out.relative_to(project.root).as_posix(), page_count(out))
                )
            except Exception as exc:  # one report's failure does not stop the others
                message = str(exc) if isinstance(exc, OdReportError) else (
                    f"{exc.__class__.__name__}: {exc}"
                )
                done.append(Printed(name, message=message.strip().splitlines()[0]))
    return done
