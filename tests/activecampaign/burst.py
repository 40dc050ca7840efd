"""Run by test_ratelimit as a separate process: N GETs through the client once stdin says go.

Usage: burst.py <api_url> <count>, with the token in BURST_API_TOKEN and the limiter's
store in the ACDASH_RATE_LIMIT_* environment variables (read by acdash.settings).
"""

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
    django.setup()
    from acdash.activecampaign import Client

    api_url, count = sys.argv[1], int(sys.argv[2])
    client = Client(api_url, os.environ["BURST_API_TOKEN"])
    print("ready", flush=True)
    sys.stdin.readline()  # the barrier: every process starts sending at once
    for _ in range(count):
        client.get("/contacts", {"limit": 1})
    print("done", flush=True)


if __name__ == "__main__":
    main()
