import pytest
from django.core.cache import cache

from acdash.activecampaign import Client

from . import make_client


@pytest.fixture(autouse=True)
def _clear_cache():
    """Metadata is cached per account: every test starts cold."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(sandbox, tmp_path) -> Client:
    return make_client(sandbox, tmp_path)
