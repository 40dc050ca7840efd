"""Settings of the ActiveCampaign client, each ``ACTIVECAMPAIGN_<NAME>`` in Django settings."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CONNECT_TIMEOUT": 3.05,  # seconds to open a connection
    "READ_TIMEOUT": 30.0,  # seconds to wait for the answer (background work)
    # One API time budget per web request, across all its calls, waits and retries: a
    # hung API fails the page with "ActiveCampaign is not answering" instead of holding it.
    # Work outside a web request (jobs, commands) has no budget and keeps the full policy.
    "INTERACTIVE_DEADLINE": 8.0,
    "POOL_SIZE": 10,  # pooled connections per account
    "MAX_ATTEMPTS": 4,  # tries per request, the first included
    "BACKOFF_BASE": 0.5,  # wait before the first retry; doubles each retry, with jitter
    "BACKOFF_MAX": 8.0,
    "RETRY_AFTER_MAX": 60.0,  # a longer Retry-After fails at once with RateLimited
    "RATE_LIMIT": 5,  # requests per ActiveCampaign account in any one-second window
    # At most RATE_LIMIT starts in any (1 + margin) s sliding window: a request that reaches
    # the API up to `margin` seconds late (arrival jitter) still never makes a sixth arrival
    # within one second of the fifth-last. 0.08 keeps 92.6% of the budget.
    "RATE_LIMIT_MARGIN": 0.08,
    # Where the limiter keeps each account's recent starts, shared by every process: a Django
    # cache alias with atomic add() (Redis on many machines), or else lock files here.
    "RATE_LIMIT_CACHE": "",
    "RATE_LIMIT_DIR": str(Path(tempfile.gettempdir()) / "acdash-ratelimit"),
    "MAX_ITEMS": 10_000,  # hard cap of the iterate-everything helpers
    "METADATA_TTL": 300,  # seconds fields, pipelines, tags… stay cached (writes invalidate)
    "LABEL_TTL": 300,  # seconds contacts' names and deals' titles stay cached (labels.py)
}


def setting(name: str) -> Any:
    return getattr(settings, f"ACTIVECAMPAIGN_{name}", DEFAULTS[name])
