"""Clients of the sandbox account for the client's own tests."""

import pytest

from acdash.activecampaign import Client
from acdash.activecampaign.ratelimit import FileStore, RateLimiter


@pytest.fixture
def make_client(sandbox, tmp_path):
    """Clients of the sandbox account; the limiter is generous so these tests run fast."""

    def make(**options) -> Client:
        options.setdefault("limiter", RateLimiter(FileStore(tmp_path), rate=1000))
        options.setdefault("backoff_base", 0.01)
        return Client(sandbox.api_url, options.pop("token", sandbox.account.api_token), **options)

    return make


@pytest.fixture
def client(make_client) -> Client:
    return make_client()
