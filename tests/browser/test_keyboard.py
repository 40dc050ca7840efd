"""From the keyboard only: "/" to the global search, a full name, Tab to the person, Enter,
an editor opened and saved without the mouse; the account switcher with arrows and Escape."""

import re

import pytest
from playwright.sync_api import expect

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import contacts

from .conftest import focused, htmx_settled, log_in, seeded_account, tab_until


@pytest.fixture
def acme(live_server, transactional_db):
    return seeded_account(live_server.url)


def test_from_the_search_key_to_a_saved_edit(chromium, live_server, acme, editor):
    ac = client_for_account(acme)
    benjamin = contacts.create_contact(
        ac, "b.stewart@example.org", first_name="Benjamin", last_name="Stewart"
    )
    page = log_in(chromium, live_server.url, editor(acme))

    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search contacts in every account")).to_be_focused()
    page.keyboard.type("Benjamin Stewart")
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("1 contact matching “Benjamin Stewart”")
    expect(heading).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Benjamin Stewart")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benjamin Stewart")

    tab_until(page, lambda name: name.startswith("BUTTON") and "Edit details" in name)
    page.keyboard.press("Enter")
    email = page.get_by_label("Email")
    expect(email).to_be_focused()
    htmx_settled(page)
    tab_until(page, lambda name: name.startswith("INPUT") and "core_phone" in name)
    page.keyboard.type("+1 555 0100")
    page.keyboard.press("Enter")  # submits the editor

    expect(page.locator("#toasts")).to_contain_text("Saved Benjamin Stewart.")
    expect(page.get_by_role("button", name="Edit details")).to_be_visible()
    htmx_settled(page)  # focus moves to what the swap changed once it has settled
    assert not focused(page).startswith("BODY")
    assert contacts.read_contact(ac, benjamin.id).phone == "+1 555 0100"


def test_slash_types_a_slash_in_a_text_field(chromium, live_server, acme, editor):
    page = log_in(chromium, live_server.url, editor(acme))
    page.goto(f"{live_server.url}/a/acme/contacts/")
    search = page.get_by_role("searchbox", name="Search", exact=True)
    search.click()
    page.keyboard.type("a/b")
    expect(search).to_have_value("a/b")


def test_the_account_switcher_with_arrows_enter_and_escape(chromium, live_server, acme, editor):
    page = log_in(chromium, live_server.url, editor(acme))
    page.goto(f"{live_server.url}/a/acme/contacts/")
    toggle = page.get_by_role("button", name="Acme")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("ArrowDown")
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    current = menu.get_by_role("menuitem", name="Acme")
    expect(current).to_have_attribute("aria-current", "true")
    expect(current).to_be_focused()  # opens on the current account
    page.keyboard.press("ArrowUp")
    expect(menu.get_by_role("menuitem", name="All accounts")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # wraps past the last account to the first item
    expect(menu.get_by_role("menuitem", name="All accounts")).to_be_focused()
    page.keyboard.type("acm")  # typing filters the accounts
    expect(page.get_by_label("Filter accounts")).to_have_value("acm")
    expect(menu.get_by_role("menuitem", name="All accounts")).to_be_hidden()
    page.get_by_label("Filter accounts").fill("")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="All accounts")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("All accounts")


def test_focus_stays_on_what_a_swap_changed_never_the_body(chromium, live_server, acme, editor):
    page = log_in(chromium, live_server.url, editor(acme))
    page.goto(f"{live_server.url}/a/acme/contacts/")
    results = page.get_by_role("region", name="Contacts")
    results.get_by_role("link", name=re.compile(r"^Email")).focus()
    with page.expect_response(lambda r: "sort=" in r.url and r.ok):
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=email"))
    page.wait_for_function("() => document.activeElement !== document.body")
    assert page.evaluate(
        "() => document.activeElement.closest('#contact-results, [role=region]') !== null"
    ), focused(page)

    # Typing in the list's search box keeps focus there while the results change.
    search = page.get_by_role("searchbox", name="Search", exact=True)
    search.focus()
    with page.expect_response(lambda r: "q=ashley" in r.url and r.ok):
        page.keyboard.type("ashley")
    expect(search).to_be_focused()
