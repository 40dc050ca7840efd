"""Browser fixtures: Debian's Chromium driven by Playwright (no browser is downloaded).

One Chromium per test process (each pytest-xdist worker has its own), started by the first
browser test; each test opens its own contexts in it (``log_in``), and every context a test
opened is closed after it, passed or failed, so no cookie, page or handler reaches the next
test. A browser that crashed is started again for the next test. If Chromium is missing or
cannot start, the test fails and says why: it is never skipped.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.sandbox import faults
from tests.contacts import connect_seeded_account

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures and
# of the live server's views are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-long-enough-password"
PHONE = {"width": 390, "height": 844}
# `make test` runs the browser tests beside the rest of the suite on a loaded 2-core machine,
# where one htmx round trip can take seconds: wait for conditions longer than Playwright's 5 s.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


class _Process:
    """This test process's Playwright and Chromium, started when first asked for."""

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def browser_now(self) -> Browser:
        if self.browser is not None and self.browser.is_connected():
            return self.browser
        if not Path(CHROMIUM).exists():
            pytest.fail(
                f"No Chromium at {CHROMIUM}: run scripts/ensure-chromium "
                "(it installs Debian's package, or names the command to run)."
            )
        if self.playwright is None:
            self.playwright = sync_playwright().start()
        try:
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {exc}")
        return self.browser

    def stop(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.browser = self.playwright = None


# One per process even where a module outside tests/browser imports the fixtures (a second
# fixture definition): Playwright's sync API cannot be started twice in one thread.
_PROCESS = _Process()


@pytest.fixture(scope="session")
def chromium_process() -> Iterator[_Process]:
    yield _PROCESS
    _PROCESS.stop()


@pytest.fixture
def chromium(chromium_process) -> Iterator[Browser]:
    """This process's Chromium, with no context open; the contexts the test opens are closed
    after it, however it ended."""
    browser = chromium_process.browser_now()
    yield browser
    if browser.is_connected():
        for context in browser.contexts:
            context.close()


def seeded_account(server_url: str) -> ConnectedAccount:
    """The contact tests' seeded sandbox account "acme", connected at ``server_url``."""
    cache.clear()
    faults.reset()
    return connect_seeded_account(server_url)


def log_in(browser: Browser, server_url: str, user, **context) -> Page:
    """A new browser page, logged in as ``user`` through the login page."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server_url}/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


@pytest.fixture
def editor(django_user_model):
    """A staff member who may edit the account "acme" (call with the account)."""

    def make(account: ConnectedAccount):
        user = django_user_model.objects.create_user("edna", password=PASSWORD)
        Membership.objects.create(user=user, account=account, role="editor")
        return user

    return make


def focused(page: Page) -> str:
    """The focused element, as a person would name it: its tag, role, id and text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        return [e.tagName, e.getAttribute('role') || '', e.id, (e.innerText || e.value || '')
          .trim().slice(0, 60)].join('|'); }"""
    )


def tab_until(page: Page, matches, limit: int = 20) -> int:
    """Press Tab until ``matches(focused(page))``; how many presses it took (fails past limit)."""
    seen = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if matches(seen[-1]):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses; focus went to {seen}")


def htmx_settled(page: Page) -> None:
    """Wait until no htmx request is in flight, every swap has settled (focus placed) and
    the next frame has run: app.js places the toasts then, which can move the page."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(done))")
