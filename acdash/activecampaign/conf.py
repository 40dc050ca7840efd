"""Settings of the ActiveCampaign client, each ``ACTIVECAMPAIGN_<NAME>`` in Django settings."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CONNECT_TIMEOUT": 3.05,  # seconds to open a connection
    "READ_TIMEOUT": 30.0,  # seconds to wait for the answer
    "POOL_SIZE": 10,  # pooled connections per account
    "MAX_ATTEMPTS": 4,  # tries per request, the first included
    "BACKOFF_BASE": 0.5,  # wait before the first retry; doubles each retry, with jitter
    "BACKOFF_MAX": 8.0,
    "RETRY_AFTER_MAX": 60.0,  # a longer Retry-After fails at once with RateLimited
    "RATE_LIMIT": 5.0,  # requests per second per ActiveCampaign account
    # Requests are spaced (1 + margin) / rate apart: a request that reaches the API up to
    # `margin` seconds late still never puts 6 arrivals in one second. 0.08 uses 92.6%.
    "RATE_LIMIT_MARGIN": 0.08,
    # Where the limiter keeps each account's schedule, shared by every process: a Django
    # cache alias with atomic add() (Redis on many machines), or else lock files here.
    "RATE_LIMIT_CACHE": "",
    "RATE_LIMIT_DIR": str(Path(tempfile.gettempdir()) / "acdash-ratelimit"),
    "MAX_ITEMS": 10_000,  # hard cap of the iterate-everything helpers
    "METADATA_TTL": 300,  # seconds fields, pipelines, tags… stay cached (writes invalidate)
}


def setting(name: str) -> Any:
    return getattr(settings, f"ACTIVECAMPAIGN_{name}", DEFAULTS[name])
