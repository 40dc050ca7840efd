import pytest

from acdash.accounts.models import ConnectedAccount


@pytest.fixture
def connected(sandbox) -> ConnectedAccount:
    """The test sandbox account, connected in acdash."""
    account = ConnectedAccount(slug="acme", name="Acme", api_url=sandbox.api_url)
    account.set_token(sandbox.account.api_token)
    account.save()
    return account
