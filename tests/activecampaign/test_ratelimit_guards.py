"""The rate limiter's stores, case by case: where their state lives, who may read it, how
they share one lock, and the limits of waiting (the sliding window itself is in
test_ratelimit.py)."""

import os
import stat
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from acdash.activecampaign import ratelimit
from acdash.activecampaign.ratelimit import CacheStore, FileStore, RateLimiter, default_limiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


BUSY = {"tries": 0, "seconds": 0.0, "until": None}


class BusyLockCache(LocMemCache):
    """A cache whose lock someone else holds for the first few tries, or for some seconds
    from the first try."""

    def add(self, key, *args, **kwargs):
        if key.endswith(":lock"):
            if BUSY["until"] is None:
                BUSY["until"] = time.monotonic() + BUSY["seconds"]
            if BUSY["tries"] > 0 or time.monotonic() < BUSY["until"]:
                BUSY["tries"] = max(0, BUSY["tries"] - 1)
                return False
        return super().add(key, *args, **kwargs)


class RefusingCache(LocMemCache):
    """A cache that never takes a lock (not shared, or read-only)."""

    def add(self, key, *args, **kwargs):
        return False


def use_cache(settings, backend: type, tmp_path) -> None:
    path = f"{__name__}.{backend.__name__}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": path, "LOCATION": str(tmp_path)},
    }


def test_a_file_store_makes_its_directory_and_keeps_the_file_private(tmp_path):
    directory = tmp_path / "not" / "there" / "yet"
    FileStore(directory).reserve("acct", 5, 1.08, FakeTime())
    (entry,) = directory.iterdir()
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600  # no other user can starve the budget


def test_a_torn_file_forgets_the_schedule_instead_of_failing(tmp_path):
    clock = FakeTime()
    store = FileStore(tmp_path)
    store.reserve("acct", 5, 1.08, clock)
    (entry,) = tmp_path.iterdir()
    entry.write_text("1800000000.0\n18000x")  # a write cut short
    assert [store.reserve("acct", 5, 1.08, clock) for _ in range(5)] == [clock.now] * 5


def test_a_lock_held_briefly_by_another_is_waited_for(settings, tmp_path):
    use_cache(settings, BusyLockCache, tmp_path)
    BUSY.update(tries=3, seconds=0.0, until=None)
    clock = FakeTime()
    assert CacheStore("ratelimit").reserve("acct", 5, 1.08, clock) == clock.now
    assert BUSY["tries"] == 0


def test_a_crashed_holders_lock_is_outlasted(settings, tmp_path, monkeypatch):
    # A crashed holder's lock expires after LOCK_SECONDS; a waiter keeps trying for twice
    # that, so it takes the lock rather than failing just as the lock expires.
    use_cache(settings, BusyLockCache, tmp_path)
    monkeypatch.setattr(CacheStore, "LOCK_SECONDS", 0.5)
    BUSY.update(tries=0, seconds=0.75, until=None)  # 1.5 times the lock's expiry
    clock = FakeTime()
    assert CacheStore("ratelimit").reserve("acct", 5, 1.08, clock) == clock.now


def test_a_cache_that_never_gives_the_lock_is_a_clear_error(settings, tmp_path, monkeypatch):
    use_cache(settings, RefusingCache, tmp_path)
    monkeypatch.setattr(CacheStore, "LOCK_SECONDS", 0.02)
    failures: list[Exception] = []

    def reserve() -> None:
        try:
            CacheStore("ratelimit").reserve("acct", 5, 1.08, FakeTime())
        except RuntimeError as exc:
            failures.append(exc)

    waiting = threading.Thread(target=reserve, daemon=True)
    waiting.start()
    waiting.join(10)  # a watchdog, far beyond the 0.04 s it gives up after
    assert not waiting.is_alive(), "still waiting for a lock that never comes"
    assert "'ratelimit' refuses writes" in str(failures[0])


