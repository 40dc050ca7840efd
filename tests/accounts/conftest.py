import pytest
from django.contrib.auth import get_user_model

from acdash.accounts.models import ConnectedAccount, Membership


@pytest.fixture
def connected(sandbox) -> ConnectedAccount:
    """The test sandbox account, connected in acdash."""
    account = ConnectedAccount(slug="acme", name="Acme", api_url=sandbox.api_url)
    account.set_token(sandbox.account.api_token)
    account.save()
    return account


@pytest.fixture
def make_user(db):
    def make(username: str, account: ConnectedAccount | None = None, role: str | None = None):
        user = get_user_model().objects.create_user(username, password="pw-" + username)
        if account is not None and role is not None:
            Membership.objects.create(user=user, account=account, role=role)
        return user

    return make
