"""Django's Redis cache with one client, and so one connection pool, per process.

Django makes a cache backend per thread, and each of its Redis backends its own client and
connection pool. The API calls of a page run in threads of their own
(``activecampaign.concurrency.gather``), new for every page, so every page paid a new
client (its driver info reads the package metadata from disk), a new pool and a new
connection to Redis for each of them: a tenth of a web process's CPU under load. redis-py's
pools are thread-safe: every thread shares one here.
"""

import threading
from typing import Any, ClassVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class SharedRedisCache(RedisCache):
    _clients: ClassVar[dict[str, RedisCacheClient]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @cached_property
    def _cache(self) -> Any:
        key = repr((self._servers, sorted(self._options.items())))
        with self._lock:
            if key not in self._clients:
                client = self._class(self._servers, **self._options)
                client._get_connection_pool(write=True)  # made now, not raced for later
                self._clients[key] = client
            return self._clients[key]
