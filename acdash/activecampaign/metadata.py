"""Per-account cache of slow-changing metadata (fields, pipelines, stages, users, task
types, tags, lists), through Django's cache so every process shares it when the cache
is shared (Redis). Service functions that change metadata invalidate its entry.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from .client import Client
from .conf import setting


def _key(client: Client, name: str) -> str:
    account = hashlib.sha256(client.account_key.encode()).hexdigest()[:16]
    return f"ac:meta:{account}:{name}"


def cached[T](client: Client, name: str, load: Callable[[], T], ttl: int | None = None) -> T:
    """The cached value of ``name`` for the client's account, loading it on a miss."""
    key = _key(client, name)
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, ttl if ttl is not None else setting("METADATA_TTL"))
    return value


def invalidate(client: Client, *names: str) -> None:
    cache.delete_many([_key(client, name) for name in names])
