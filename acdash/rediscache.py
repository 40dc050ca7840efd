"""Django's Redis cache with one client, one connection pool and one ``redis.Redis`` per
process.

Django makes a cache backend per thread, and each of its Redis backends its own client and
connection pool. The API calls of a page run in threads of their own
(``activecampaign.concurrency.gather``), new for every page, so every page paid a new
client (its driver info reads the package metadata from disk), a new pool and a new
connection to Redis for each of them: a tenth of a web process's CPU under load. Django
also makes a ``redis.Redis`` for every command, which costs more than sending it. redis-py's
pools and ``Redis`` objects are thread-safe: every thread shares them here.
"""

import threading
from typing import Any, ClassVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class SharedRedisClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._redis: dict[int, Any] = {}  # by id of its pool

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        if (client := self._redis.get(id(pool))) is None:
            client = self._redis.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedRedisCache(RedisCache):
    _clients: ClassVar[dict[str, SharedRedisClient]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @cached_property
    def _cache(self) -> Any:
        key = repr((self._servers, sorted(self._options.items())))
        with self._lock:
            if key not in self._clients:
                client = SharedRedisClient(self._servers, **self._options)
                client._get_connection_pool(write=True)  # made now, not raced for later
                self._clients[key] = client
            return self._clients[key]
