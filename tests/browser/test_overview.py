"""The all-accounts overview in a real browser: it lists the accounts the staff member is a
member of (and no other), loads each one's figures by itself, and each account's name
leads into that account."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from acdash.accounts.models import Membership
from acdash.sandbox.models import SandboxRecord
from tests.tasks.conftest import connect

from .conftest import PASSWORD, log_in, seeded_account


@pytest.fixture
def staff(live_server, transactional_db, django_user_model) -> User:
    """A member of Acme and Bolt; Gamma is connected too, but not theirs."""
    accounts = [
        seeded_account(live_server.url),
        connect(live_server.url, "bolt", "Bolt", size=20, rng=3),
    ]
    connect(live_server.url, "gamma", "Gamma", size=20, rng=5)
    user = django_user_model.objects.create_user("olga", password=PASSWORD)
    for account in accounts:
        Membership.objects.create(user=user, account=account, role="editor")
    return user


def contact_count(slug: str) -> int:
    return SandboxRecord.objects.filter(account__slug=slug, kind="contact").count()


def test_the_overview_lists_my_accounts_with_their_figures_and_leads_into_one(
    chromium, live_server, staff
):
    page = log_in(chromium, live_server.url, staff)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("All accounts")
    main = page.get_by_role("main")
    for name, slug in (("Acme", "acme"), ("Bolt", "bolt")):
        link = page.get_by_role("link", name=name, exact=True)
        expect(main.get_by_role("link", name=name, exact=True).first).to_be_visible()
        # The account's row or card shows its figures once they have loaded.
        entry = main.locator("tr, section").filter(has=link).last
        expect(entry).to_contain_text(str(contact_count(slug)))
    expect(main).not_to_contain_text("Gamma")

    main.get_by_role("link", name="Bolt", exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/a/bolt/"))
    expect(page.get_by_role("navigation", name="Bolt")).to_be_visible()
    expect(page.get_by_role("button", name="Bolt", exact=True)).to_be_visible()  # the switcher