@pytest.mark.parametrize("token", ["0" * 32, "f" * 32])
def test_only_the_lock_holder_releases_the_lock(settings, tmp_path, token):
    use_cache(settings, LocMemCache, tmp_path)
    lock = f"acdash:ratelimit:{ratelimit._digest('acct')}:lock"
    cache = caches["ratelimit"]
    clock = FakeTime()

    def other_takes_it() -> float:
        cache.set(lock, token)  # our lock expired meanwhile; another process holds it now
        return clock()

    CacheStore("ratelimit").reserve("acct", 5, 1.08, other_takes_it)
    assert cache.get(lock) == token
    cache.delete(lock)
    CacheStore("ratelimit").reserve("acct", 5, 1.08, clock)
    assert cache.get(lock) is None  # our own is released


def test_a_rate_under_one_still_lets_one_request_through(tmp_path):
    clock = FakeTime()
    limiter = RateLimiter(FileStore(tmp_path), rate=0.5, margin=0, clock=clock, sleep=clock.sleep)
    assert limiter.wait("acct") == 0
    assert limiter.wait("acct") == pytest.approx(1.0)


def test_the_margin_lengthens_the_window(tmp_path):
    clock = FakeTime()
    limiter = RateLimiter(FileStore(tmp_path), rate=2, margin=0.5, clock=clock, sleep=clock.sleep)
    assert [limiter.wait("acct") for _ in range(3)] == [0, 0, pytest.approx(1.5)]


def test_a_wait_of_exactly_max_wait_is_taken(tmp_path):
    clock = FakeTime()
    limiter = RateLimiter(FileStore(tmp_path), rate=1, margin=0.25, clock=clock, sleep=clock.sleep)
    limiter.wait("acct")
    expected = (clock.now + 1.25) - clock.now  # the same float arithmetic as the limiter's
    assert limiter.wait("acct", max_wait=expected) == pytest.approx(1.25)


def test_the_settings_choose_the_store(settings, tmp_path):
    settings.ACTIVECAMPAIGN_RATE_LIMIT_CACHE = ""
    settings.ACTIVECAMPAIGN_RATE_LIMIT_DIR = str(tmp_path)
    files = default_limiter()
    assert isinstance(files.store, FileStore) and files.store.directory == tmp_path
    settings.ACTIVECAMPAIGN_RATE_LIMIT_CACHE = "ratelimit"
    shared = default_limiter()
    assert isinstance(shared.store, CacheStore) and shared.store.alias == "ratelimit"


def test_max_wait_refuses_only_waits_longer_than_itself(tmp_path):
    clock = FakeTime()
    limiter = RateLimiter(FileStore(tmp_path), rate=1, margin=0.08, clock=clock, sleep=clock.sleep)
    assert limiter.wait("acct", max_wait=0.5) == 0  # idle: at once, whatever the max_wait
    assert limiter.wait("acct", max_wait=1.05) is None  # 1.08 s away
    assert limiter.wait("acct", max_wait=1.1) == pytest.approx(1.08)


def test_the_wait_is_never_negative_on_a_clock_that_moves(tmp_path):
    ticks = iter(range(1_800_000_000, 1_800_001_000))

    def moving() -> float:
        return next(ticks) / 2  # half a second later at every reading

    def sleep(seconds: float) -> None:
        assert 0 <= seconds < 10, f"asked to sleep {seconds} s"  # time.sleep refuses < 0

    limiter = RateLimiter(FileStore(tmp_path), rate=5, margin=0, clock=moving, sleep=sleep)
    assert limiter.wait("acct") == 0.0  # its start is already past when it returns


class RecordingCache(LocMemCache):
    timeouts: list[float] = []

    def set(self, key, value, timeout=None, **kwargs):
        if key.endswith(":starts"):
            RecordingCache.timeouts.append(timeout)
        return super().set(key, value, timeout, **kwargs)


def test_the_cache_keeps_the_starts_longer_than_the_window(settings, tmp_path):
    use_cache(settings, RecordingCache, tmp_path)
    RecordingCache.timeouts.clear()
    clock = FakeTime()
    limiter = RateLimiter(
        CacheStore("ratelimit"), rate=5, margin=0.08, clock=clock, sleep=clock.sleep
    )
    for _ in range(7):
        limiter.wait("acct")
    assert len(RecordingCache.timeouts) == 7
    assert all(timeout >= 1.08 for timeout in RecordingCache.timeouts)
