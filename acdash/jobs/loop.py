"""The item loop of one runner (see runner.run): claim, read, compare, write, save.

Check-then-act keeps every item applied at most once across crashes: an item's before-values
are saved before its write is sent, and a batch is always read again before it is written.
An item that already holds its target and has saved before-values was written by a runner
that died before saving the outcome: it is marked done without a second write.

The runner works only on the items it has claimed (claims.py), a batch at a time, so several
runners can share one job. One coordinating thread does all database work; a pool of writer
threads makes the API calls, each waiting its turn at the account's limiter (shared by every
job and process on the account), so the budget is spent with no idle gaps: the next batch is
claimed and read while the current one is still being written.
"""

import heapq
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from acdash.activecampaign import Client
from acdash.activecampaign.conf import setting
from acdash.activecampaign.errors import ApiError, NotFound, RateLimited, Unavailable
from acdash.activecampaign.errors import ValidationError as ApiValidationError
from acdash.audit.log import record as audit

from . import claims
from .contract import Kind, Record, Target, bulk_path
from .engine import GONE, compare, held
from .models import Job, JobItem

logger = logging.getLogger("acdash.jobs")

MAX_ATTEMPTS = 5  # per item, the first included (each attempt's calls retry on their own too)
READ_ATTEMPTS = 3  # of a batch's read, before its failure costs each of its items an attempt
WRITERS = 8  # concurrent writes: enough to hide each call's latency behind the limiter
BULK_WRITERS = 4  # concurrent bulk calls (each submits, then polls until applied)
RETRYABLE = (Unavailable, RateLimited)  # DeadlineExceeded is an Unavailable

State = JobItem.State


def backoff(attempt: int) -> float:
    """The client's policy (ACTIVECAMPAIGN_BACKOFF_*): exponential, with equal jitter."""
    ceiling = min(setting("BACKOFF_MAX"), setting("BACKOFF_BASE") * 2 ** (attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retrying[T](call: Callable[[], T], attempts: int) -> T:
    """``call``, again after a back-off while the API fails it (RETRYABLE), ``attempts``
    times at most: for what changes nothing when sent twice (listings, reads)."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except RETRYABLE:
            if attempt == attempts:
                raise
            time.sleep(backoff(attempt))
    raise AssertionError("unreachable: the loop returns or raises")


def _read(kind: Kind, client: Client, ids: list[str], keys: set[str]) -> dict[str, Record]:
    """The kind's read, again when the API fails it: one failed call among a batch's many
    (a field's values page by page) should not cost each of its hundred items an attempt."""
    return retrying(lambda: kind.read(client, ids, keys), READ_ATTEMPTS)


def _in_thread(call, *args) -> Any:
    try:
        return call(*args)
    finally:
        connections.close_all()  # kinds may touch the ORM (metadata cache): don't leak


class Loop:
    def __init__(self, job: Job, client: Client, kind: Kind, runner: str) -> None:
        self.job = job
        self.client = client
        self.kind = kind
        self.runner = runner
        self.bulky = claims.is_bulky(job, kind)
        self.most_writes = BULK_WRITERS if self.bulky else WRITERS
        self.exhausted = False  # the last claim found nothing left
        self.renewed = time.monotonic()
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
        """Until nothing is left to claim (or the job is cancelled or has ended elsewhere);
        the caller releases what is still held and settles the job."""
        with ThreadPoolExecutor(WRITERS + 1, thread_name_prefix="acdash-job") as self.pool:
            while True:
                self.check()
                if not self.stopping and not self.reads and len(self.writes) < self.most_writes:
                    self.read_next()
                running = [*self.reads, *self.writes]
                if not running:
                    if self.stopping:
                        break
                    if self.exhausted and not self.retries:
                        claims.release_dead(self.job)  # a runner gone left its claims
                        if not claims.claimable(self.job):
                            break
                        self.exhausted = False
                        continue
                    time.sleep(max(0.0, self.retries[0][0] - time.monotonic()))
                    continue
                # Awake at least every RENEW_EVERY, to renew the claims during long calls.
                due = self.retries[0][0] - time.monotonic() if self.retries else claims.RENEW_EVERY
                timeout = max(0.05, min(due, claims.RENEW_EVERY))
                finished, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in finished:
                    if future in self.reads:
                        self.after_read(future, self.reads.pop(future))
                    else:
                        self.after_write(future, self.writes.pop(future))

    def check(self) -> None:
        """Stop on a cancel or when another runner ended the job; keep the claims' lease."""
        if time.monotonic() - self.renewed > claims.RENEW_EVERY:
            claims.renew(self.job, self.runner)
            self.renewed = time.monotonic()
        if self.stopping:
            return
        now = Job.objects.filter(pk=self.job.pk).values_list("cancel_requested", "state")
        cancel, state = now.get()
        if cancel or state in Job.FINISHED:
            self.stop()

    def stop(self) -> None:
        """Cancel: writes already sent finish and are saved; the rest are never sent."""
        self.stopping = True
        for future in list(self.writes):
            if future.cancel():
                del self.writes[future]
                self.bulk_writes.discard(future)

    def read_next(self) -> None:
        """Read the due retries and a newly claimed batch on the pool; the coordinator goes
        on meanwhile."""
        now = time.monotonic()
        if self.exhausted and not (self.retries and self.retries[0][0] <= now):
            return
        size = claims.share(self.job, self.bulky)
        batch: list[JobItem] = []
        while self.retries and self.retries[0][0] <= now and len(batch) < size:
            batch.append(heapq.heappop(self.retries)[2])
        if len(batch) < size and not self.exhausted:
            fresh = claims.claim(self.job, self.runner, size - len(batch))
            self.exhausted = len(fresh) < size - len(batch)  # checked again before leaving
            batch += fresh
        if not batch:
            return
        keys = {k for item in batch for k in self.keys(item)}
        if self.bulky:
            keys |= getattr(self.kind, "bulk_read_keys", frozenset())
        ids = [item.object_id for item in batch]
        self.reads[self.pool.submit(_in_thread, _read, self.kind, self.client, ids, keys)] = batch

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
        counter = {State.DONE: "done", State.SKIPPED: "skipped", State.FAILED: "failed"}[state]
        # One transaction: another runner settling the job (claims.settle recounts from the
        # items) sees the item finished only with its count, never counted again after.
        with transaction.atomic():
            item.save(update_fields=["state", "reason", "before", "after", "label", "finished_at"])
            if state == State.DONE:
                self.audit(item)
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
