"""The task workers' heartbeat, in the database: every web process and worker sees it.

Each wrapped worker command (``db_worker``, ``rqworker``) runs inside ``Heartbeat``: its row
("host:pid", backend, started, last beat) is written at start, then every
``WORKER_HEARTBEAT_SECONDS`` by a background thread, and deleted on a clean exit. A worker
killed outright leaves its row to age. ``/healthz`` reports "ok" with the number of workers
whose beat is at most ``WORKER_HEARTBEAT_STALE_SECONDS`` old, "stale" when rows exist but
none is that fresh, "unknown" when there are none. The job engine counts the fresh rows
too, to share a job between that many runners (acdash/jobs/claims.py).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerBeat

logger = logging.getLogger("acdash.health")

KEPT = timedelta(days=1)  # rows of workers killed long ago are dropped when one starts


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)


def live_workers() -> int:
    return WorkerBeat.objects.filter(beat_at__gte=timezone.now() - stale_after()).count()


def worker_state() -> tuple[str, int]:
    """("ok", live workers), ("stale", 0) or ("unknown", 0)."""
    live = live_workers()
    if live:
        return "ok", live
    return ("stale" if WorkerBeat.objects.exists() else "unknown"), 0


class Heartbeat:
    """``with Heartbeat("db_worker default"): run the worker``."""

    def __init__(self, backend: str) -> None:
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.backend = backend[:120]
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.keep_beating, name="acdash-heartbeat")
        self.thread.daemon = True

    def __enter__(self) -> "Heartbeat":
        WorkerBeat.objects.filter(beat_at__lt=timezone.now() - KEPT).delete()
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join()
        WorkerBeat.objects.filter(name=self.name).delete()

    def beat(self) -> None:
        WorkerBeat.objects.update_or_create(
            name=self.name,
            defaults={"beat_at": timezone.now(), "backend": self.backend},
            create_defaults={
                "beat_at": timezone.now(),
                "backend": self.backend,
                "started_at": self.started_at,
            },
        )

    def keep_beating(self) -> None:
        every = settings.WORKER_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(every):
                try:
                    self.beat()
                except DatabaseError:  # the database away for a moment: beat again later
                    logger.warning("worker heartbeat not written", exc_info=True)
        finally:
            connection.close()  # this thread's own connection
