"""The item loop of a job (see tasks.run_job): read, compare, write, save, item by item.

Check-then-act keeps every item applied at most once across crashes: an item's before-values
are saved before its write is sent, and a batch is always read again before it is written.
An item that already holds its target and has saved before-values was written by a worker
that died before saving the outcome: it is marked done without a second write.

One coordinating thread does all database work; a pool of writer threads makes the API
calls, each waiting its turn at the account's limiter (shared by every job and process on
the account), so the budget is spent with no idle gaps: the next batch is read while the
current one is still being written.
"""

import heapq
import logging
import os
import random
import socket
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from django.db import connections
from django.db.models import F
from django.utils import timezone

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import Client
from acdash.activecampaign.conf import setting
from acdash.activecampaign.errors import ApiError, NotFound, RateLimited, Unavailable
from acdash.activecampaign.errors import ValidationError as ApiValidationError
from acdash.audit.log import record as audit

from .contract import KINDS, Kind, Record, Selection, Target, bulk_path
from .engine import BULK, BULK_BATCH, GONE, READ_BATCH, compare, held, store_items
from .models import Job, JobItem

logger = logging.getLogger("acdash.jobs")

MAX_ATTEMPTS = 5  # per item, the first included (each attempt's calls retry on their own too)
WRITERS = 8  # concurrent writes: enough to hide each call's latency behind the limiter
BULK_WRITERS = 4  # concurrent bulk calls (each submits, then polls until applied)
RETRYABLE = (Unavailable, RateLimited)  # DeadlineExceeded is an Unavailable

CANCELLED = "the job was cancelled before it got here"

