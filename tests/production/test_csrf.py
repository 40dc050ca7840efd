"""A POST without the CSRF token is refused on every URL of the project (the URL patterns
are walked, so a new write URL is checked by itself), even for an admin of the account."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from acdash.accounts.models import ConnectedAccount, Membership
from tests.fuzz import fill, placeholders, url_patterns

SLUG = "acme"
# The sandbox's API is authenticated by its Api-Token header, never by a cookie.
ROUTES = [route for route in url_patterns() if not route.startswith("sandbox/")]
VALUES = {"int": "1", "slug": SLUG, "str": SLUG, "path": "1", "uuid": str(uuid.uuid4())}


def path_of(route: str) -> str:
    return fill(route, {name: VALUES.get(kind, "1") for kind, name in placeholders(route)})


@pytest.fixture
def admin_browser(db) -> Client:
    account = ConnectedAccount(slug=SLUG, name="Acme", api_url="https://acme.api-us1.com")
    account.set_token("t" * 40)
    account.save()
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    Membership.objects.create(user=root, account=account, role="admin")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(root)
    return browser


def test_every_url_refuses_a_post_without_the_csrf_token(admin_browser):
    assert len(ROUTES) > 50, "the walk found the project's URLs"
    accepted = {}
    for route in ROUTES:
        response = admin_browser.post(path_of(route), {"name": "x", "confirm": "1"})
        if response.status_code != 403 or b"CSRF verification failed" not in response.content:
            accepted[route] = response.status_code
    assert not accepted, f"POSTs without a CSRF token not refused: {accepted}"


def test_the_same_post_with_its_token_gets_through(admin_browser):
    admin_browser.get("/")  # sets the CSRF cookie
    token = admin_browser.cookies["csrftoken"].value
    response = admin_browser.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
