"""Per-account cache of slow-changing metadata (fields, pipelines, stages, users, task
types, tags, lists), through Django's cache so every process shares it when the cache
is shared (Redis). Service functions that change metadata invalidate its entry.

Metadata changed in ActiveCampaign itself is not seen until the entry expires, except
where an object names an id the entry lacks: ``cached_with_ids`` loads it again then, once
per web request and entry (a request's parallel calls share that budget), so an id that
stays missing (deleted meanwhile) costs one reload per request, not one per use.
"""

import hashlib
import secrets
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
    keys = [_key(client, name) for name in names]
    cache.delete_many(keys)
    with _written_lock:
        for written in _written.values():
            for key in keys:
                written.values.pop(key, None)


def peek(client: Client, name: str) -> object:
    """The cached value of ``name`` for the client's account, or None (never loads)."""
    return cache.get(_key(client, name))


def remember(client: Client, name: str, value: object) -> None:
    cache.set(_key(client, name), value, setting("METADATA_TTL"))


def peek_many(client: Client, names: Iterable[str]) -> dict[str, object]:
    """The cached values of ``names`` that are there, by name, in one cache round trip."""
    keys = {_key(client, name): name for name in names}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}


class _Written:
    """What ``remember_many`` wrote from this process, by key, in the shared cache's
    current generation for one TTL: a token there that lives half that TTL, so an entry
    written under it is still in the cache while it lasts. Once the token is gone (expired,
    evicted, the cache cleared) every process writes again."""

    def __init__(self) -> None:
        self.token: object = None
        self.values: dict[str, object] = {}


_written: dict[int, _Written] = {}  # by TTL
_written_lock = threading.Lock()
WRITTEN_MAX = 100_000  # values remembered per TTL before this process starts over


def remember_many(client: Client, values: dict[str, object], ttl: int) -> None:
    """Cache ``values`` for ``ttl`` seconds, except those this process already wrote, the
    same, in the current generation: a board or a list shows the same records page after
    page, and writing their 100 labels each time was a tenth of a board's CPU. Another
    process's ``invalidate`` is not seen here: that entry is read again when next needed."""
    generation_key = f"ac:meta:written:{ttl}"
    if (token := cache.get(generation_key)) is None:
        cache.add(generation_key, secrets.token_hex(8), max(1, ttl // 2))
        token = cache.get(generation_key)
    keyed = {_key(client, name): value for name, value in values.items()}
    if token is None:  # a cache that keeps nothing
        cache.set_many(keyed, ttl)
        return
    with _written_lock:
        written = _written.setdefault(ttl, _Written())
        if written.token != token or len(written.values) > WRITTEN_MAX:
            written.token, written.values = token, {}
        new = {key: value for key, value in keyed.items() if written.values.get(key) != value}
    if new:
        cache.set_many(new, ttl)
        with _written_lock:
            written.values.update(new)
