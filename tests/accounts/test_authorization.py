"""Every URL under /a/<account>/ checks access: non-members get 404, viewers cannot write."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from acdash.accounts.models import ConnectedAccount

ACCOUNT_PREFIX = "a/<slug:account>/"
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLE_VALUES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "0" * 32}


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def account_urls(slug: str) -> list[str]:
    routes = [r for r in _walk(get_resolver().url_patterns) if r.startswith(ACCOUNT_PREFIX)]

    def fill(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        return slug if name == "account" else SAMPLE_VALUES[converter]

    return ["/" + PLACEHOLDER.sub(fill, route) for route in routes]


def test_every_account_url_is_covered():
    assert len(account_urls("acme")) >= 4  # the walk finds the account views


def assert_hidden_on_every_url(client, account: ConnectedAccount) -> None:
    for url in account_urls(account.slug):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404, f"{method.__name__.upper()} {url}"
            assert account.name not in response.content.decode()


def test_users_with_no_membership_get_404_on_every_account_url(connected, make_user, client):
    client.force_login(make_user("outsider"))
    assert_hidden_on_every_url(client, connected)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_members_of_another_account_get_404_on_every_url_of_this_one(
    connected, make_user, client, role
):
    # Their membership of Northwind must not open Acme: access is per account.
    northwind = ConnectedAccount(slug="northwind", name="Northwind", api_url=connected.api_url)
    northwind.set_token("another-token")
    northwind.save()
    client.force_login(make_user(f"northwind-{role}", northwind, role))
    assert client.get(f"/a/{northwind.slug}/contacts/").status_code == 200  # their own opens
    assert_hidden_on_every_url(client, connected)


def test_unknown_account_is_404_even_for_superusers(connected, admin_user, client):
    client.force_login(admin_user)
    for url in account_urls("no-such-account"):
        assert client.get(url).status_code == 404, url


def test_viewers_get_403_on_every_write(connected, make_user, client):
    viewer = make_user("viewer", connected, "viewer")
    client.force_login(viewer)
    for url in account_urls(connected.slug):
        assert client.post(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(connected, client):
    for url in account_urls(connected.slug):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