State = JobItem.State


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempt: int) -> float:
    """The client's policy (ACTIVECAMPAIGN_BACKOFF_*): exponential, with equal jitter."""
    ceiling = min(setting("BACKOFF_MAX"), setting("BACKOFF_BASE") * 2 ** (attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def run(job_id: int) -> None:
    """Run the job's pending items until none is left or a cancel is asked for."""
    job = claim(job_id)
    if job is None:
        return
    try:
        client = client_for_account(job.account)
        kind = KINDS[job.kind]
        if job.selection is not None and not job.items.exists():
            expand(job, client, kind)
        Loop(job, client, kind).run()
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        finish(job, Job.State.FAILED, error=str(getattr(exc, "message", exc)) or repr(exc))
        raise


def claim(job_id: int) -> Job | None:
    """Mark the job running in this process; None when it is finished (or gone)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state__in=[Job.State.QUEUED, Job.State.RUNNING])
    if not claimed.update(state=Job.State.RUNNING, runner=runner_name(), heartbeat_at=now):
        return None
    Job.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    job = Job.objects.select_related("account", "created_by").get(pk=job_id)
    job.recount()
    return job


def expand(job: Job, client: Client, kind: Kind) -> None:
    """Store the items of a selection job once, retrying the listing like an item."""
    selection = Selection(**{**job.selection, "ids": tuple(job.selection.get("ids", ()))})
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            ids = list(dict.fromkeys(str(i) for i in kind.expand(client, selection)))
            break
        except RETRYABLE:
            if attempt == MAX_ATTEMPTS:
                raise
            time.sleep(backoff(attempt))
    store_items(job, dict.fromkeys(ids), {})


def finish(job: Job, state: str, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, error=error[:500], finished_at=timezone.now(), heartbeat_at=timezone.now()
    )
    job.state = state


def _in_thread(call, *args) -> Any:
    try:
        return call(*args)
    finally:
        connections.close_all()  # kinds may touch the ORM (metadata cache): don't leak


class Loop:
    def __init__(self, job: Job, client: Client, kind: Kind) -> None:
        self.job = job
        self.client = client
        self.kind = kind
        # The path was chosen when the job started (the kind's bulk path, or per record).
        bulky = job.path == BULK and callable(getattr(kind, "write_many", None))
        self.bulky = bulky
        self.batch = BULK_BATCH if bulky else READ_BATCH
        self.most_writes = BULK_WRITERS if bulky else WRITERS
        self.cursor = -1  # the last position taken from the database
        self.exhausted = False
        self.retries: list[tuple[float, int, JobItem]] = []  # (due, position, item)
        self.reads: dict[Future, list[JobItem]] = {}
        self.writes: dict[Future, list[JobItem]] = {}
        self.bulk_writes: set[Future] = set()
        self.records: dict[int, Record] = {}  # item pk -> the record as read before its write
        self.stopping = False

    def target(self, item: JobItem) -> Target:
        return item.target if item.target is not None else self.job.target

    def keys(self, item: JobItem) -> list[str]:
        return [*self.target(item), *(item.expect or {})]

    def values(self, item: JobItem, record: Record | None) -> dict[str, Any] | None:
        """The record's values of the item's own keys (what its before-values are)."""
        if record is None:
            return None
        return {key: record.values.get(key) for key in self.keys(item)}

    def run(self) -> None:
        with ThreadPoolExecutor(WRITERS + 1, thread_name_prefix="acdash-job") as self.pool:
            while True:
                if not self.stopping and self.cancel_requested():
                    self.stop()
                if not self.stopping and not self.reads and len(self.writes) < self.most_writes:
                    self.read_next()
                running = [*self.reads, *self.writes]
                if not running:
                    if self.stopping or (self.exhausted and not self.retries):
                        break
                    time.sleep(max(0.0, self.retries[0][0] - time.monotonic()))
                    continue
                due = self.retries[0][0] - time.monotonic() if self.retries else None
                timeout = None if due is None else max(0.05, due)
                finished, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in finished:
                    if future in self.reads:
                        self.after_read(future, self.reads.pop(future))
                    else:
                        self.after_write(future, self.writes.pop(future))
        if self.stopping:
            # Every item gets an outcome (and "retry failed" stays about failures only).
            self.job.items.filter(state=State.PENDING).update(
                state=State.SKIPPED, reason=CANCELLED, finished_at=timezone.now()
            )
            self.job.recount()
        finish(self.job, Job.State.CANCELLED if self.stopping else Job.State.DONE)

    def cancel_requested(self) -> bool:
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def stop(self) -> None:
        """Cancel: writes already sent finish and are saved; the rest are never sent."""
        self.stopping = True
        for future in list(self.writes):
            if future.cancel():
                del self.writes[future]
                self.bulk_writes.discard(future)

    def read_next(self) -> None:
        """Read the next batch (due retries first) on the pool; the coordinator goes on."""
        batch: list[JobItem] = []
        now = time.monotonic()
        while self.retries and self.retries[0][0] <= now and len(batch) < self.batch:
            batch.append(heapq.heappop(self.retries)[2])
        if len(batch) < self.batch and not self.exhausted:
            fresh = list(
                self.job.items.filter(state=State.PENDING, position__gt=self.cursor).order_by(
                    "position"
                )[: self.batch - len(batch)]
            )
            self.exhausted = len(fresh) < self.batch - len(batch)
            if fresh:
                self.cursor = fresh[-1].position
            batch += fresh
        if not batch:
            return
        keys = {k for item in batch for k in self.keys(item)}
        if self.bulky:
            keys |= getattr(self.kind, "bulk_read_keys", frozenset())
        ids = [item.object_id for item in batch]
        self.reads[self.pool.submit(_in_thread, self.kind.read, self.client, ids, keys)] = batch

    def after_read(self, future: Future, batch: list[JobItem]) -> None:
        if self.stopping:
            return  # cancelled while reading: the batch stays pending
        try:
            current: dict[str, Record] = future.result()
        except ApiError as exc:
            for item in batch:
                self.failed_attempt(item, exc)
            return
        to_write: list[JobItem] = []
        for item in batch:
            record = current.get(item.object_id)
            if record is not None:
                item.label = record.label[:300]
            target = self.target(item)
            if item.before is not None and self.applied(record, target):
                # A write sent by a worker that died before saving it: done, not written again.
                self.complete(item, State.DONE, after=self.values(item, record) or target)
                continue
            reason = compare(self.client, self.kind, record, target, item.expect)
            if reason:
                self.complete(item, State.SKIPPED, reason=reason, before=self.values(item, record))
                continue
            if item.before is None:  # a retry keeps what the record held before any attempt
                item.before = self.values(item, record)
            self.records[item.pk] = record
            to_write.append(item)
        # Write-ahead: the before-values are stored before any write is sent.
        JobItem.objects.bulk_update(to_write, ["before", "label"])
        self.submit(to_write)

    @staticmethod
    def applied(record: Record | None, target: Target) -> bool:
        if record is None:
            return target.get("exists") is False
        return held(record, target)

    def submit(self, items: list[JobItem]) -> None:
        """Items the kind's bulk path can apply go in one bulk call; the rest one by one."""
        bulk = [i for i in items if self.bulky and bulk_path(self.kind, self.target(i))]
        if bulk:
            pairs = [(self.records[item.pk], self.target(item)) for item in bulk]
            call = self.pool.submit(_in_thread, self.kind.write_many, self.client, pairs)
            self.writes[call] = bulk
            self.bulk_writes.add(call)
        for item in items:
            if item in bulk:
                continue
            record = self.records[item.pk]
            call = self.pool.submit(
                _in_thread, self.kind.write, self.client, record, self.target(item)
            )
            self.writes[call] = [item]

    def after_write(self, future: Future, items: list[JobItem]) -> None:
        bulk = future in self.bulk_writes
        self.bulk_writes.discard(future)
        try:
            result = future.result()
        except Exception as exc:
            for item in items:
                self.outcome(item, exc)
            return
        if not bulk:
            self.outcome(items[0], result)
            return
        for item in items:
            # The bulk answer: None applied, a reason failed, absent no longer exists.
            if item.object_id not in result:
                self.outcome(item, NotFound(GONE))
            elif result[item.object_id] is None:
                self.outcome(item, self.target(item))
            else:
                self.outcome(item, ApiValidationError(result[item.object_id], field_errors={}))

    def outcome(self, item: JobItem, result: Target | BaseException) -> None:
        self.records.pop(item.pk, None)
        if isinstance(result, NotFound):
            self.complete(item, State.SKIPPED, reason=GONE)
        elif isinstance(result, RETRYABLE):
            self.failed_attempt(item, result)
        elif isinstance(result, ApiValidationError | ApiError):
            self.complete(item, State.FAILED, reason=result.message)
        elif isinstance(result, BaseException):
            # Not the API's answer (e.g. the database busy under load): tried again like an
            # unavailable API, bounded, after a re-read, so nothing is applied twice.
            logger.error("job %s item %s", self.job.pk, item.object_id, exc_info=result)
            self.failed_attempt(item, ApiError(f"{type(result).__name__}: {result}"))
        else:
            self.complete(item, State.DONE, after=result)

    def failed_attempt(self, item: JobItem, error: ApiError) -> None:
        """Retry later (re-read first: the write may have been applied), or fail for good."""
        item.attempts += 1
        if item.attempts >= MAX_ATTEMPTS:
            reason = f"gave up after {item.attempts} attempts: {error.message}"
            self.complete(item, State.FAILED, reason=reason)
            return
        JobItem.objects.filter(pk=item.pk).update(attempts=item.attempts)
        due = time.monotonic() + backoff(item.attempts)
        heapq.heappush(self.retries, (due, item.position, item))

    def complete(
        self,
        item: JobItem,
        state: str,
        *,
        reason: str = "",
        before: Any = None,
        after: Any = None,
    ) -> None:
        item.state = state
        item.reason = reason[:500]
        if before is not None:
            item.before = before
        item.after = after
        item.finished_at = timezone.now()
        item.save(update_fields=["state", "reason", "before", "after", "label", "finished_at"])
        if state == State.DONE:
            self.audit(item)
        counter = {State.DONE: "done", State.SKIPPED: "skipped", State.FAILED: "failed"}[state]
        Job.objects.filter(pk=self.job.pk).update(
            **{counter: F(counter) + 1}, heartbeat_at=item.finished_at
        )

    def audit(self, item: JobItem) -> None:
        audit(
            user=self.job.created_by,
            account=self.job.account,
            object_type=self.kind.object_type,
            object_id=item.object_id,
            action="delete" if self.target(item).get("exists") is False else "update",
            before=item.before,
            after=item.after,
            summary=self.job.description,
            job=self.job.pk,
        )
