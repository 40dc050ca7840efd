"""Switching account with the pointer: open the top bar's switcher, filter it, pick another
account and land on the same kind of page in it; "All accounts" leads back to the overview."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from acdash.accounts.models import Membership
from tests.tasks.conftest import connect

from .conftest import PASSWORD, log_in, seeded_account


@pytest.fixture
def staff(live_server, transactional_db, django_user_model) -> User:
    accounts = [
        seeded_account(live_server.url),
        connect(live_server.url, "bolt", "Bolt", size=20, rng=3),
    ]
    user = django_user_model.objects.create_user("sven", password=PASSWORD)
    for account in accounts:
        Membership.objects.create(user=user, account=account, role="viewer")
    return user


def test_pick_another_account_from_the_switcher(chromium, live_server, staff):
    page = log_in(chromium, live_server.url, staff)
    page.goto(f"{live_server.url}/a/acme/contacts/")
    toggle = page.get_by_role("button", name="Acme", exact=True)
    menu = page.get_by_role("menu")
    expect(menu).to_be_hidden()

    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("menuitem", name="Acme")).to_have_attribute("aria-current", "true")
    page.get_by_label("Filter accounts").fill("bo")
    expect(menu.get_by_role("menuitem", name="Acme")).to_be_hidden()
    menu.get_by_role("menuitem", name="Bolt").click()

    expect(page).to_have_url(f"{live_server.url}/a/bolt/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    expect(page.get_by_role("navigation", name="Bolt")).to_be_visible()
    toggle = page.get_by_role("button", name="Bolt", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # A click outside closes it without going anywhere.
    toggle.click()
    expect(menu).to_be_visible()
    page.mouse.click(1200, 700)  # the bottom right of the page, far from the menu
    expect(menu).to_be_hidden()
    expect(page).to_have_url(f"{live_server.url}/a/bolt/contacts/")

    toggle.click()
    menu.get_by_role("menuitem", name="All accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All accounts")
    expect(page.get_by_role("button", name="All accounts", exact=True)).to_be_visible()
