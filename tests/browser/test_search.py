"""The top bar's search finds a person in every account at once: type a name, press Enter,
read the matches grouped by account (an account without one says so), open the one in the
second account and land on that account's contact page."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import Membership
from acdash.activecampaign import contacts
from tests.tasks.conftest import connect

from .conftest import PASSWORD, log_in, seeded_account


@pytest.fixture
def staff(live_server, transactional_db, django_user_model) -> User:
    acme = seeded_account(live_server.url)
    bolt = connect(live_server.url, "bolt", "Bolt", size=20, rng=3)
    gamma = connect(live_server.url, "gamma", "Gamma", size=20, rng=5)
    user = django_user_model.objects.create_user("sol", password=PASSWORD)
    for account in (acme, bolt, gamma):
        Membership.objects.create(user=user, account=account, role="viewer")
    return user


def test_find_a_person_in_every_account_and_open_the_second_accounts_one(
    chromium, live_server, staff
):
    found = {}
    for slug, email in (("acme", "ines.okafor@acme.example"), ("bolt", "ines@bolt.example")):
        ac = client_for_account(staff.memberships.get(account__slug=slug).account)
        found[slug] = contacts.create_contact(ac, email, first_name="Ines", last_name="Okafor")
    page = log_in(chromium, live_server.url, staff)

    search = page.get_by_role("searchbox", name="Search contacts in every account")
    search.fill("Ines Okafor")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("2 contacts matching “Ines Okafor”")
    expect(search).to_have_value("Ines Okafor")  # the URL and the box say what was searched
    expect(page).to_have_url(f"{live_server.url}/search/?q=Ines+Okafor")
    acme, bolt = (page.get_by_role("region", name=n, exact=True) for n in ("Acme", "Bolt"))
    expect(acme).to_contain_text("ines.okafor@acme.example")
    expect(bolt).to_contain_text("ines@bolt.example")
    # Gamma has none: the page says so, and shows no contact of it.
    expect(page.get_by_role("main")).to_contain_text("No match")
    expect(page.get_by_role("main")).to_contain_text("Gamma")
    expect(page.get_by_role("region", name="Gamma", exact=True).get_by_role("link")).to_have_count(
        0
    )

    bolt.get_by_role("link", name="Ines Okafor").click()
    expect(page).to_have_url(f"{live_server.url}/a/bolt/contacts/{found['bolt'].id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ines Okafor")
    expect(page.get_by_role("navigation", name="Bolt")).to_be_visible()
