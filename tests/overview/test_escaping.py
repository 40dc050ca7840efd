"""Hostile account names, user names, API errors, saved view names and search terms render
as text on the pages around the accounts: the overview, its rows and batches, the switcher,
the cross-account search, account management, members, and their confirmation texts (some
inside JavaScript strings)."""

import pytest

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import contacts
from acdash.overview.models import SavedView
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount
from tests.contacts.test_escaping import RAW, escaped, evil


def assert_text_only(html: str, *shown: str, js: tuple[str, ...] = ()) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r} in:\n{html[html.find(raw) - 300 :][:600]}"
    for where in shown:
        assert escaped(where) in html, f"{where} not shown (escaped) in:\n{html[:3000]}"
    for where in js:  # escapejs inside an attribute: no quote or angle bracket survives
        assert f"alert(\\u0027{where}\\u0027)" in html, f"{where} not in a JS string"


@pytest.fixture
def hostile(live_server, transactional_db, django_user_model):
    faults.reset()
    sandbox = SandboxAccount.objects.create(slug="evil", name="Evil", rate_limit=10_000)
    account = ConnectedAccount(
        slug="evil", name=evil("account"), api_url=f"{live_server.url}/sandbox/evil"
    )
    account.set_token(sandbox.api_token)
    account.save()
    member = django_user_model.objects.create_user(evil("user").replace(" ", ""))
    Membership.objects.create(user=member, account=account, role="viewer")
    contacts.create_contact(
        client_for_account(account), "evil@example.com", first_name=evil("first")
    )
    yield account
    faults.reset()


def test_the_overview_and_its_rows_show_the_account_name_as_text(hostile, admin_client):
    assert_text_only(admin_client.get("/").content.decode(), "account")
    assert_text_only(admin_client.get("/a/evil/card/").content.decode(), "account")
    assert_text_only(admin_client.get("/figures/?a=evil").content.decode(), "account")
    assert_text_only(admin_client.get("/a/evil/contacts/").content.decode(), "account")


def test_an_api_error_in_a_row_shows_as_text(hostile, admin_client):
    SandboxAccount.objects.filter(slug="evil").update(error_rate=1.0)
    row = admin_client.get("/a/evil/card/?refresh=1").content.decode()
    assert "Could not load" in row
    ConnectedAccount.objects.filter(slug="evil").update(last_error=evil("error"))
    managed = admin_client.get("/manage/accounts/").content.decode()
    assert_text_only(managed, "account", "error")
    assert_text_only(admin_client.get("/?has_error=1").content.decode(), "account", "error")


def test_saved_view_names_and_queries_show_as_text(hostile, admin_client, admin_user):
    view = SavedView.objects.create(user=admin_user, name=evil("view"), query="q=%22%3E")
    assert_text_only(admin_client.get("/").content.decode(), "view")
    assert_text_only(admin_client.get(f"/views/{view.pk}/delete/").content.decode(), "view")
    refused = admin_client.post("/views/", {"name": evil("view"), "query": evil("q")})
    assert_text_only(refused.content.decode(), "view")


def test_search_results_and_the_typed_term_show_as_text(hostile, admin_client):
    found = admin_client.get("/search/", {"q": "evil@example.com"}).content.decode()
    assert_text_only(found, "account", "first")
    typed = admin_client.get("/search/", {"q": evil("query")}).content.decode()
    assert_text_only(typed, "query")


def test_account_management_and_its_disconnect_confirmation(hostile, admin_client):
    assert_text_only(admin_client.get("/manage/accounts/").content.decode(), "account")
    edit = admin_client.get("/manage/accounts/evil/").content.decode()
    assert_text_only(edit, "account")
    confirmation = admin_client.get("/manage/accounts/evil/disconnect/").content.decode()
    assert_text_only(confirmation, "account")
    home = admin_client.get("/a/evil/").content.decode()
    assert_text_only(home, "account")


def test_members_and_their_removal_confirmation(hostile, admin_client):
    html = admin_client.get("/a/evil/members/").content.decode()
    assert_text_only(html, "account")
    assert 'data-confirm="Remove ' in html and f"from {escaped('account')}" in html
