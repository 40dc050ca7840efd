"""A rate limiter per ActiveCampaign account, shared by every thread and process.

The API accepts at most 5 requests per account in any one-second window: it refuses a
sixth request that arrives within one second of the fifth-last. The limiter keeps each
account's recent request starts and lets a request start when fewer than ``rate`` of them
fall in the last ``1 + margin`` seconds; otherwise the request reserves the moment the
oldest of them leaves that window and sleeps until then. So an idle account's first five
calls start at once, a busy account runs at ``rate / (1 + margin)`` per second, and
requests wait rather than fail.

Why the margin: the API counts arrivals, the limiter counts starts, and what lies between
(connection set-up, thread scheduling, the network) varies per request. If the fifth-last
start arrives ``j`` seconds late and the sixth on time, their arrivals are only
``1 + margin - j`` apart, so the margin is the arrival jitter the limiter absorbs. 0.08
absorbs 80 ms and keeps 1 / 1.08 = 92.6% of the budget (90% allows at most 0.11).

The starts (a few floats per account) live in a store every process can see:

- ``FileStore`` (the default, one machine): a small file per account under
  ``ACTIVECAMPAIGN_RATE_LIMIT_DIR``, read and written under ``flock``, which locks
  between threads and processes alike. No setup; local filesystems only.
- ``CacheStore`` (many machines): a Django cache named by
  ``ACTIVECAMPAIGN_RATE_LIMIT_CACHE``, e.g. Redis. On Redis one script (``RESERVE``, run
  atomically by Redis) takes the start in one round trip; on other caches the atomic
  ``add()`` is a lock around reading and writing the starts (five round trips).
  LocMemCache is per process, and FileBasedCache's ``add()`` is not atomic: neither
  shares the budget between processes.

Clocks are ``time.time()``: machines sharing a cache must keep their clocks in sync (NTP).
"""

import fcntl
import hashlib
import os
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from .conf import setting

Clock = Callable[[], float]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def schedule(
    starts: list[float], now: float, limit: int, window: float, max_wait: float | None
) -> tuple[float | None, list[float]]:
    """The next start for an account whose recent starts are ``starts``, and the starts to
    keep; ``(None, starts)`` when that start is more than ``max_wait`` away."""
    recent = sorted(s for s in starts if s > now - window)  # future reservations included
    start = now if len(recent) < limit else max(now, recent[-limit] + window)
    if max_wait is not None and start - now > max_wait:
        return None, starts
    return start, [*recent, start][-limit:]


class Store(Protocol):
    def reserve(
        self, key: str, limit: int, window: float, clock: Clock, max_wait: float | None = None
    ) -> float | None:
        """Atomically take and record the account's next start (``>= clock()``), or record
        nothing and return None if it is more than ``max_wait`` seconds away."""
        ...


class FileStore:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def reserve(
        self, key: str, limit: int, window: float, clock: Clock, max_wait: float | None = None
    ) -> float | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / f"{_digest(key)}.starts", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released by close()
            text = os.pread(fd, 64 * (limit + 1), 0).decode()
            try:
                starts = [float(line) for line in text.split()]
            except ValueError:  # a torn write; forgetting the starts costs early starts once
                starts = []
            start, keep = schedule(starts, clock(), limit, window, max_wait)
            if start is not None:
                data = "".join(f"{s!r}\n" for s in keep).encode()
                os.pwrite(fd, data, 0)
                os.ftruncate(fd, len(data))
            return start
        finally:
            os.close(fd)


# schedule() in Lua, on the starts kept as one string of space-separated numbers. Redis runs
# a script alone, so it needs no lock. ARGV: now, limit, window, max_wait (negative: none).
# Returns the start as text (Redis would truncate a number), or nil when it is too far.
RESERVE = """
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_wait = tonumber(ARGV[4])
local recent = {}
for s in string.gmatch(redis.call('GET', KEYS[1]) or '', '%S+') do
  local start = tonumber(s)
  if start > now - window then table.insert(recent, start) end
end
table.sort(recent)
local start = now
if #recent >= limit then start = math.max(now, recent[#recent - limit + 1] + window) end
if max_wait >= 0 and start - now > max_wait then return nil end
table.insert(recent, start)
local keep = {}
for i = math.max(1, #recent - limit + 1), #recent do
  table.insert(keep, string.format('%.17g', recent[i]))
end
local ttl = math.floor(start - now + window) + 60
redis.call('SET', KEYS[1], table.concat(keep, ' '), 'EX', ttl)
return string.format('%.17g', start)
"""


class CacheStore:
    LOCK_SECONDS = 5  # a crashed holder's lock expires after this

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def reserve(
        self, key: str, limit: int, window: float, clock: Clock, max_wait: float | None = None
    ) -> float | None:
        cache = caches[self.alias]  # per thread, as Django hands caches out
        name = f"acdash:ratelimit:{_digest(key)}"
        reserve = self._by_script if isinstance(cache, RedisCache) else self._under_lock
        return reserve(cache, name, limit, window, clock, max_wait)

    def _by_script(
        self, cache, name: str, limit: int, window: float, clock: Clock, max_wait: float | None
    ) -> float | None:
        client = cache._cache.get_client(write=True)
        wait = -1 if max_wait is None else max_wait
        args = [repr(clock()), limit, repr(window), repr(wait)]
        keys = [cache.make_and_validate_key(name)]
        start = client.register_script(RESERVE)(keys=keys, args=args)  # EVALSHA
        return None if start is None else float(start)

    def _under_lock(
        self, cache, name: str, limit: int, window: float, clock: Clock, max_wait: float | None
    ) -> float | None:
        token = uuid.uuid4().hex
        give_up = time.monotonic() + 2 * self.LOCK_SECONDS
        while not cache.add(f"{name}:lock", token, timeout=self.LOCK_SECONDS):
            if time.monotonic() > give_up:
                raise RuntimeError(
                    f"Rate-limit cache {self.alias!r} refuses writes; is it shared and writable?"
                )
            time.sleep(random.uniform(0.001, 0.004))
        try:
            now = clock()
            start, keep = schedule(cache.get(f"{name}:starts", []), now, limit, window, max_wait)
            if start is not None:
                cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)
            return start
        finally:
            if cache.get(f"{name}:lock") == token:
                cache.delete(f"{name}:lock")


class RateLimiter:
    def __init__(
        self,
        store: Store,
        rate: float | None = None,
        margin: float | None = None,
        *,
        clock: Clock = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.limit = max(1, int(rate if rate is not None else setting("RATE_LIMIT")))
        margin = float(margin if margin is not None else setting("RATE_LIMIT_MARGIN"))
        self.window = 1 + margin
        self.clock = clock
        self.sleep = sleep

    def wait(self, account_key: str, max_wait: float | None = None) -> float | None:
        """Block until this account may send one request; return the seconds waited.

        None, at once and without taking a start, when that wait would exceed ``max_wait``.
        """
        start = self.store.reserve(account_key, self.limit, self.window, self.clock, max_wait)
        if start is None:
            return None
        delay = start - self.clock()
        if delay > 0:
            self.sleep(delay)
        return max(delay, 0.0)


def default_limiter() -> RateLimiter:
    """The limiter the settings describe (cache alias if set, else lock files)."""
    alias = setting("RATE_LIMIT_CACHE")
    return RateLimiter(CacheStore(alias) if alias else FileStore(setting("RATE_LIMIT_DIR")))
