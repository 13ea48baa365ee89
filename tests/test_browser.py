"""Reports in a real browser: headless Chromium with the network blocked.

Checks, per organisation: no request leaves the file, no console errors, every chart drawn
with a non-zero size, every table-of-contents link resolves, and axe-core finds no WCAG
violation. Saves a screenshot of the first screen under reports/screenshots/.
Skipped, with the reason shown, when Chromium or Playwright is not installed.
"""

from __future__ import annotations

import shutil

import pytest

from support import REPO

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


@pytest.mark.parametrize(
    "org", ["dorset", "rotherham", "darlington", "nottingham", "south-staffordshire"]
)
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
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    assert results.violations_count == 0, f"{org}: {results.generate_report()}"
    shots = REPO / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{org}.png"))
    context.close()
