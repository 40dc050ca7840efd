"""Two RQ worker processes share one account's 5 requests a second through Redis; a worker
killed with SIGKILL mid-job and started again writes no record twice."""

import pytest

from acdash.accounts.clients import client_for_account
from acdash.audit.models import AuditEntry
from acdash.jobs.models import Job
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount
from tests.jobs.conftest import (
    CITY,
    city_of,
    connect,
    contact_ids,
    start,
    wait_until,
    writes_per_contact,
)

from .conftest import RQWorker

pytestmark = pytest.mark.scaleout


def busiest_second(times: list[float]) -> int:
    """The most requests that arrived within any one second."""
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))


def test_two_workers_at_once_share_one_accounts_budget(live_server, users, transactional_db):
    account = connect(live_server.url, 1000, slug="scale")
    ids = contact_ids(slug="scale")
    client = client_for_account(account)  # this process's: 1,000 requests a second
    before = city_of(client, ids)
    SandboxAccount.objects.filter(slug="scale").update(rate_limit=5)  # the API's own limit
    faults.reset()
    jobs = [
        start(account, users["editor"], half, {CITY: "Oslo"}, bulk=True)
        for half in (ids[:500], ids[500:])
    ]
    workers = [RQWorker(live_server.url), RQWorker(live_server.url)]
    try:
        for worker in workers:
            worker.start()
        wait_until(lambda: all(Job.objects.get(pk=job.pk).finished for job in jobs))
    finally:
        for worker in workers:
            worker.stop()
    first, second = (Job.objects.get(pk=job.pk) for job in jobs)
    assert first.runner != second.runner  # a job each, at the same time
    assert first.started_at < second.finished_at and second.started_at < first.finished_at
    for job, half in zip((first, second), (ids[:500], ids[500:]), strict=True):
        changed = [i for i in half if before[i] != "Oslo"]
        assert (job.state, job.done, job.skipped, job.failed) == (
            "done",
            len(changed),
            500 - len(changed),
            0,
        )
        assert sorted(job.items.values_list("object_id", flat=True)) == sorted(half)
        assert AuditEntry.objects.filter(job_id=job.pk).count() == len(changed)
    log = faults.request_log.snapshot("scale")
    assert log["by_operation"]["Contact_bulkImportContacts"] == 4  # 250 contacts an import
    assert "429" not in log["by_status"], log["by_status"]
    arrivals = [entry["at"] - entry["duration_ms"] / 1000 for entry in log["recent"]]
    assert busiest_second(arrivals) <= 5
    SandboxAccount.objects.filter(slug="scale").update(rate_limit=10_000)
    assert set(city_of(client, ids).values()) == {"Oslo"}


def test_a_worker_killed_mid_job_and_started_again_writes_nothing_twice(
    account, ac, users, live_server
):
    ids = contact_ids(30)
    before = city_of(ac, ids)
    # Slow answers: a write is mostly in flight when the worker dies (see tests/jobs).
    SandboxAccount.objects.filter(slug="jobs").update(latency_ms=300)
    job = start(account, users["editor"], ids, {CITY: "Kyiv"})
    worker = RQWorker(live_server.url)
    try:
        worker.start()
        wait_until(lambda: Job.objects.get(pk=job.pk).done >= 10)
        worker.kill(job)
        assert Job.objects.get(pk=job.pk).state == "running"  # left behind by the dead
        worker.start()  # re-enqueues the job, then runs it
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Kyiv"]
    assert (job.state, job.done, job.failed) == ("done", len(changed), 0)
    assert writes_per_contact() == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Kyiv"}
