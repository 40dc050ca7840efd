"""Screenshots of the main pages for docs/screenshots/ (the README's "Screenshots" table).

``shoot(page, name)`` saves ``<name>-desktop.png`` (1280×800) and ``<name>-phone.png``
(390×844) of what the page shows once htmx has settled and every lazy panel has loaded,
with the caret hidden, animations stopped and timings blanked. Each name is shot by exactly
one test (tests/browser/test_screenshots.py), so no two pytest-xdist processes write one
file; a file that still shows the same is left as it is (no churn in git).
"""

import base64
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import Page

from .conftest import PHONE, htmx_settled

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
ORIGIN_AS_MAKE_RUN = """origin => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const text = walk.currentNode;
    if (text.data.includes(origin)) text.data = text.data.replaceAll(origin, 'http://127.0.0.1:8000');
  }
}"""
# The main pages, each shown in the README at both sizes (test_screenshots.py checks it).
PAGES = (
    "login",
    "overview",
    "search",
    "contacts",
    "contact",
    "board",
    "deal",
    "my-tasks",
    "job",
    "fields",
    "compare",
    "branding",
    "console",
    "audit",
)


# A panel that loads as it comes into view (hx-trigger "intersect once") stays busy below
# the fold: only the viewport's must be done.
NOTHING_BUSY_IN_VIEW = """() => ![...document.querySelectorAll('[aria-busy=true]')].some(e => {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight; })"""


def settle(page: Page) -> None:
    """Nothing loading in view: no htmx request or swap, no lazy panel of the viewport
    still busy, fonts ready."""
    htmx_settled(page)
    page.wait_for_function(NOTHING_BUSY_IN_VIEW)
    page.evaluate("() => document.fonts.ready.then(() => undefined)")
    htmx_settled(page)  # a lazy panel's answer may itself have started a request


def shoot(page: Page, name: str, volatile: str = "", start: str | dict[str, str] = "") -> None:
    """Save the viewport at desktop and phone width; the page is left at desktop width.
    ``volatile``: CSS selectors of what differs on every run (a timing), left blank;
    ``start``: what the viewport starts at (scrolled to its top), else the page's top; a
    dict names it per size ("phone": what is below the fold there)."""
    assert name in PAGES, f"{name} is not one of the README's screenshots"
    # The live server's port differs on every run: shown as `make run`'s address instead.
    page.evaluate(ORIGIN_AS_MAKE_RUN, urlsplit(page.url)._replace(path="", query="").geturl())
    if volatile:  # through the DOM: the page's Content-Security-Policy refuses a <style>
        page.locator(volatile).evaluate_all(
            "els => els.forEach(e => e.style.visibility = 'hidden')"
        )
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        settle(page)
        first = start.get(label, "") if isinstance(start, dict) else start
        if first:  # below the sticky top bar
            page.locator(first).evaluate(
                "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY"
                " - document.querySelector('.topbar').offsetHeight - 16)"
            )
        else:
            page.evaluate("() => window.scrollTo(0, 0)")
        settle(page)  # what scrolling brought into view
        page.mouse.move(size["width"] - 1, size["height"] - 1)  # hover nothing in particular
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= size["width"], f"{name} is {wide} px wide at {size['width']} px"
        # Playwright's caret="hide" is a <style> too: the focused field's caret, by the DOM.
        page.evaluate("() => { document.activeElement.style.caretColor = 'transparent'; }")
        png = page.screenshot(animations="disabled", caret="hide")
        _save(page, SCREENSHOTS / f"{name}-{label}.png", png)
    page.set_viewport_size(DESKTOP)


# The largest difference of any channel of any pixel of two PNGs (decoded by the browser).
LARGEST_DIFFERENCE = """async ([a, b]) => {
  const load = (png) => new Promise((done, failed) => { const image = new Image();
    image.onload = () => done(image); image.onerror = failed;
    image.src = 'data:image/png;base64,' + png; });
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.width !== y.width || x.height !== y.height) return 255;
  const pixels = (image) => { const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data; };
  const [p, q] = [pixels(x), pixels(y)];
  let largest = 0;
  for (let k = 0; k < p.length; k++) largest = Math.max(largest, Math.abs(p[k] - q[k]));
  return largest;
}"""


def _save(page: Page, path: Path, png: bytes) -> None:
    """Write ``png`` unless the file shows the same: equal bytes, or pixels at most 2 apart in
    any channel (the anti-aliasing of a rounded corner varies by 1 from run to run)."""
    if path.exists():
        old = path.read_bytes()
        if old == png or _largest_difference(page, old, png) <= 2:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)


def _largest_difference(page: Page, a: bytes, b: bytes) -> int:
    blank = page.context.new_page()  # about:blank: no Content-Security-Policy on data: images
    try:
        pngs = [base64.b64encode(png).decode() for png in (a, b)]
        return blank.evaluate(LARGEST_DIFFERENCE, pngs)
    finally:
        blank.close()
