"""API tokens are encrypted at rest and never shown again once saved."""

import logging

from django.db import connection

from acdash.accounts import crypto
from acdash.accounts.models import ConnectedAccount

TOKEN = "abcdef0123456789secrettoken9876"


def test_token_is_encrypted_in_the_database(db):
    account = ConnectedAccount(slug="a", name="A", api_url="https://a.api-us1.com")
    account.set_token(TOKEN)
    account.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_connectedaccount")
        raw_row = " ".join(str(value) for value in cursor.fetchone())
    assert TOKEN not in raw_row
    assert ConnectedAccount.objects.get().api_token == TOKEN
    assert account.masked_token == "••••9876"


def test_keys_rotate_without_losing_tokens(settings):
    old_key, new_key = crypto.Fernet.generate_key().decode(), crypto.Fernet.generate_key().decode()
    settings.FERNET_KEYS = [old_key]
    crypto._fernet.cache_clear()
    stored = crypto.encrypt(TOKEN)
    settings.FERNET_KEYS = [new_key, old_key]
    crypto._fernet.cache_clear()
    assert crypto.decrypt(stored) == TOKEN
    rotated = crypto.rotate(stored)
    settings.FERNET_KEYS = [new_key]
    crypto._fernet.cache_clear()
    assert crypto.decrypt(rotated) == TOKEN
    crypto._fernet.cache_clear()


def test_connecting_never_renders_or_logs_the_token(sandbox, client, admin_user, caplog):
    client.force_login(admin_user)
    token = sandbox.account.api_token
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/manage/accounts/new/",
            {"name": "Acme", "slug": "acme", "api_url": sandbox.api_url, "api_token": token},
            follow=True,
        )
        pages = [response.content.decode()]
        for url in ("/manage/accounts/", "/manage/accounts/acme/", "/a/acme/"):
            pages.append(client.get(url).content.decode())
    assert response.status_code == 200
    assert ConnectedAccount.objects.get(slug="acme").api_token == token
    assert all(token not in page for page in pages)
    assert "••••" + token[-4:] in pages[2]
    assert all(token not in record.getMessage() for record in caplog.records)
