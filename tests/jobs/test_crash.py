"""A job survives its worker: a real ``db_worker`` killed with SIGKILL mid-job, three times,
and started again resumes where it stopped, and no record is written twice; with 10% of
the API's answers failing (5xx and 429), every record of a 1,000-contact job is done once.
The sandbox's request log counts the writes per record."""

from acdash.accounts.clients import client_for_account
from acdash.jobs.models import Job
from acdash.sandbox.models import SandboxAccount

from .conftest import (
    CITY,
    WorkerProcess,
    city_of,
    connect,
    contact_ids,
    start,
    wait_until,
    work,
    writes_per_contact,
)


def test_a_worker_killed_three_times_mid_job_applies_every_item_once(
    account, ac, users, live_server
):
    ids = contact_ids(30)
    before = city_of(ac, ids)
    # Slow answers: a write is mostly still in flight when the worker dies, so the sandbox
    # applies it after its worker is gone and the next worker finds it already done.
    SandboxAccount.objects.filter(slug="jobs").update(latency_ms=300)
    job = start(account, users["editor"], ids, {CITY: "Kyiv"})
    worker = WorkerProcess(live_server.url)
    try:
        for done in (4, 10, 18):
            worker.start()
            wait_until(lambda done=done: Job.objects.get(pk=job.pk).done >= done)
            worker.kill()
            assert Job.objects.get(pk=job.pk).state == "running"  # left behind by the dead
        worker.start()
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        worker.stop()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Kyiv"]
    assert (job.state, job.done, job.failed) == ("done", len(changed), 0)
    assert writes_per_contact() == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Kyiv"}
    # Every before-value survived the kills (undo depends on them).
    saved = {item.object_id: item.before for item in job.items.filter(state="done")}
    assert saved == {i: {CITY: before[i]} for i in changed}


def test_ten_percent_failing_answers_on_a_1000_contact_job_apply_every_item_once(
    live_server, transactional_db, users
):
    account = connect(live_server.url, 1000, slug="big")
    ac = client_for_account(account)
    ids = contact_ids(slug="big")
    assert len(ids) == 1000
    before = city_of(ac, ids)
    SandboxAccount.objects.filter(slug="big").update(error_rate=0.05, throttle_rate=0.05)
    job = start(account, users["editor"], ids, {CITY: "Riga"})
    work()
    SandboxAccount.objects.filter(slug="big").update(error_rate=0, throttle_rate=0)
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Riga"]
    failures = list(job.items.filter(state="failed").values_list("object_id", "reason"))
    assert (job.state, job.done, job.skipped, job.failed) == (
        "done",
        len(changed),
        1000 - len(changed),
        0,
    ), failures
    assert writes_per_contact("big") == dict.fromkeys(changed, 1)
    assert set(city_of(ac, ids).values()) == {"Riga"}
