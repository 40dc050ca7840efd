import pytest
from django.core.cache import cache

from acdash.sandbox import faults

from . import connect_seeded_account


@pytest.fixture
def acme(live_server, transactional_db):
    """A small seeded sandbox account connected in acdash (test_detail.py has a richer one)."""
    cache.clear()
    faults.reset()
    yield connect_seeded_account(live_server.url)
    faults.reset()
