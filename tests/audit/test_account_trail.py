"""/a/<account>/audit/: one account's trail, for its admins and superusers; everyone else
gets the 404 a stranger gets."""

import pytest

from tests.contacts import table_rows

from .conftest import HTMX

URL = "/a/acme/audit/"


@pytest.mark.parametrize("name", ["owner", "root"])
def test_admins_and_superusers_read_the_accounts_trail_only(world, trail, client, name):
    client.force_login(world.users[name])
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    rows = table_rows(html)
    assert [r["object"] for r in rows] == ["contact 8", "deal 12", "contact 7", "contact 7"]
    assert "account" not in rows[0]  # one account: no account column, no account filter
    assert 'name="account"' not in html and "+1 555 0100" not in html
    assert 'href="/a/acme/audit/" aria-current="page">Audit</a>' in html  # the side navigation


@pytest.mark.parametrize("name", ["member", "viewer", "stranger"])
def test_editors_viewers_and_strangers_get_404(world, trail, client, name):
    client.force_login(world.users[name])
    for url in (URL, f"{URL}export/", f"{URL}?action=update"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ada@example.com" not in response.content.decode()


def test_an_unknown_account_is_404_even_for_superusers(world, client):
    client.force_login(world.users["root"])
    assert client.get("/a/initech/audit/").status_code == 404


def test_writes_are_refused(world, client):
    client.force_login(world.users["owner"])
    assert client.post(URL).status_code == 405
    client.force_login(world.users["viewer"])
    assert client.post(URL).status_code == 403


def test_filters_of_one_object_as_its_pages_see_all_link_sends(world, trail, client):
    client.force_login(world.users["owner"])
    rows = table_rows(client.get(URL, {"object_type": "contact", "object_id": 7}).content.decode())
    assert [(r["action"], r["change"]) for r in rows] == [
        ("tag.add", "tag—→VIP"),
        ("update", "emailada@example.com→ada.king@example.com"),
    ]


def test_htmx_pushes_the_accounts_own_url(world, trail, client):
    client.force_login(world.users["owner"])
    response = client.get(URL, {"action": "move", "page": ""}, headers=HTMX)
    assert response["HX-Push-Url"] == "/a/acme/audit/?action=move"
    assert [r["object"] for r in table_rows(response.content.decode())] == ["deal 12"]


def test_the_export_link_carries_the_filters(world, trail, client):
    client.force_login(world.users["owner"])
    html = client.get(URL, {"action": "move", "sort": "at", "page": "1"}).content.decode()
    assert 'href="/a/acme/audit/export/?action=move"' in html
