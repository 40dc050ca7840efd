"""A staff member on a phone (390 px wide) opens the deals list, opens a deal from its card,
edits its value in place ("1,234.50"), reloads and sees it kept; neither page scrolls
sideways. Chromium as in conftest.py: never skipped."""

import re

from playwright.sync_api import expect

from tests.browser.test_contact_edit import page  # noqa: F401
from tests.deals.deal_fixtures import ac, acme  # noqa: F401

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_deals_on_a_phone_open_edit_and_reload(page, live_server, acme):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/a/acme/deals/")
    expect(page.get_by_role("heading", name=re.compile(r"1–20 of 200 deals"))).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    first = page.locator("tbody tr").first
    assert first.evaluate("row => getComputedStyle(row).display") == "block"  # a card
    title = first.locator("td.col-title a").inner_text()
    first.locator("td.col-title a").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator("#notes")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#contacts")).not_to_have_attribute("aria-busy", "true")
    assert page.evaluate(NO_SIDEWAYS)
    page.get_by_role("button", name="Edit details").click()
    page.get_by_label("Value").fill("1,234.50")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".toast")).to_contain_text("Saved")
    page.reload()
    expect(page.locator("#core")).to_contain_text("1,234.50")


def test_the_first_deal_is_five_tab_presses_from_the_search_box(page, live_server, acme):  # noqa: F811
    page.goto(f"{live_server.url}/a/acme/deals/")
    page.locator("#id_q").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
    first = page.locator("tbody tr").first.locator("td.col-title a")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first.get_attribute(
        "href"
    )
