"""The limiter's shared windows on a real Redis: one script a start (``ratelimit.RESERVE``),
held to the same rules as the lock-file and cache stores (the store tests of
tests/activecampaign/test_ratelimit.py, run here on Redis), and atomic between threads."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings

from acdash.activecampaign.ratelimit import CacheStore
from tests.activecampaign.test_ratelimit import (  # noqa: F401 (run here on Redis)
    WINDOW,
    most_in_any_window,
    test_a_wait_longer_than_max_wait_is_refused_and_takes_no_start,
    test_an_idle_account_starts_five_at_once_and_the_sixth_waits_for_the_window,
    test_sequential_calls_never_put_six_starts_in_a_window_and_use_over_90_percent,
    test_stores_sharing_an_account_interleave_within_the_window,
    test_the_window_slides_and_accounts_are_independent,
)

pytestmark = pytest.mark.scaleout


@pytest.fixture
def make_store(settings):
    """Stores on the shared Redis cache, under a key prefix of this test's own (the store
    tests' fake clocks all start at the same moment)."""
    redis = {**django_settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
    assert "Redis" in redis["BACKEND"]
    settings.CACHES = {**django_settings.CACHES, "ratelimit": redis}
    return lambda: CacheStore("ratelimit")


def test_threads_reserving_at_once_never_put_six_starts_in_a_window(make_store):
    store = make_store()

    def reserve(_: int) -> float:
        return store.reserve("acct", 5, WINDOW, time.time)

    with ThreadPoolExecutor(8) as pool:
        starts = list(pool.map(reserve, range(40)))
    assert most_in_any_window(starts) == 5
    # Eight windows' worth, each one taken in turn: nothing lost to a race.
    assert max(starts) - min(starts) >= 7 * WINDOW - 0.5
