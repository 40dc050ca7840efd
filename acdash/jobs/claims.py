"""One job shared by several runners (tasks on any workers): who holds which items.

A runner claims a batch of the job's pending, unclaimed items at a time, atomically
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the IMMEDIATE transaction
the settings ask for already holds the database's write lock), recording its name and the
time on each item (the claim's lease, renewed while it works). A runner only reads and
writes the items it holds, so no two runners ever work on one item; check-then-act (see
loop.py) keeps a write at most once when a runner dies holding claims and another takes
them over. The job is finished by ``settle``, under the job's row lock, by the last
runner to find nothing left: exactly once.

How many runners a job gets: one per live worker (the heartbeat rows, acdash/health), at
most ``MAX_RUNNERS``, at most one per ``unit`` items; each claims its fair share of what is
pending, in whole units (an import's 250 contacts on the bulk path) and at most a read
batch. A job on one worker is therefore claimed in read batches, as if never shared.
"""

import os
import socket
from datetime import datetime, timedelta
from math import ceil

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from acdash.activecampaign.bulk_import import MAX_CONTACTS
from acdash.health.heartbeat import stale_after
from acdash.health.models import WorkerBeat

from .engine import BULK, BULK_BATCH, CANCELLED, READ_BATCH
from .models import Job, JobItem

MAX_RUNNERS = 4
PER_RECORD_UNIT = 10  # a runner per 10 items at most (its share is read in one call)
LEASE = timedelta(minutes=5)  # a runner elsewhere that renewed nothing for this long is gone
RENEW_EVERY = 30.0  # seconds between a working runner's lease renewals

State = JobItem.State


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def gone(runner: str, seen_at: datetime | None) -> bool:
    """Whether the runner ("host:pid") is gone: on this host, its process no longer exists;
    elsewhere, it has shown no sign of life (``seen_at``) for ``LEASE``."""
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname():
        return seen_at is None or seen_at < timezone.now() - LEASE
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def lanes() -> int:
    """Workers alive now (a beat within the stale window, and not a dead process here)."""
    fresh = WorkerBeat.objects.filter(beat_at__gte=timezone.now() - stale_after())
    alive = [b for b in fresh.only("name", "beat_at") if not gone(b.name, b.beat_at)]
    return max(1, min(MAX_RUNNERS, len(alive)))


def unit(bulky: bool) -> int:
    return MAX_CONTACTS if bulky else PER_RECORD_UNIT


def runners_for(job: Job, bulky: bool) -> int:
    """How many runners the job's pending items are worth, at most one per live worker."""
    pending = job.items.filter(state=State.PENDING).count()
    return max(1, min(lanes(), ceil(pending / unit(bulky))))


def share(job: Job, bulky: bool) -> int:
    """How many items to claim next: a fair share of what is pending, in whole units."""
    pending = job.items.filter(state=State.PENDING).count()
    step, most = unit(bulky), BULK_BATCH if bulky else READ_BATCH
    fair = ceil(ceil(pending / lanes()) / step) * step
    return max(step, min(most, fair))


def claim(job: Job, runner: str, size: int) -> list[JobItem]:
    """Up to ``size`` pending items no runner holds, in order, now held by ``runner``."""
    with transaction.atomic():
        free = JobItem.objects.select_for_update(skip_locked=True).filter(
            job=job, state=State.PENDING, runner=""
        )
        pks = list(free.order_by("position").values_list("pk", flat=True)[:size])
        JobItem.objects.filter(pk__in=pks).update(runner=runner, claimed_at=timezone.now())
    return list(JobItem.objects.filter(pk__in=pks).order_by("position"))


def renew(job: Job, runner: str) -> None:
    job.items.filter(state=State.PENDING, runner=runner).update(claimed_at=timezone.now())


def release(job: Job, runner: str) -> None:
    """The runner's pending items back to the pool (it stops: cancelled, failed, done)."""
    job.items.filter(state=State.PENDING, runner=runner).update(runner="", claimed_at=None)


def release_dead(job: Job) -> int:
    """Release the claims of runners that are gone; how many items."""
    held = job.items.filter(state=State.PENDING).exclude(runner="")
    released = 0
    for runner, seen_at in _holders(held):
        if gone(runner, seen_at):
            released += held.filter(runner=runner).update(runner="", claimed_at=None)
    return released


def claimable(job: Job) -> bool:
    return job.items.filter(state=State.PENDING, runner="").exists()


def working(job: Job) -> bool:
    """Whether a live runner holds some of the job's pending items."""
    held = job.items.filter(state=State.PENDING).exclude(runner="")
    return any(not gone(runner, seen_at) for runner, seen_at in _holders(held))


def _holders(held) -> list[tuple[str, datetime | None]]:
    """Each runner holding some of ``held``, with its latest lease."""
    latest = held.values("runner").annotate(seen=Max("claimed_at"))
    return list(latest.values_list("runner", "seen"))


def settle(job: Job) -> None:
    """Finish the job when no item is pending any more (once: under the job's row lock). A
    cancelled job's items no runner holds are skipped first; those still held finish with
    their runner, which settles again."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.finished:
            return
        now = timezone.now()
        if locked.cancel_requested:
            job.items.filter(state=State.PENDING, runner="").update(
                state=State.SKIPPED, reason=CANCELLED, finished_at=now
            )
        if job.items.filter(state=State.PENDING).exists():
            return
        job.recount()
        state = Job.State.CANCELLED if locked.cancel_requested else Job.State.DONE
        finish(job, state)


def finish(job: Job, state: str, error: str = "") -> bool:
    """End the job unless it has ended already; whether this call ended it."""
    now = timezone.now()
    ended = (
        Job.objects.filter(pk=job.pk)
        .exclude(state__in=Job.FINISHED)
        .update(state=state, error=error[:500], finished_at=now, heartbeat_at=now)
    )
    if ended:
        job.state = state
    return bool(ended)


def is_bulky(job: Job, kind) -> bool:
    """The path was chosen when the job started (the kind's bulk path, or per record)."""
    return job.path == BULK and callable(getattr(kind, "write_many", None))
