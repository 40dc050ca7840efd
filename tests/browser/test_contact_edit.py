"""A staff member edits a contact in a real browser: log in, search the contact list, open
the contact, change a dropdown custom field in place, add a tag, reload and see both kept.

Playwright drives Debian's Chromium (tests/browser/conftest.py: one per test process, a
fresh context per test); a missing browser fails the test and says why, never a skip.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from acdash.activecampaign import contact_detail, contacts, fields, notes, tags
from tests.contacts import test_detail as shared
from tests.contacts.test_detail import field_ids

from .conftest import htmx_settled, log_in

# The seeded sandbox account and the service client, from the contact page's tests.
acme, ac = shared.acme, shared.ac


@pytest.fixture
def page(chromium: Browser, live_server, acme, editor) -> Page:
    """A logged-in editor of the account, through the login page (the browser's shared
    Chromium: its context is closed by the ``chromium`` fixture)."""
    return log_in(chromium, live_server.url, editor(acme))


def test_edit_a_dropdown_and_add_a_tag_then_reload(page, live_server, acme, ac):
    industry = next(f for f in fields.list_fields(ac) if f.type == "dropdown")
    grace = contacts.create_contact(
        ac,
        "grace.hopper@example.com",
        first_name="Grace",
        last_name="Hopper",
        field_values={industry.id: "Software"},
    )

    page.goto(f"{live_server.url}/a/acme/contacts/?q=Hopper")
    page.get_by_role("link", name="Grace Hopper", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Hopper")
    row = page.locator(f"#field-{industry.id}")
    expect(row.locator(".field-value")).to_have_text("Software")

    # Escape leaves an editor without saving.
    city = page.locator(f"#field-{field_ids(ac)['text']}")
    city.get_by_role("button", name="Edit City").click()
    city_input = page.get_by_label("City", exact=True)
    expect(city_input).to_be_focused()
    city_input.fill("Arlington")
    city_input.press("Escape")
    expect(city.get_by_role("button", name="Edit City")).to_be_visible()
    expect(city.locator(".field-value")).to_have_text("—")

    # The dropdown, edited in place.
    row.get_by_role("button", name=f"Edit {industry.title}").click()
    page.get_by_label(industry.title, exact=True).select_option("Education")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".field-value")).to_have_text("Education")
    expect(page.locator("#toasts")).to_contain_text(f"Saved {industry.title}.")

    # A tag, picked from the type-ahead's suggestions.
    page.get_by_label("Add a tag").press_sequentially("vi")
    page.locator("#tag-suggestions").get_by_role("option", name="vip", exact=True).click()
    expect(page.locator("#tags .chips")).to_contain_text("vip")
    expect(page.locator("#toasts")).to_contain_text("Added tag “vip”.")

    page.reload()
    expect(page.locator(f"#field-{industry.id} .field-value")).to_have_text("Education")
    expect(page.locator("#tags .chips")).to_contain_text("vip")
    # And the API agrees.
    assert contact_detail.get_contact(ac, grace.id).values[industry.id].value == "Education"
    assert [t.name for t in tags.contact_tags(ac, grace.id)] == ["vip"]


def test_notes_and_activity_load_when_scrolled_into_view(page, live_server, acme, ac):
    grace = contacts.create_contact(ac, "grace.h@example.com", first_name="Grace")
    notes.add_note(ac, grace.id, "Call back after the board meeting.")
    page.set_viewport_size({"width": 1280, "height": 600})  # a laptop: the panels below the fold
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/notes/" in r.url else None)
    page.goto(f"{live_server.url}/a/acme/contacts/{grace.id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grace")
    htmx_settled(page)
    assert asked == []  # out of sight: nothing asked of the account's API budget yet
    expect(page.locator("#notes")).to_contain_text("Loading notes")

    # Scrolled by the page itself: the notes coming into view may bring the activity panel
    # with them, whose swap (outerHTML) would detach an element Playwright had located.
    page.evaluate("document.getElementById('notes').scrollIntoView()")
    expect(page.locator("#notes")).to_contain_text("Call back after the board meeting.")
    page.evaluate("document.getElementById('activity').scrollIntoView()")
    expect(page.locator("#activity .activity-list")).to_be_visible()
    assert len(asked) == 1
