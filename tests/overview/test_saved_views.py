"""Saved views of the overview: save the current filters and sort under a name, find them
as links above the table, delete one after a confirmation that names it. A user only ever
sees and deletes their own; a bad name is refused with a clear message and saves nothing."""

import re

import pytest

from acdash.accounts.models import Membership
from acdash.overview.models import SavedView

from . import HTMX, account_rows, many_accounts


@pytest.fixture
def agency(live_server, transactional_db):
    return many_accounts(live_server.url, 12)


@pytest.fixture
def member(agency, client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="pw")
    for account in agency:
        Membership.objects.create(user=user, account=account, role="viewer")
    client.force_login(user)
    return user


def save_form_query(html: str) -> str:
    found = re.search(r'<input type="hidden" name="query" value="([^"]*)"', html)
    assert found, html
    return found.group(1).replace("&amp;", "&")


def test_save_the_current_view_and_open_it_from_its_link(member, client):
    html = client.get("/?q=client-01&sort=-name", headers=HTMX).content.decode()
    query = save_form_query(html)
    assert query == "q=client-01&sort=-name"
    response = client.post("/views/", {"name": "  Tens   first ", "query": query})
    assert response.status_code == 302 and response["Location"] == f"/?{query}"
    view = SavedView.objects.get(user=member)
    assert (view.name, view.query) == ("Tens first", query)
    page = client.get(response["Location"]).content.decode()
    assert "Saved the view “Tens first”." in page
    assert f'<a href="/?{query.replace("&", "&amp;")}" aria-current="true">Tens first</a>' in page
    assert [row["name"][:10] for row in account_rows(page)] == [
        "Client 012",
        "Client 011",
        "Client 010",
    ]


def test_the_saved_query_keeps_only_valid_filters(member, client):
    client.post("/views/", {"name": "Odd", "query": "health=nope&junk=1&overdue=1&sort=-token"})
    assert SavedView.objects.get(user=member).query == "overdue=1"


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 61, "Ensure this value has at most 60 characters"),
        ("bell\x07", "A name can only hold printable characters."),
        ("nul\x00byte", "Null characters are not allowed."),
    ],
)
def test_a_bad_name_is_refused_with_a_message(member, client, name, message):
    response = client.post("/views/", {"name": name, "query": "health=error"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'class="save-view" open' in html  # the form stays open by its message
    assert not SavedView.objects.exists()


def test_a_name_in_use_is_refused_whatever_its_case(member, client):
    client.post("/views/", {"name": "Failing", "query": "health=error"})
    html = client.post("/views/", {"name": "failing", "query": ""}).content.decode()
    assert "You already have a view named “failing”" in html
    assert SavedView.objects.count() == 1


def test_delete_after_a_confirmation_that_names_it(member, client):
    view = SavedView.objects.create(user=member, name="Failing", query="health=error")
    page = client.get("/").content.decode()
    assert f'href="/views/{view.pk}/delete/" aria-label="Delete the saved view Failing"' in page
    confirmation = client.get(f"/views/{view.pk}/delete/").content.decode()
    assert "Delete your saved view <strong>Failing</strong>?" in confirmation
    assert SavedView.objects.exists()  # the GET changes nothing
    response = client.post(f"/views/{view.pk}/delete/")
    assert response.status_code == 302
    assert not SavedView.objects.exists()
    assert "Deleted the saved view “Failing”." in client.get("/").content.decode()


def test_a_user_never_sees_nor_deletes_another_users_views(
    member, client, admin_client, admin_user
):
    theirs = SavedView.objects.create(user=admin_user, name="Admin only", query="health=error")
    html = client.get("/").content.decode()
    assert "Admin only" not in html
    assert client.get(f"/views/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/views/{theirs.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()
    assert "Admin only" in admin_client.get("/").content.decode()


def test_saving_needs_a_login_and_a_post(agency, client, django_user_model):
    assert client.post("/views/", {"name": "x"}).status_code == 302  # to the login
    assert not SavedView.objects.exists()
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get("/views/").status_code == 405
