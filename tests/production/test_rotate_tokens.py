"""Key rotation: with a new key put first, `manage.py rotate_tokens` re-encrypts every
stored token with it, so the old key can then be removed."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from acdash.accounts import crypto
from acdash.accounts.models import ConnectedAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings):
    def use(*names: str) -> None:
        settings.FERNET_KEYS = list(names)
        crypto._fernet.cache_clear()

    yield use
    crypto._fernet.cache_clear()


def connect(slug: str, token: str) -> ConnectedAccount:
    account = ConnectedAccount(slug=slug, name=slug, api_url=f"https://{slug}.api-us1.com")
    account.set_token(token)
    account.save()
    return account


def test_rotation_re_encrypts_every_token_so_the_old_key_can_go(keys, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    connect("acme", "token-acme-1234")
    connect("globex", "token-globex-5678")
    keys(new, old)
    call_command("rotate_tokens")
    assert "Re-encrypted 2 token(s)" in capsys.readouterr().out
    keys(new)  # the old key removed
    tokens = {a.slug: a.api_token for a in ConnectedAccount.objects.all()}
    assert tokens == {"acme": "token-acme-1234", "globex": "token-globex-5678"}


def test_a_token_no_key_opens_is_named_and_left_alone(keys):
    lost, kept = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(lost)
    stranded = connect("acme", "token-acme-1234").token_encrypted
    keys(kept)
    connect("globex", "token-globex-5678")
    with pytest.raises(CommandError, match="acme"):
        call_command("rotate_tokens")
    assert ConnectedAccount.objects.get(slug="acme").token_encrypted == stranded
    assert ConnectedAccount.objects.get(slug="globex").api_token == "token-globex-5678"
