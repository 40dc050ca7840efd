"""A rate limiter per ActiveCampaign account, shared by every thread and process.

The API accepts at most 5 requests per second per account in any sliding one-second
window, with no burst. So instead of a token bucket (which allows bursts) every request
reserves a start time on a schedule: ``start = max(now, next_free)`` and
``next_free = start + interval``, with ``interval = (1 + margin) / rate``, then sleeps
until its start. Idle accounts start at once; busy ones are spaced evenly, and requests
wait rather than fail.

The schedule (one float per account) lives in a store every process can see:

- ``FileStore`` (the default, one machine): a small file per account under
  ``ACTIVECAMPAIGN_RATE_LIMIT_DIR``, read and written under ``flock``, which locks
  between threads and processes alike. No setup; local filesystems only.
- ``CacheStore`` (many machines): a Django cache named by
  ``ACTIVECAMPAIGN_RATE_LIMIT_CACHE``, e.g. Redis. Its atomic ``add()`` is the lock.
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

from .conf import setting

Clock = Callable[[], float]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class Store(Protocol):
    def reserve(self, key: str, interval: float, clock: Clock) -> float:
        """Atomically take the account's next start time (``>= clock()``) and return it."""
        ...


class FileStore:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def reserve(self, key: str, interval: float, clock: Clock) -> float:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / f"{_digest(key)}.next", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released by close()
            try:
                next_free = float(os.pread(fd, 32, 0) or 0)
            except ValueError:  # a torn write; forgetting the schedule costs one early start
                next_free = 0.0
            start = max(clock(), next_free)
            os.pwrite(fd, f"{start + interval:<31.6f}\n".encode(), 0)  # fixed width
            return start
        finally:
            os.close(fd)


class CacheStore:
    LOCK_SECONDS = 5  # a crashed holder's lock expires after this

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def reserve(self, key: str, interval: float, clock: Clock) -> float:
        cache = caches[self.alias]  # per thread, as Django hands caches out
        name = f"acdash:ratelimit:{_digest(key)}"
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
            start = max(now, float(cache.get(f"{name}:next", 0.0)))
            cache.set(f"{name}:next", start + interval, timeout=int(start - now + interval) + 60)
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
        self.rate = float(rate if rate is not None else setting("RATE_LIMIT"))
        self.margin = float(margin if margin is not None else setting("RATE_LIMIT_MARGIN"))
        self.clock = clock
        self.sleep = sleep

    @property
    def interval(self) -> float:
        return (1 + self.margin) / self.rate

    def wait(self, account_key: str) -> float:
        """Block until this account may send one request; return the seconds waited."""
        delay = self.store.reserve(account_key, self.interval, self.clock) - self.clock()
        if delay > 0:
            self.sleep(delay)
        return max(delay, 0.0)


def default_limiter() -> RateLimiter:
    """The limiter the settings describe (cache alias if set, else lock files)."""
    alias = setting("RATE_LIMIT_CACHE")
    return RateLimiter(CacheStore(alias) if alias else FileStore(setting("RATE_LIMIT_DIR")))
