"""Reports in a real browser: headless Chromium with the network blocked.

Checks, per organisation, at 1280 px wide: no request leaves the file, no console errors,
every chart drawn with a non-zero size, every table-of-contents link resolves, and axe-core
finds no WCAG violation. On a phone (390 × 844): no sideways page scroll, wide tables scroll in
their own labelled region, charts fit the screen with their text at 11 px or more, axe-core
again. In greyscale: every status in the status chart and every band in the heat map is named
by text in the SVG. Saves a screenshot of the first screen at each width under
reports/screenshots/. Skipped, with the reason shown, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil

import pytest

from odreport.report.charts import STATUS_MARKS
from support import ORGS, REPO

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = REPO / "reports" / "screenshots"


def _axe_violations(page) -> tuple[int, str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.violations_count, results.generate_report()


def _screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


@pytest.mark.parametrize("org", ORGS)
def test_report_in_headless_chromium(browser, rendered, org):
    _, paths = rendered
    path = paths[org]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    requests, errors = [], []

    def block(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    assert requests == [], f"{org}: report tried to load {requests}"
    assert errors == [], f"{org}: console errors {errors}"
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 1
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"{org}: chart {i} not drawn"
        assert charts.nth(i).locator("rect, path").count() > 0
    for href in page.eval_on_selector_all(
        "nav.toc a", "els => els.map(e => e.getAttribute('href'))"
    ):
        assert page.locator(f"[id='{href[1:]}']").count() == 1, (
            f"{org}: broken contents link {href}"
        )
    count, report = _axe_violations(page)
    assert count == 0, f"{org}: {report}"
    _screenshot(page, f"{org}-1280.png")
    context.close()


# Per chart: its width on screen and the smallest text in it as shown (font size × scale)
CHART_TEXT = """() => Array.from(document.querySelectorAll('figure.chart svg')).map(svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = Array.from(svg.querySelectorAll('text'))
    .map(t => parseFloat(t.getAttribute('font-size'))).filter(s => s > 0);
  return {left: box.left, right: box.right, smallest: Math.min(...sizes) * scale};
})"""
# Per table region: its label, focusability and whether its table is wider than it
TABLE_REGIONS = """() => Array.from(document.querySelectorAll('table.data')).map(t => {
  const region = t.parentElement;
  return {role: region.getAttribute('role'), tabindex: region.getAttribute('tabindex'),
          label: region.getAttribute('aria-label'), caption: t.caption && t.caption.textContent,
          scrolls: region.scrollWidth > region.clientWidth, within: region.clientWidth <= 390};
})"""


@pytest.mark.parametrize("org", ORGS)
def test_report_on_a_phone(browser, rendered, org):
    _, paths = rendered
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, offline=True
    )
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(paths[org].as_uri(), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{org}: page scrolls"
    charts = page.evaluate(CHART_TEXT)
    assert charts
    for i, chart in enumerate(charts):
        assert chart["left"] >= 0 and chart["right"] <= 390, f"{org}: chart {i} off screen"
        assert chart["smallest"] >= 11, f"{org}: chart {i} text {chart['smallest']:.1f} px"
    regions = page.evaluate(TABLE_REGIONS)
    for r in regions:
        assert (r["role"], r["tabindex"], r["label"]) == ("region", "0", r["caption"]), r
        assert r["within"], r
    # the exceptions table (nine columns) is wider than a phone: it scrolls in its own region
    assert any(r["scrolls"] for r in regions), f"{org}: no table needed its own scroll area"
    count, report = _axe_violations(page)
    assert count == 0, f"{org}: {report}"
    _screenshot(page, f"{org}-390.png")
    context.close()


def _texts_after(page, heading_id: str) -> list[str]:
    """The texts of the first chart after the heading ``heading_id`` (tspans joined)."""
    return page.evaluate(
        """id => {
          let el = document.getElementById(id).nextElementSibling;
          while (el && !el.querySelector('figure.chart svg') && !el.matches('figure.chart')) {
            el = el.nextElementSibling;
          }
          const svg = (el.matches('figure.chart') ? el : el.querySelector('figure.chart'))
            .querySelector('svg');
          return Array.from(svg.querySelectorAll('text')).map(t =>
            t.querySelectorAll('tspan').length
              ? Array.from(t.querySelectorAll('tspan')).map(s => s.textContent).join(' ')
              : t.textContent);
        }""",
        heading_id,
    )


@pytest.mark.parametrize("org", ORGS)
def test_status_chart_reads_in_greyscale(browser, rendered, org):
    """Every status in the status chart is named by text: its mark beside each count and, in
    the legend, beside its name (so no two statuses differ by colour alone)."""
    _, paths = rendered
    page = browser.new_page()
    page.goto(paths[org].as_uri(), wait_until="load")
    texts = _texts_after(page, "status-by-theme")
    table = page.evaluate(
        """() => {
          const t = document.querySelector('#status-by-theme ~ figure.chart table, '
            + '#status-by-theme + * figure.chart table');
          const heads = Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim());
          const rows = Array.from(t.tBodies[0].rows).map(r =>
            Array.from(r.cells).map(c => c.textContent.trim()));
          return {heads, rows};
        }"""
    )
    statuses = table["heads"][1:]  # Theme, then a column per status shown
    assert statuses
    for status in statuses:
        assert f"{STATUS_MARKS[status]} {status}" in texts, f"{org}: legend lacks {status}"
    for row in table["rows"]:
        for status, count in zip(statuses, row[1:], strict=True):
            if int(count):
                assert f"{count}{STATUS_MARKS[status]}" in texts, f"{org}: {row[0]} {status}"
    page.close()


def test_heat_map_reads_in_greyscale(browser, rendered):
    """Darlington's risk heat maps: every cell carries its band's initial. Bands by S × L:
    red 15-25 in 6 cells, amber 8-12 in 7, green in 12; two maps (inherent, residual)."""
    _, paths = rendered
    page = browser.new_page()
    page.goto(paths["darlington"].as_uri(), wait_until="load")
    texts = _texts_after(page, "risk")
    assert (texts.count("R"), texts.count("A"), texts.count("G")) == (12, 14, 24)
    assert {"Red (R)", "Amber (A)", "Green (G)"} <= set(texts)
    page.close()
