"""The shared cache on a real Redis: a page's API calls run in threads of their own, new
for every page, and they share the process's one connection pool instead of opening
connections of their own."""

import pytest
from django.core.cache import cache, caches

from acdash.activecampaign.concurrency import gather

pytestmark = pytest.mark.scaleout


def _connections_opened() -> int:
    """How many connections Redis has accepted since it started (all clients)."""
    client = caches["default"]._cache.get_client()
    return client.info("stats")["total_connections_received"]


def test_threads_of_many_pages_share_one_connection_pool():
    cache.set("shared", "yes")
    before = _connections_opened()
    for _page in range(20):  # each gather: fresh threads, as every page's API calls
        assert gather(*(lambda: cache.get("shared") for _ in range(8))) == ["yes"] * 8
    # At most one connection per thread at once, kept in the pool for the next page: not
    # one new connection per thread and page (160). Other tests may open a few meanwhile.
    assert _connections_opened() - before <= 8 + 8
