"""One job on two RQ worker processes at once: a 1,000-item bulk job on one account is shared
between them (each works on the batches it claims), every record is written exactly once and
the account's 5 requests a second hold across both (Redis); a worker killed with SIGKILL
mid-job and started again leaves nothing written twice."""

from collections import Counter

import pytest

from acdash.accounts.clients import client_for_account
from acdash.audit.models import AuditEntry
from acdash.health.models import WorkerBeat
from acdash.jobs.models import Job
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount, SandboxRecord
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


def two_workers(live_server_url: str) -> list[RQWorker]:
    """Two RQ workers, started and beating: a job started now is shared between them."""
    workers = [RQWorker(live_server_url), RQWorker(live_server_url)]
    for worker in workers:
        worker.start()
    wait_until(lambda: WorkerBeat.objects.count() == 2)
    return workers


def finished_noting_horses(job: Job, workers: list[RQWorker]) -> list[set[str]]:
    """Wait for the job to finish; the work horses (runner pids) each worker ran meanwhile."""
    horses: list[set[str]] = [set() for _ in workers]

    def finished() -> bool:
        for seen, worker in zip(horses, workers, strict=True):
            seen.update(str(pid) for pid in worker.horses())
        return Job.objects.get(pk=job.pk).finished

    wait_until(finished)
    return horses


def imported(slug: str) -> Counter[str]:
    """Each contact the sandbox's bulk imports applied, per import that applied it."""
    batches = SandboxRecord.objects.filter(account__slug=slug, kind="importBatch")
    return Counter(str(i) for batch in batches for i in batch.data["success"])


def test_one_1000_item_job_on_two_workers_at_once_writes_every_record_once_within_budget(
    live_server, users, transactional_db
):
    account = connect(live_server.url, 1000, slug="scale")
    ids = contact_ids(slug="scale")
    client = client_for_account(account)  # this process's: 1,000 requests a second
    before = city_of(client, ids)
    SandboxAccount.objects.filter(slug="scale").update(rate_limit=5)  # the API's own limit
    faults.reset()
    workers = two_workers(live_server.url)
    try:
        job = start(account, users["editor"], ids, {CITY: "Oslo"}, bulk=True)
        horses = finished_noting_horses(job, workers)
    finally:
        for worker in workers:
            worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Oslo"]
    counts = (job.state, job.done, job.skipped, job.failed)
    assert counts == ("done", len(changed), 1000 - len(changed), 0)
    assert sorted(job.items.values_list("object_id", flat=True)) == sorted(ids)
    assert AuditEntry.objects.filter(job_id=job.pk).count() == len(changed)
    # Both workers worked on it: each item names its runner, a work horse of one of them.
    runners = {runner.rpartition(":")[2] for runner in job.items.values_list("runner", flat=True)}
    assert all(seen & runners for seen in horses), (horses, runners)
    assert runners <= set.union(*horses)
    # Every record written once: by exactly one import, none one call at a time.
    assert imported("scale") == Counter(dict.fromkeys(changed, 1))
    assert not writes_per_contact("scale")
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
    workers = two_workers(live_server.url)
    killed = workers[0]
    try:
        job = start(account, users["editor"], ids, {CITY: "Kyiv"})
        wait_until(lambda: Job.objects.get(pk=job.pk).done >= 8 and bool(killed.horses()))
        killed.kill()
        assert Job.objects.get(pk=job.pk).state == "running"
        killed.start()  # releases the dead runner's items; the other worker takes them over
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        for worker in workers:
            worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Kyiv"]
    assert (job.state, job.done, job.failed) == ("done", len(changed), 0)
    assert writes_per_contact() == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Kyiv"}
