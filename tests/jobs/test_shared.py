"""One job shared by two real ``db_worker`` processes at once (SQLite): each works on the
batches it claims, every item is done by exactly one of them and written once; when one
is killed with SIGKILL mid-job, the other takes its items over and writes none twice; a
cancel stops both and the job ends once."""

from acdash.health.models import WorkerBeat
from acdash.jobs.control import cancel
from acdash.jobs.engine import CANCELLED
from acdash.jobs.models import Job
from acdash.sandbox.models import SandboxAccount

from .conftest import (
    CITY,
    WorkerProcess,
    city_of,
    contact_ids,
    start,
    wait_until,
    writes_per_contact,
)


def two_workers(live_server_url: str) -> list[WorkerProcess]:
    """Two workers, started and beating: a job started now is shared between them."""
    workers = [WorkerProcess(live_server_url) for _ in range(2)]
    for worker in workers:
        worker.start()
    wait_until(lambda: WorkerBeat.objects.count() == 2)
    return workers


def runners(job: Job) -> set[str]:
    return set(job.items.exclude(runner="").values_list("runner", flat=True))


def test_two_workers_share_one_job_and_write_every_record_once(account, ac, users, live_server):
    ids = contact_ids(30)
    before = city_of(ac, ids)
    workers = two_workers(live_server.url)
    try:
        job = start(account, users["editor"], ids, {CITY: "Tbilisi"})
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        for worker in workers:
            worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Tbilisi"]
    assert (job.state, job.done, job.skipped, job.failed) == (
        "done",
        len(changed),
        30 - len(changed),
        0,
    )
    pids = {str(worker.process.pid) for worker in workers}
    assert {runner.rpartition(":")[2] for runner in runners(job)} == pids  # both worked on it
    assert writes_per_contact() == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Tbilisi"}


def test_a_worker_killed_while_sharing_a_job_leaves_its_items_to_the_other(
    account, ac, users, live_server
):
    ids = contact_ids(30)
    before = city_of(ac, ids)
    SandboxAccount.objects.filter(slug="jobs").update(latency_ms=300)  # writes in flight
    workers = two_workers(live_server.url)
    try:
        job = start(account, users["editor"], ids, {CITY: "Yerevan"})
        wait_until(lambda: len(runners(job)) == 2 and Job.objects.get(pk=job.pk).done >= 6)
        killed, survivor = workers
        killed.kill()  # not started again: the job can only finish through the survivor
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        for worker in workers:
            worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Yerevan"]
    assert (job.state, job.done, job.failed) == ("done", len(changed), 0)
    assert writes_per_contact() == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Yerevan"}
    saved = {item.object_id: item.before for item in job.items.filter(state="done")}
    assert saved == {i: {CITY: before[i]} for i in changed}
    assert f":{survivor.process.pid}" in " ".join(runners(job))


def test_a_cancel_stops_both_workers_and_the_job_ends_once_with_every_item_accounted_for(
    account, ac, users, live_server
):
    ids = contact_ids(30)
    SandboxAccount.objects.filter(slug="jobs").update(latency_ms=300)
    workers = two_workers(live_server.url)
    try:
        job = start(account, users["editor"], ids, {CITY: "Minsk"})
        wait_until(lambda: len(runners(job)) == 2 and Job.objects.get(pk=job.pk).done >= 4)
        cancel(job)
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        for worker in workers:
            worker.stop()
    job.refresh_from_db()
    assert job.state == "cancelled" and job.failed == 0
    assert not job.items.filter(state="pending").exists()
    assert job.done + job.skipped == 30 and job.items.filter(reason=CANCELLED).exists()
    done = set(job.items.filter(state="done").values_list("object_id", flat=True))
    assert writes_per_contact() == dict.fromkeys(done, 1)  # what was sent, once; no more
