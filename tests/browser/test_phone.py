"""At phone width (390 × 844): nothing scrolls sideways, the side navigation collapses into
a menu button, the top search stays usable and the contact page is one column."""

import pytest
from playwright.sync_api import Page, expect

from acdash.sandbox.models import SandboxRecord

from .conftest import PHONE, log_in, seeded_account

WIDER_THAN_SCREEN = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone(chromium, live_server, transactional_db, editor) -> Page:
    acme = seeded_account(live_server.url)
    return log_in(chromium, live_server.url, editor(acme), viewport=PHONE, is_mobile=True)


def assert_no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(WIDER_THAN_SCREEN)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_no_page_scrolls_sideways(phone, live_server):
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("link", name="120 contacts")).to_be_visible()
    assert_no_sideways_scroll(phone)

    phone.goto(f"{live_server.url}/a/acme/contacts/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Contacts")
    assert_no_sideways_scroll(phone)

    # The contact with the most to show: the longest email of the account.
    person = max(
        SandboxRecord.objects.filter(account__slug="acme", kind="contact"),
        key=lambda r: len(r.key),
    )
    phone.goto(f"{live_server.url}/a/acme/contacts/{person.rid}/")
    expect(phone.get_by_role("heading", name="Notes")).to_be_visible()
    assert_no_sideways_scroll(phone)
    # One column: the side column's panels sit below the main ones, not beside them.
    details = phone.get_by_role("heading", name="Details").bounding_box()
    tags = phone.get_by_role("heading", name="Tags", exact=True).bounding_box()
    assert abs(details["x"] - tags["x"]) < 2 and tags["y"] > details["y"]


def test_the_side_navigation_collapses_into_a_menu_button(phone, live_server):
    phone.goto(f"{live_server.url}/a/acme/contacts/")
    nav = phone.get_by_role("navigation", name="Acme")
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Contacts")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name="Account").click()
    expect(phone).to_have_url(f"{live_server.url}/a/acme/")


def test_the_top_search_stays_usable(phone, live_server):
    phone.goto(f"{live_server.url}/a/acme/contacts/")
    search = phone.get_by_role("searchbox", name="Search contacts in every account")
    box = search.bounding_box()
    assert box["width"] >= 300  # a whole row of its own
    email = SandboxRecord.objects.filter(account__slug="acme", kind="contact").first().key
    search.fill(email)
    search.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("1 contact matching")
    assert_no_sideways_scroll(phone)
