"""Fixtures of the sandbox tests: a small seeded account over HTTP."""

from collections.abc import Iterator

import pytest

from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount
from tests.conftest import SandboxClient

CONTACTS = 40


@pytest.fixture
def seeded(live_server, transactional_db) -> Iterator[SandboxClient]:
    seed.seed_account("families", "Families account", CONTACTS, 14)
    account = SandboxAccount.objects.get(slug="families")
    account.rate_limit = 10_000
    account.save(update_fields=["rate_limit"])
    faults.reset()
    yield SandboxClient(live_server.url, account)
    faults.reset()
