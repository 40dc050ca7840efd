"""The shared rate limiter: its sliding window, and the sandbox's verdict on threads and
processes."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from acdash.activecampaign import Client
from acdash.activecampaign.ratelimit import CacheStore, FileStore, RateLimiter
from acdash.sandbox import faults

from .burst import Recorded

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
MARGIN = 0.08
WINDOW = 1 + MARGIN


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(params=["file", "cache"])
def make_store(request, tmp_path, settings):
    """A factory of stores that share one account's starts, as two processes' stores would."""
    if request.param == "file":
        return lambda: FileStore(tmp_path)
    settings.CACHES = {"default": LOCMEM, "ratelimit": {**LOCMEM, "LOCATION": str(tmp_path)}}
    return lambda: CacheStore("ratelimit")


def most_in_any_window(starts: list[float], window: float = WINDOW) -> int:
    """The most starts in any half-open interval of ``window`` seconds (to a microsecond:
    epoch floats carry about that much)."""
    starts = sorted(starts)
    return max(sum(1 for t in starts[i:] if t - s < window - 1e-6) for i, s in enumerate(starts))


def test_an_idle_account_starts_five_at_once_and_the_sixth_waits_for_the_window(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=MARGIN, clock=clock, sleep=clock.sleep)
    assert [limiter.wait("acct") for _ in range(5)] == [0] * 5
    assert limiter.wait("acct") == pytest.approx(WINDOW)


def test_sequential_calls_never_put_six_starts_in_a_window_and_use_over_90_percent(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=MARGIN, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(100):
        limiter.wait("acct")
        starts.append(clock.now)
        clock.sleep(0.03)  # the call itself
    assert most_in_any_window(starts) == 5
    rate = len(starts) / (clock.now - starts[0])
    assert 0.9 * 5 <= rate < 5


def test_the_window_slides_and_accounts_are_independent(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=MARGIN, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.wait("a")
    clock.sleep(0.5)
    limiter.wait("a")
    limiter.wait("a")
    assert limiter.wait("b") == 0  # another account's budget is its own
    # The window holds 3 starts from 0.5 s ago and 2 from now: the sixth waits until the
    # three oldest leave it, which lets two more start at once; the ninth waits for the next.
    assert limiter.wait("a") == pytest.approx(WINDOW - 0.5)
    assert limiter.wait("a") == 0
    assert limiter.wait("a") == 0
    assert limiter.wait("a") == pytest.approx(0.5)
    clock.sleep(10)
    assert [limiter.wait("a") for _ in range(5)] == [0] * 5


def test_a_wait_longer_than_max_wait_is_refused_and_takes_no_start(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=MARGIN, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.wait("acct")
    assert limiter.wait("acct", max_wait=0.5) is None
    assert clock.now == 1_800_000_000.0  # refused at once
    assert limiter.wait("acct", max_wait=2) == pytest.approx(WINDOW)  # not pushed back


def test_stores_sharing_an_account_interleave_within_the_window(make_store):
    clock = FakeTime()  # frozen: once five are taken, each start queues behind the window
    first, second = make_store(), make_store()
    starts = [s.reserve("acct", 5, WINDOW, clock) for _ in range(5) for s in (first, second)]
    assert starts == [clock.now] * 5 + [clock.now + WINDOW] * 5


def served(log: dict) -> int:
    return sum(1 for e in log["recent"] if e["status"] == 200)


def assert_limited(starts: list[tuple[float, bool]], log: dict, count: int) -> None:
    """Five started at once, never six in a window, and every call was served.

    Not asserted: that the sandbox refused nothing. It judges arrivals, and on a starved
    machine (load 6 on 2 cores) a request can reach it later than the margin allows; the
    client then retries after Retry-After. Bench P3 counts 429s where that is measured.
    """
    starts = sorted(starts)
    assert len(starts) >= count  # a retry takes a start too
    assert [at_once for _, at_once in starts[:6]] == [True] * 5 + [False]
    assert most_in_any_window([start for start, _ in starts]) == 5
    assert served(log) == count


@pytest.fixture
def limited(sandbox):
    """The sandbox account at the real limit, its server warmed up: a cold server's first
    answers take 100 ms or more, arrival jitter beyond any margin the network needs."""
    sandbox.account.rate_limit = 5
    sandbox.account.save()
    assert sandbox.get("/contacts").status_code == 200
    faults.reset(sandbox.account.slug)
    return sandbox


def test_threads_sharing_a_store_start_five_at_once_then_keep_the_window(limited, make_store):
    store = Recorded(make_store())

    def burst(_: int) -> None:  # 12 calls: the burst of five, then two more windows
        limiter = RateLimiter(store, margin=MARGIN)
        client = Client(limited.api_url, limited.account.api_token, limiter=limiter)
        for _ in range(4):
            client.get("/contacts", {"limit": 1})

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(burst, range(3)))
    assert_limited(store.starts, limited.log(), 12)


def test_two_processes_start_five_at_once_then_keep_the_window(limited, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acdash.settings",
        "ACDASH_RATE_LIMIT_DIR": str(tmp_path),  # the default store: lock files, one machine
        "ACDASH_RATE_LIMIT_CACHE": "",
        "BURST_API_TOKEN": limited.account.api_token,
    }
    script = Path(__file__).with_name("burst.py")
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), limited.api_url, "6"],  # 12: two windows past the burst
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    starts: list[tuple[float, bool]] = []
    try:
        for process in processes:
            assert process.stdout.readline() == "ready\n", process.stderr.read()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            mine = [tuple(start) for start in json.loads(out)]
            assert len(mine) == 6
            starts += mine
    finally:
        for process in processes:
            process.kill()
    assert_limited(starts, limited.log(), 12)
