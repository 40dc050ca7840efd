"""Per-account cache of slow-changing metadata (fields, pipelines, stages, users, task
types, tags, lists), through Django's cache so every process shares it when the cache
is shared (Redis). Service functions that change metadata invalidate its entry.

Metadata changed in ActiveCampaign itself is not seen until the entry expires, except
where an object names an id the entry lacks: ``cached_with_ids`` loads it again then, once
per web request and entry (a request's parallel calls share that budget), so an id that
stays missing (deleted meanwhile) costs one reload per request, not one per use.
"""

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started

from .client import Client
from .conf import setting

# The entries reloaded for a missing id in this request (None outside web requests).
_reloaded: ContextVar[set[str] | None] = ContextVar("acdash_metadata_reloaded", default=None)
_reloaded_lock = threading.Lock()


def _request_started(**kwargs: object) -> None:
    _reloaded.set(set())


def _request_finished(**kwargs: object) -> None:
    _reloaded.set(None)  # the thread may serve other work next


request_started.connect(_request_started, dispatch_uid="acdash.activecampaign.metadata")
request_finished.connect(_request_finished, dispatch_uid="acdash.activecampaign.metadata")


@contextmanager
def request_scope() -> Iterator[None]:
    """One request's budget of reloads, for work outside web requests (which get theirs
    from Django's request signals)."""
    token = _reloaded.set(set())
    try:
        yield
    finally:
        _reloaded.reset(token)


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


def _may_reload(key: str) -> bool:
    reloaded = _reloaded.get()
    if reloaded is None:
        return True
    with _reloaded_lock:
        if key in reloaded:
            return False
        reloaded.add(key)
        return True


def cached_with_ids[T, K](
    client: Client,
    name: str,
    load: Callable[[], T],
    wanted: Iterable[K],
    has: Callable[[T, K], bool],
) -> T:
    """``cached``, loaded again (once per request) when it lacks one of the ``wanted`` ids
    (``has(value, id)``; ids 0 or "" mean "none" and are not wanted)."""
    value = cached(client, name, load)
    missing = [i for i in wanted if i and not has(value, i)]
    if not missing or not _may_reload(_key(client, name)):
        return value
    invalidate(client, name)
    return cached(client, name, load)


def invalidate(client: Client, *names: str) -> None:
    cache.delete_many([_key(client, name) for name in names])


def peek(client: Client, name: str) -> object:
    """The cached value of ``name`` for the client's account, or None (never loads)."""
    return cache.get(_key(client, name))


def remember(client: Client, name: str, value: object) -> None:
    cache.set(_key(client, name), value, setting("METADATA_TTL"))


def peek_many(client: Client, names: Iterable[str]) -> dict[str, object]:
    """The cached values of ``names`` that are there, by name, in one cache round trip."""
    keys = {_key(client, name): name for name in names}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}


def remember_many(client: Client, values: dict[str, object], ttl: int) -> None:
    cache.set_many({_key(client, name): value for name, value in values.items()}, ttl)
