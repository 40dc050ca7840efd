"""``/healthz``: is this web process able to serve? For load balancers and monitoring.

No log-in, no secrets, nothing but three states and a count: the database (one
``SELECT 1``), the cache (a write and a read) and the task workers (their heartbeat rows in
the database, see heartbeat.py: "ok" with how many are live, "stale", "unknown"). 503 when
the database or the cache fails, since no page can be served then; a worker that is late
only shows as such.
"""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .heartbeat import worker_state


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error"
    return "ok"


def _cache() -> str:
    probe = uuid.uuid4().hex
    try:
        cache.set("acdash:healthz", probe, 30)
        return "ok" if cache.get("acdash:healthz") == probe else "error"
    except Exception:  # a cache backend raises its own errors (redis.ConnectionError …)
        return "error"


def _workers() -> tuple[str, int]:
    try:
        return worker_state()
    except DatabaseError:
        return "unknown", 0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    workers = _workers() if checks["database"] == "ok" else ("unknown", 0)
    checks["worker"], checks["workers"] = workers
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    body = {"status": "ok" if healthy else "error", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
