"""The all-accounts overview against seeded sandbox accounts: the page renders from what
acdash knows (0 API calls), rows without figures load them in batches, each row links its
figures to what they count, and a failing account shows its error in its own row."""

import re

import pytest

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import count_api_calls
from acdash.overview import figures
from acdash.overview.models import AccountFigures
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount

from . import HTMX, account_rows, connect


@pytest.fixture
def accounts(live_server, transactional_db):
    """Two small seeded sandbox accounts, connected in acdash."""
    faults.reset()
    yield [
        connect(live_server.url, "north", "North", 20, 1),
        connect(live_server.url, "south", "South", 30, 2),
    ]
    faults.reset()


def batch_url(html: str) -> str:
    found = re.search(r"<tbody hx-get=\"([^\"]+)\"", html)
    assert found, html
    return found.group(1).replace("&amp;", "&")


def test_the_page_lists_every_account_and_makes_no_api_call(accounts, admin_client):
    with count_api_calls() as calls:
        response = admin_client.get("/")
    html = response.content.decode()
    assert calls.count == 0
    assert 'desc="0 calls"' in response["Server-Timing"]
    rows = account_rows(html)
    assert [row["name"] for row in rows] == ["Northnorth", "Southsouth"]
    assert all(row["health"] == "Not checked" for row in rows)
    # Their figures are on their way: one request for the batch, as it scrolls into view.
    assert batch_url(html) == "/figures/?a=north&a=south"


def test_a_batch_loads_its_figures_in_three_calls_an_account_then_none(accounts, admin_client):
    url = batch_url(admin_client.get("/").content.decode())
    with count_api_calls() as calls:
        response = admin_client.get(url, headers=HTMX)
    html = response.content.decode()
    assert calls.count == 6
    assert html.startswith("<tbody>") and "hx-get" not in html.split("<tr")[0]
    south = account_rows(html)[1]
    assert south["contacts"] == "30" and south["health"] == "OK"
    assert AccountFigures.objects.get(account__slug="south").contacts == 30
    # Kept: the batch again, and the page, cost nothing and show the figures.
    with count_api_calls() as calls:
        admin_client.get(url, headers=HTMX)
        page = admin_client.get("/").content.decode()
    assert calls.count == 0
    assert 'aria-label="30 contacts">30</a>' in page and "<tbody hx-get" not in page


def test_a_row_shows_the_accounts_figures_in_three_api_calls(accounts, admin_client):
    with count_api_calls() as calls:
        response = admin_client.get("/a/south/card/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<tr id="card-south"')
    assert '<a href="/a/south/contacts/" aria-label="30 contacts">30</a>' in html
    assert calls.count == 3
    assert 'desc="3 calls"' in response["Server-Timing"]
    with count_api_calls() as calls:
        admin_client.get("/a/south/card/")
    assert calls.count == 0
    with count_api_calls() as calls:  # its Refresh asks again
        admin_client.get("/a/south/card/?refresh=1")
    assert calls.count == 3


def test_the_row_links_the_account_and_its_contacts_to_the_contact_list(accounts, admin_client):
    html = admin_client.get("/a/north/card/").content.decode()
    assert '<a href="/a/north/contacts/">North</a>' in html
    assert 'aria-label="20 contacts">20</a>' in html
    assert 'Refresh<span class="visually-hidden"> North</span>' in html


def test_the_open_deals_figure_links_to_the_accounts_open_deals(accounts, admin_client):
    html = admin_client.get("/a/north/card/").content.decode()
    link = re.search(r'<a href="([^"]+)" aria-label="(\d+) open deals in North">(\d+)</a>', html)
    assert link, html
    assert link.group(1) == "/a/north/deals/?status=0"
    # The list it opens counts the same deals, all of them open.
    listing = admin_client.get(link.group(1)).content.decode()
    assert f" of {link.group(2)} deal" in listing
    assert "matching status Open" in listing


def test_a_failing_account_shows_its_error_in_its_own_row(accounts, admin_client):
    SandboxAccount.objects.filter(slug="north").update(error_rate=1.0)
    url = batch_url(admin_client.get("/").content.decode())
    html = admin_client.get(url, headers=HTMX).content.decode()
    north, south = account_rows(html)
    assert north["health"] == "Failing" and north["last_error"]
    assert south["health"] == "OK" and south["contacts"] == "30"
    account = ConnectedAccount.objects.get(slug="north")
    assert account.last_error and not account.healthy
    # Recently failed: the page does not call it again by itself; its row offers a Retry.
    page = admin_client.get("/").content.decode()
    assert "<tbody hx-get" not in page
    row = admin_client.get("/a/north/card/").content.decode()
    assert "Could not load this account" in row
    assert 'hx-get="/a/north/card/" hx-target="#card-north" hx-swap="outerHTML">Retry</a>' in row


def test_a_member_sees_only_their_accounts_and_batches(accounts, client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="pw")
    Membership.objects.create(user=user, account=accounts[1], role="viewer")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert [row["name"] for row in account_rows(html)] == ["Southsouth"]
    assert "North" not in html
    # A batch naming an account they may not see leaves it out, as if it did not exist.
    with count_api_calls() as calls:
        batch = client.get("/figures/?a=north&a=south", headers=HTMX).content.decode()
    assert "card-north" not in batch and "card-south" in batch
    assert calls.count == 3
    assert client.get("/a/north/card/").status_code == 404


def test_a_stranger_has_no_rows(accounts, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    html = client.get("/").content.decode()
    assert "You have no accounts yet" in html
    batch = client.get("/figures/?a=north&a=south", headers=HTMX).content.decode()
    assert "card-" not in batch
    assert client.get("/a/south/card/").status_code == 404
    client.logout()
    assert client.get("/").status_code == 302  # to the login


def test_empty_states(db, admin_client):
    assert "No account is connected" in admin_client.get("/manage/accounts/").content.decode()
    assert "You have no accounts yet" in admin_client.get("/").content.decode()
    assert "Type an email address" in admin_client.get("/search/").content.decode()


def test_an_account_disconnected_while_its_figures_load_is_left_out(accounts):
    north, south = accounts
    ConnectedAccount.objects.filter(pk=north.pk).delete()  # after the batch read it
    (stored,) = figures.refresh([north, south])
    assert stored.slug == "south" and stored.figures.contacts == 30
    assert list(AccountFigures.objects.values_list("account__slug", flat=True)) == ["south"]
