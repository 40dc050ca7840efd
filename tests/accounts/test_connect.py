"""Connecting an account verifies the URL and token live and says clearly what is wrong."""

import pytest

from acdash.accounts.models import ConnectedAccount


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def post_connect(admin_client, **fields):
    data = {"name": "Acme", "slug": "acme", **fields}
    return admin_client.post("/manage/accounts/new/", data)


def test_valid_url_and_token_connect_the_account(sandbox, admin_client):
    response = post_connect(
        admin_client, api_url=sandbox.api_url + "/api/3/", api_token=sandbox.account.api_token
    )
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.api_url == sandbox.api_url  # normalised: no /api/3, no trailing slash
    assert account.last_success_at is not None


def test_wrong_token_is_reported_on_the_token_field(sandbox, admin_client):
    response = post_connect(admin_client, api_url=sandbox.api_url, api_token="not-the-token")
    assert response.status_code == 200
    assert "refused this API token" in str(response.context["form"].errors["api_token"])
    assert not ConnectedAccount.objects.exists()


def test_unreachable_or_foreign_url_is_reported_on_the_url_field(sandbox, admin_client):
    # A sandbox path for an account that does not exist: the server answers 404.
    missing = sandbox.api_url.rsplit("/", 1)[0] + "/no-such-account"
    response = post_connect(admin_client, api_url=missing, api_token="x" * 20)
    assert "api_url" in response.context["form"].errors
    assert not ConnectedAccount.objects.exists()


def test_editing_keeps_the_saved_token_when_left_empty(sandbox, admin_client):
    post_connect(admin_client, api_url=sandbox.api_url, api_token=sandbox.account.api_token)
    response = admin_client.post(
        "/manage/accounts/acme/",
        {"name": "Acme Corp", "slug": "acme", "api_url": sandbox.api_url, "api_token": ""},
    )
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.name == "Acme Corp"
    assert account.api_token == sandbox.account.api_token


def test_staff_who_are_not_superusers_cannot_connect_accounts(db, client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="pw")
    client.force_login(user)
    assert client.get("/manage/accounts/new/").status_code == 302  # to the login page


def test_unreachable_host_is_reported_on_the_url_field(db, admin_client, settings):
    # Port 1 on this machine refuses connections: a sandbox origin nobody serves.
    settings.SANDBOX_ORIGIN = "http://127.0.0.1:1"
    response = post_connect(
        admin_client, api_url="http://127.0.0.1:1/sandbox/gone", api_token="x" * 20
    )
    assert "Could not reach" in str(response.context["form"].errors["api_url"])
    assert not ConnectedAccount.objects.exists()


def connect_acme(admin_client, sandbox) -> ConnectedAccount:
    post_connect(admin_client, api_url=sandbox.api_url, api_token=sandbox.account.api_token)
    return ConnectedAccount.objects.get(slug="acme")


def test_changing_the_url_asks_for_the_token_again(sandbox, admin_client, settings):
    account = connect_acme(admin_client, sandbox)
    calls = sandbox.log()["total"]
    assert calls >= 1  # the token was verified once, at the URL it was saved with
    # The same sandbox server under another name: the saved token must not be sent there.
    settings.SANDBOX_ORIGIN = settings.SANDBOX_ORIGIN.replace("localhost", "127.0.0.1")
    moved = sandbox.api_url.replace("localhost", "127.0.0.1")
    response = admin_client.post(
        "/manage/accounts/acme/",
        {"name": "Acme", "slug": "acme", "api_url": moved, "api_token": ""},
    )
    assert response.status_code == 200
    assert "enter the account's API token again" in " ".join(
        response.context["form"].errors["api_token"]
    )
    assert sandbox.log()["total"] == calls  # nothing was sent anywhere
    account.refresh_from_db()
    assert account.api_url == sandbox.api_url

    response = admin_client.post(
        "/manage/accounts/acme/",
        {"name": "Acme", "slug": "acme", "api_url": moved, "api_token": sandbox.account.api_token},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.api_url == moved


def test_an_api_url_already_connected_is_refused_with_a_link_to_it(sandbox, admin_client):
    connect_acme(admin_client, sandbox)
    response = admin_client.post(
        "/manage/accounts/new/",
        {
            "name": "Acme again",
            "slug": "acme-again",
            "api_url": sandbox.api_url.replace("localhost", "LocalHost") + "/api/3/",
            "api_token": sandbox.account.api_token,
        },
    )
    page = response.content.decode()
    assert 'already connected as <a href="/manage/accounts/acme/">Acme</a>' in page
    assert ConnectedAccount.objects.count() == 1


def test_editing_another_account_onto_a_connected_url_is_refused(sandbox, admin_client):
    connect_acme(admin_client, sandbox)
    other = ConnectedAccount(slug="other", name="Other", api_url="https://other.api-us1.com")
    other.set_token("other-token")
    other.save()
    response = admin_client.post(
        "/manage/accounts/other/",
        {
            "name": "Other",
            "slug": "other",
            "api_url": sandbox.api_url,
            "api_token": sandbox.account.api_token,
        },
    )
    assert "already connected as" in str(response.context["form"].errors["api_url"])
    other.refresh_from_db()
    assert other.api_url == "https://other.api-us1.com"


def test_a_saved_token_that_cannot_be_decrypted_asks_for_the_token(sandbox, admin_client, settings):
    account = connect_acme(admin_client, sandbox)
    ConnectedAccount.objects.filter(pk=account.pk).update(token_encrypted="not-fernet")
    response = admin_client.post(
        "/manage/accounts/acme/",
        {"name": "Acme", "slug": "acme", "api_url": sandbox.api_url, "api_token": ""},
    )
    assert "cannot be read: enter it again" in " ".join(
        response.context["form"].errors["api_token"]
    )
