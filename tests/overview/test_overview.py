"""The all-accounts overview and the cross-account search, against seeded sandbox accounts."""

import re

import pytest
from django.core.cache import cache

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import count_api_calls
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount


@pytest.fixture
def accounts(live_server, transactional_db):
    """Two small seeded sandbox accounts, connected in acdash."""
    cache.clear()
    faults.reset()
    connected = []
    for slug, size, number in (("north", 20, 1), ("south", 30, 2)):
        seed.seed_account(slug, slug.title(), size, number)
        sandbox = SandboxAccount.objects.get(slug=slug)
        sandbox.rate_limit = 1000
        sandbox.save()
        account = ConnectedAccount(
            slug=slug, name=slug.title(), api_url=f"{live_server.url}/sandbox/{slug}"
        )
        account.set_token(sandbox.api_token)
        account.save()
        connected.append(account)
    yield connected
    faults.reset()


def test_overview_page_loads_one_card_per_account_lazily(accounts, admin_client):
    page = admin_client.get("/").content.decode()
    assert page.count('hx-trigger="load"') == 2
    assert "/a/north/card/" in page and "/a/south/card/" in page


def test_card_shows_the_accounts_figures_in_three_api_calls(accounts, admin_client):
    with count_api_calls() as calls:
        response = admin_client.get("/a/south/card/")
    html = response.content.decode()
    assert response.status_code == 200
    link = '<a href="/a/south/contacts/" aria-label="30 contacts">30</a>'
    assert f"<dt>Contacts</dt><dd>{link}" in html
    assert calls.count == 3
    assert 'desc="3 calls"' in response["Server-Timing"]
    # Cached briefly: the second render costs nothing.
    with count_api_calls() as calls:
        admin_client.get("/a/south/card/")
    assert calls.count == 0


def test_the_card_links_the_account_and_its_contacts_to_the_contact_list(accounts, admin_client):
    html = admin_client.get("/a/north/card/").content.decode()
    heading = html[html.index("<h2>") : html.index("</h2>")]
    assert '<a href="/a/north/contacts/">North</a>' in heading
    assert 'aria-label="20 contacts">20</a>' in html


def test_the_open_deals_figure_links_to_the_accounts_open_deals(accounts, admin_client):
    html = admin_client.get("/a/north/card/").content.decode()
    figure = html[html.index("<dt>Open deals</dt>") :]
    figure = figure[: figure.index("</dd>")]
    link = re.search(r'<a href="([^"]+)" aria-label="(\d+) open deals in North">(\d+)</a>', figure)
    assert link, figure
    assert link.group(1) == "/a/north/deals/?status=0"
    # The list it opens counts the same deals, all of them open.
    listing = admin_client.get(link.group(1)).content.decode()
    assert f" of {link.group(2)} deal" in listing
    assert "matching status Open" in listing


def test_a_failing_account_shows_its_error_in_its_own_card(accounts, admin_client):
    SandboxAccount.objects.filter(slug="north").update(error_rate=1.0)
    broken = admin_client.get("/a/north/card/").content.decode()
    healthy = admin_client.get("/a/south/card/").content.decode()
    assert "Could not load this account" in broken
    assert "Could not load" not in healthy and "30 contacts" in healthy
    north = ConnectedAccount.objects.get(slug="north")
    assert north.last_error and not north.healthy


def test_search_finds_a_person_in_every_account_grouped_by_account(accounts, admin_client):
    north_email = SandboxAccount.objects.get(slug="north").records.filter(kind="contact")[0].key
    response = admin_client.get("/search/", {"q": north_email})
    html = response.content.decode()
    assert north_email in html
    north, south = html.index('aria-label="North"'), html.index('aria-label="South"')
    assert north < html.index(north_email, north) < south
    assert "No match." in html  # the south account does not know that person
    contact_id = SandboxAccount.objects.get(slug="north").records.get(key=north_email).rid
    assert f'href="/a/north/contacts/{contact_id}/"' in html


def test_search_only_looks_in_accounts_the_user_may_see(accounts, client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="pw")
    Membership.objects.create(user=user, account=accounts[1], role="viewer")
    client.force_login(user)
    north_email = SandboxAccount.objects.get(slug="north").records.filter(kind="contact")[0].key
    html = client.get("/search/", {"q": north_email}).content.decode()
    assert 'aria-label="North"' not in html
    assert "0 contacts matching" in html


def test_empty_states(db, admin_client):
    assert "No account is connected" in admin_client.get("/manage/accounts/").content.decode()
    assert "You have no accounts yet" in admin_client.get("/").content.decode()
    assert "Type an email address" in admin_client.get("/search/").content.decode()
