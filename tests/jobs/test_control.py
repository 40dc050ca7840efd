"""Cancel, retry failed and undo, through the job's pages; and who may use them."""

import pytest

from acdash.audit.models import AuditEntry
from acdash.jobs import engine
from acdash.jobs.contract import KINDS
from acdash.jobs.engine import CANCELLED
from acdash.jobs.models import Job

from .conftest import (
    CITY,
    WorkerProcess,
    city_of,
    contact_ids,
    start,
    wait_until,
    work,
    writes_per_contact,
)
from .test_progress import field_id, logged_in


def test_cancelling_a_queued_job_stops_it_before_anything_is_written(account, users):
    job = start(account, users["editor"], contact_ids(5), {CITY: "Accra"})
    response = logged_in(users["editor"]).post(f"/a/jobs/jobs/{job.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    work()
    job.refresh_from_db()
    # Never started, so never expanded: no record was looked at, none written.
    assert (job.state, job.done, job.skipped, job.items.count()) == ("cancelled", 0, 0, 0)
    assert not writes_per_contact()
    page = logged_in(users["editor"]).get(job.get_absolute_url()).content.decode()
    assert "Cancelled" in page and "Cancel job" not in page


def test_cancelling_a_running_job_stops_after_the_records_being_written(
    account, ac, users, live_server
):
    ids = contact_ids(30)
    held = city_of(ac, ids)
    job = start(account, users["editor"], ids, {CITY: "Hanoi"})
    worker = WorkerProcess(live_server.url)
    worker.start()
    try:
        wait_until(lambda: Job.objects.get(pk=job.pk).done >= 3)
        logged_in(users["editor"]).post(f"/a/jobs/jobs/{job.pk}/cancel/")
        wait_until(lambda: Job.objects.get(pk=job.pk).finished)
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.state == "cancelled"
    done = set(job.items.filter(state="done").values_list("object_id", flat=True))
    assert 3 <= len(done) < 30
    assert job.done + job.skipped == 30 and job.items.filter(reason=CANCELLED).exists()
    # Every record written is marked done, once; the others hold what they held.
    assert writes_per_contact() == dict.fromkeys(done, 1)
    now = city_of(ac, ids)
    assert all(now[i] == ("Hanoi" if i in done else held[i]) for i in ids)


def test_retry_failed_runs_only_the_failed_items_again(account, ac, users):
    ids = contact_ids(8)
    industry = f"field:{field_id('Industry')}"
    targets = {i: {CITY: "Cusco"} for i in ids[:3]} | {i: {industry: "Alchemy"} for i in ids[3:]}
    job = engine.start_job(
        account=account,
        user=users["editor"],
        kind="contact",
        description="Mixed",
        targets=targets,
        bulk=False,
    )
    work()
    job.refresh_from_db()
    assert (job.done, job.skipped, job.failed) == (3, 0, 5)
    editor = logged_in(users["editor"])
    assert "Retry 5 failed" in editor.get(job.get_absolute_url()).content.decode()
    # Someone adds the missing option in ActiveCampaign; the failures can now succeed.
    option = {"field": industry.removeprefix("field:"), "value": "Alchemy", "label": "Alchemy"}
    ac.post("/fieldOption/bulk", {"fieldOptions": [option]})
    editor.post(f"/a/jobs/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("queued", 3, 0)
    work()
    job.refresh_from_db()
    assert (job.state, job.done, job.skipped, job.failed) == ("done", 8, 0, 0)
    assert writes_per_contact() == dict.fromkeys(ids, 1)  # the first three not again
    held = KINDS["contact"].read(ac, ids, [industry])
    assert {held[i].values[industry] for i in ids[3:]} == {"Alchemy"}


def test_undo_restores_every_before_value_and_skips_records_changed_since(account, ac, users):
    ids = contact_ids(10)
    before = city_of(ac, ids)
    job = start(account, users["editor"], ids, {CITY: "Dakar"})
    work()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Dakar"]
    assert job.done == len(changed) >= 3
    moved = changed[1]
    kind = KINDS["contact"]
    kind.write(ac, kind.read(ac, [moved], [CITY])[moved], {CITY: "Elsewhere"})
    editor = logged_in(users["editor"])
    preview = editor.get(f"/a/jobs/jobs/{job.pk}/undo/").content.decode()
    assert f"Undo {len(changed) - 1} contacts" in preview
    assert "changed since the job ran" in preview
    assert f"“City” = {before[changed[0]]}" in preview  # the value it puts back
    response = editor.post(f"/a/jobs/jobs/{job.pk}/undo/")
    undo = Job.objects.get(undo_of=job)
    assert response["Location"] == undo.get_absolute_url()
    work()
    undo.refresh_from_db()
    assert (undo.done, undo.skipped, undo.failed) == (len(changed) - 1, 1, 0)
    assert undo.items.get(object_id=moved).reason == "changed since the job ran"
    now = city_of(ac, ids)
    assert now == {i: ("Elsewhere" if i == moved else before[i]) for i in ids}
    assert AuditEntry.objects.filter(job_id=undo.pk).count() == len(changed) - 1
    page = editor.get(undo.get_absolute_url()).content.decode()
    assert "changed since the job ran" in page and "undoes <a href" in page
    assert "Undone by" in editor.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize("action", ["cancel", "retry", "undo"])
def test_a_viewer_cannot_cancel_retry_or_undo_and_a_stranger_sees_no_job(account, users, action):
    job = start(account, users["editor"], contact_ids(2), {CITY: "Tunis"})
    url = f"/a/jobs/jobs/{job.pk}/{action}/"
    viewer = logged_in(users["viewer"])
    assert viewer.post(url).status_code == 403
    page = viewer.get(job.get_absolute_url()).content.decode()
    assert "Cancel job" not in page and "Undo…" not in page
    stranger = logged_in(users["stranger"])
    for path in (job.get_absolute_url(), f"/a/jobs/jobs/{job.pk}/results.csv"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(url).status_code == 404
    assert "Set City" not in stranger.get("/jobs/").content.decode()
    job.refresh_from_db()
    assert (job.state, job.cancel_requested) == ("queued", False)
