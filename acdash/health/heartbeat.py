"""The task workers' heartbeat, kept in the shared cache (Redis when scaled out).

A worker calls ``record_worker_heartbeat()`` every few seconds while it runs; ``/healthz``
reports the workers as "ok" while the newest beat is fresh, "stale" once it is older than
``HEARTBEAT_STALE_SECONDS``, and "unknown" while no worker has ever written one.
"""

import time

from django.core.cache import cache

KEY = "acdash:worker-heartbeat"
HEARTBEAT_STALE_SECONDS = 60
# Kept well past "stale", so a stopped worker shows as stale before it shows as unknown.
_KEPT_SECONDS = 24 * 3600


def record_worker_heartbeat() -> None:
    """Note that a task worker is alive now (any worker on any host)."""
    cache.set(KEY, time.time(), _KEPT_SECONDS)


def worker_state() -> str:
    beat = cache.get(KEY)
    if beat is None:
        return "unknown"
    return "ok" if time.time() - beat <= HEARTBEAT_STALE_SECONDS else "stale"
