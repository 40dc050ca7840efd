"""Browser fixtures: Debian's Chromium driven by Playwright (no browser is downloaded).

Each test launches its own browser, so tests run safely in parallel processes. If Chromium
is missing or cannot start, the test fails and says why: it is never skipped.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect, sync_playwright
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


@pytest.fixture
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {exc}")
        yield browser
        browser.close()


def seeded_account(server_url: str) -> ConnectedAccount:
    """The contact tests' seeded sandbox account "acme", connected at ``server_url``."""
    cache.clear()
    faults.reset()
    return connect_seeded_account(server_url)


def log_in(browser: Browser, server_url: str, user, **context) -> Page:
    """A new browser page, logged in as ``user`` through the login page."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(20_000)
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
    """Wait until no htmx request is in flight and every swap has settled (focus placed)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
