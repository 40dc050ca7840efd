"""Toasts stack, each can be dismissed (its button or Escape), and none covers a form."""

import re

import pytest
from playwright.sync_api import Page, expect

from acdash.sandbox.models import SandboxRecord

from .conftest import htmx_settled, log_in, seeded_account

FIELD_EDITOR = re.compile(r"^Edit (?!details)")  # "Edit City", "Edit Industry", …
NOTHING_COVERED = """() => {
  const toasts = document.getElementById('toasts').getBoundingClientRect();
  return [...document.querySelectorAll('form')].every((form) => {
    const box = form.getBoundingClientRect();
    return box.width === 0 || !(toasts.left < box.right && box.left < toasts.right
      && toasts.top < box.bottom && box.top < toasts.bottom);
  });
}"""


@pytest.fixture
def contact_page(chromium, live_server, transactional_db, editor) -> Page:
    acme = seeded_account(live_server.url)
    page = log_in(chromium, live_server.url, editor(acme), viewport={"width": 1280, "height": 720})
    person = SandboxRecord.objects.filter(account__slug="acme", kind="contact").first()
    page.goto(f"{live_server.url}/a/acme/contacts/{person.rid}/")
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()
    return page


def save_without_changes(page: Page) -> None:
    page.get_by_role("button", name="Edit details").click()
    page.get_by_role("form", name="Edit details").get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Edit details")).to_be_visible()


def test_toasts_stack_and_each_can_be_dismissed(contact_page):
    page = contact_page
    toasts = page.locator("#toasts .toast")
    save_without_changes(page)
    save_without_changes(page)
    expect(toasts).to_have_count(2)
    first, second = toasts.nth(0).bounding_box(), toasts.nth(1).bounding_box()
    assert first["y"] + first["height"] <= second["y"]  # one above the other, not on top

    page.get_by_role("heading", level=1).click()  # focus outside any form
    page.keyboard.press("Escape")
    expect(toasts).to_have_count(1)
    toasts.get_by_role("button", name="Dismiss").click()
    expect(toasts).to_have_count(0)


def test_no_toast_covers_a_form_wherever_the_page_is_scrolled(contact_page):
    page = contact_page
    save_without_changes(page)
    save_without_changes(page)
    # Editors open all over the page: forms in every corner the toasts could use.
    editors = page.locator("form.inline-form")
    for opened in range(1, 4):
        page.get_by_role("button", name=FIELD_EDITOR).first.click()
        expect(editors).to_have_count(opened)
        htmx_settled(page)  # focus placed (and scrolled to) before the next click
    page.get_by_role("button", name="Edit details").click()
    expect(editors).to_have_count(4)
    # Bring each form to the bottom edge of the window, where the toasts start out.
    for index in range(page.locator("form").count()):
        page.locator("form").nth(index).evaluate("form => form.scrollIntoView({block: 'end'})")
        page.wait_for_function(NOTHING_COVERED)
    expect(page.locator("#toasts .toast")).to_have_count(2)
