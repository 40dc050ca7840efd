"""The shared rate limiter: its schedule, and the sandbox's verdict on threads and processes."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from acdash.activecampaign import Client
from acdash.activecampaign.ratelimit import CacheStore, FileStore, RateLimiter

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


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
    """A factory of stores that share one schedule, as two processes' stores would."""
    if request.param == "file":
        return lambda: FileStore(tmp_path)
    settings.CACHES = {"default": LOCMEM, "ratelimit": {**LOCMEM, "LOCATION": str(tmp_path)}}
    return lambda: CacheStore("ratelimit")


def test_requests_are_spaced_evenly_using_over_90_percent_of_the_budget(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=0.08, clock=clock, sleep=clock.sleep)
    started = clock.now
    assert limiter.wait("acct") == 0  # an idle account starts at once
    for _ in range(49):
        assert limiter.wait("acct") == pytest.approx(0.216)
    rate = 49 / (clock.now - started)
    assert 0.9 * 5 <= rate < 5


def test_an_idle_account_starts_at_once_and_accounts_are_independent(make_store):
    clock = FakeTime()
    limiter = RateLimiter(make_store(), rate=5, margin=0, clock=clock, sleep=clock.sleep)
    limiter.wait("a")
    assert limiter.wait("b") == 0
    assert limiter.wait("a") == pytest.approx(0.2)
    clock.sleep(10)
    assert limiter.wait("a") == 0


def test_stores_sharing_a_schedule_interleave_without_overlap(make_store):
    clock = FakeTime()  # frozen: every reservation queues behind the previous ones
    first, second = make_store(), make_store()
    starts = [store.reserve("acct", 0.25, clock) for _ in range(5) for store in (first, second)]
    assert starts == [clock.now + 0.25 * i for i in range(10)]


def arrivals(log: dict) -> list[float]:
    """When each accepted request reached the sandbox (``at`` is when it was answered)."""
    entries = [e for e in log["recent"] if e["status"] == 200]
    return sorted(e["at"] - e["duration_ms"] / 1000 for e in entries)


def busiest_second(times: list[float]) -> int:
    return max(sum(1 for t in times[i:] if t - start < 1) for i, start in enumerate(times))


@pytest.fixture
def limited(sandbox):
    sandbox.account.rate_limit = 5
    sandbox.account.save()
    return sandbox


@pytest.mark.serial
def test_threads_sharing_a_store_stay_within_5_per_second(limited, make_store):
    store = make_store()

    def burst(_: int) -> None:
        client = Client(
            limited.api_url, limited.account.api_token, limiter=RateLimiter(store, rate=5)
        )
        for _ in range(6):
            client.get("/contacts", {"limit": 1})

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(burst, range(3)))
    log = limited.log()
    assert "429" not in log["by_status"]
    times = arrivals(log)
    assert len(times) == 18
    assert busiest_second(times) <= 5


@pytest.mark.serial
def test_two_processes_stay_within_5_per_second(limited, tmp_path):
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
            [sys.executable, str(script), limited.api_url, "15"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout.readline() == "ready\n", process.stderr.read()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0 and out == "done\n", err
    finally:
        for process in processes:
            process.kill()
    log = limited.log()
    assert "429" not in log["by_status"]
    times = arrivals(log)
    assert len(times) == 30
    assert busiest_second(times) <= 5
    # Both processes were sending at once, so the limiter (not the start-up) spaced them.
    assert times[-1] - times[0] >= (30 - 5) / 5
