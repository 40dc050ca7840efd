"""The overview of 200 accounts in a browser: only the batches of rows in view fetch their
figures (one request per ten rows, never all at once), the rest as they scroll into view; a
sort header pushes the URL that reproduces the view; the switcher narrows 200 accounts as
one types and opens one with the keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from acdash.overview.models import AccountFigures
from tests.browser.conftest import (  # noqa: F401
    PASSWORD,
    chromium,
    chromium_process,
    focused,
    log_in,
    tab_until,
)

from . import many_accounts


@pytest.fixture
def page(chromium, live_server, transactional_db, django_user_model) -> Page:  # noqa: F811
    many_accounts(live_server.url, 200)
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    page = log_in(chromium, live_server.url, boss)
    # Logging in lands on the overview, whose rows in view fetch their figures: let them,
    # then forget them, so that each test's own first visit is the one that fetches.
    page.wait_for_load_state("networkidle")
    AccountFigures.objects.all().delete()
    return page


def test_rows_fetch_their_figures_in_batches_of_ten(page, live_server):
    batches: list[str] = []
    page.on("request", lambda r: "/figures/" in r.url and batches.append(r.url))
    page.goto(f"{live_server.url}/")
    first = page.get_by_role("row", name=re.compile("^Client 001"))
    expect(first.locator(".col-contacts")).to_have_text("0")
    page.wait_for_load_state("networkidle")
    in_view = len(batches)
    assert 1 <= in_view < 5, batches  # 50 rows on the page: 5 batches, not all in view
    # The others as they scroll into view: 50 rows in 5 requests, none twice.
    for number in (11, 21, 31, 41):
        # By the DOM, in one step: a row the batch above swaps in may replace it meanwhile.
        page.evaluate(
            "id => document.getElementById(id).scrollIntoView()", f"card-client-0{number}"
        )
        row = page.get_by_role("row", name=re.compile(f"^Client 0{number}"))
        expect(row.locator(".col-contacts")).to_have_text("0")
    expect(page.locator("tbody[hx-get]")).to_have_count(0)
    assert len(batches) == len(set(batches)) == 5 and "a=client-001" in batches[0], batches
    assert all(url.count("a=client-") == 10 for url in batches)
    # A second visit shows what is now stored: no batch to fetch.
    page.reload()
    expect(page.get_by_role("row", name=re.compile("^Client 050"))).to_contain_text("as of")
    expect(page.locator("tbody[hx-get]")).to_have_count(0)


def test_the_first_account_is_a_few_tab_presses_from_the_search_box(page, live_server):
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")  # the rows in view have loaded: none swaps meanwhile
    page.get_by_label("Find an account").focus()
    presses = tab_until(page, lambda name: name.startswith("A||") and "Client 001" in name)
    assert presses <= 5  # Filters, the sort headers (one stop), the first account
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name=re.compile("^Account"))).to_be_focused()
    page.keyboard.press("ArrowRight")  # the headers share one stop: arrows move along them
    expect(page.get_by_role("link", name=re.compile("^Health"))).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("link", name=re.compile("^Last error"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?sort=last_error")
    page.wait_for_load_state("networkidle")


def test_a_sort_header_pushes_the_url_of_the_view(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("^Account")).click()
    expect(page).to_have_url(f"{live_server.url}/?sort=-name")
    expect(page.locator("tbody tr").first).to_contain_text("Client 200")
    page.wait_for_load_state("networkidle")  # its batches have answered before the next test


def test_the_switcher_narrows_200_accounts_as_one_types(page, live_server):
    page.goto(f"{live_server.url}/a/client-001/contacts/")  # no batch of rows to wait for
    toggle = page.get_by_role("button", name="Client 001")
    toggle.click()
    menu = page.get_by_role("menu")
    expect(menu.get_by_role("menuitem")).to_have_count(201)  # All accounts and the 200
    page.get_by_label("Filter accounts").fill("Client 19")
    expect(menu.get_by_role("menuitem")).to_have_count(10)  # Client 190 … Client 199
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Client 190")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/a/client-190/contacts/")
    # The slug finds an account too.
    page.get_by_role("button", name="Client 190").click()
    page.get_by_label("Filter accounts").fill("client-07")
    expect(menu.get_by_role("menuitem")).to_have_count(10)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    page.wait_for_load_state("networkidle")
