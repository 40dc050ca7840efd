"""Run by test_ratelimit as a separate process: N GETs through the client once stdin says go,
then the limiter's reservations as JSON.

Usage: burst.py <api_url> <count>, with the token in BURST_API_TOKEN and the limiter's
store in the ACDASH_RATE_LIMIT_* environment variables (read by acdash.settings).
"""

import json
import os
import sys
from typing import Any

import django


class Recorded:
    """A limiter store that remembers each start it hands out, and whether that start was
    at once (no wait) — the limiter's own decisions, free of scheduling noise."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.starts: list[tuple[float, bool]] = []

    def reserve(self, key, limit, window, clock, max_wait=None):
        start = self.store.reserve(key, limit, window, clock, max_wait)
        if start is not None:
            # An immediate start is the store's reading of the clock, so never later than now.
            self.starts.append((start, start <= clock()))
        return start


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
    django.setup()
    from acdash.activecampaign import Client
    from acdash.activecampaign.ratelimit import RateLimiter, default_limiter

    api_url, count = sys.argv[1], int(sys.argv[2])
    store = Recorded(default_limiter().store)
    client = Client(api_url, os.environ["BURST_API_TOKEN"], limiter=RateLimiter(store))
    print("ready", flush=True)
    sys.stdin.readline()  # the barrier: every process starts sending at once
    for _ in range(count):
        client.get("/contacts", {"limit": 1})
    print(json.dumps(store.starts), flush=True)


if __name__ == "__main__":
    main()
