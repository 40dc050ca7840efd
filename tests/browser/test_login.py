"""Logging in and out through the real form: a page asked for before logging in sends the
visitor to the login form and, once logged in, on to that page; a wrong password says so
and lets nobody in; logging out ends the session (the page is the login form again)."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, TIMEOUT_MS, editor, seeded_account

__all__ = ["editor"]


@pytest.fixture
def edna(live_server, transactional_db, editor):
    return editor(seeded_account(live_server.url))


def _fill(page: Page, username: str, password: str) -> None:
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_wrong_password_is_refused_then_the_right_one_opens_the_page_asked_for(
    chromium, live_server, edna
):
    page = chromium.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/a/acme/contacts/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/a/acme/contacts/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to acdash")

    _fill(page, "edna", "not-the-password")
    expect(page.locator(".errorlist")).to_contain_text(
        "Please enter a correct username and password."
    )
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_label("User name")).to_have_value("edna")  # kept for the next try

    _fill(page, "edna", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/a/acme/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    expect(page.get_by_role("navigation", name="User")).to_contain_text("edna")


def test_log_out_ends_the_session(chromium, live_server, edna):
    page = chromium.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/login/")
    _fill(page, "edna", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("All accounts")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto(f"{live_server.url}/a/acme/contacts/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.get_by_label("Password")).to_be_visible()
