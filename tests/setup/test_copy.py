"""Copying setup over HTTP: the compare page's ticked items run as one job per target
through the job engine; afterwards the target compares identical (conflicts excepted,
never written), and the same copy again sends no write to the sandbox."""

import pytest
from django.core.cache import cache

from acdash.accounts.models import Membership
from acdash.audit.models import AuditEntry
from acdash.jobs import engine
from acdash.jobs.models import Job, JobItem
from acdash.sandbox import faults
from acdash.setup.snapshot import PARTS
from tests.jobs.conftest import work
from tests.setup.test_compare import URL, _change_bolt, _diff, _rec
from tests.tasks.conftest import connect

WRITES = {"POST", "PUT", "DELETE"}


@pytest.fixture
def two(live_server, transactional_db):
    cache.clear()
    faults.reset()
    yield (
        connect(live_server.url, "acme", "Acme", size=20),
        connect(live_server.url, "bolt", "Bolt", size=20),
    )
    faults.reset()


def writes(slug: str) -> list[str]:
    log = faults.request_log.snapshot(slug)["recent"]
    return [f"{e['method']} {e['path']}" for e in log if e["method"] in WRITES]


def compare(client, source="acme", target="bolt"):
    page = client.get(URL, {"source": source, "targets": [target], "compare": "1"})
    return _diff(page.content.decode())


def copy_all(client, source="acme", target="bolt"):
    parts = [f"{target}|{part}" for part in PARTS]
    return client.post("/setup/copy/", {"source": source, "part": parts})


def test_copy_then_copy_again_is_a_no_op(two, admin_client):
    changed = _change_bolt()
    answer = copy_all(admin_client)
    job = Job.objects.get(kind="setup")
    assert answer.status_code == 302 and answer["Location"] == job.get_absolute_url()
    assert job.account.slug == "bolt"
    work()
    job.refresh_from_db()
    assert job.state == "done" and job.failed == 0 and job.done == job.total > 0
    copied = set(job.items.values_list("object_id", flat=True))
    assert {"contact_fields:Birthday", "contact_fields:Industry", "branding:Branding"} <= copied
    assert "contact_fields:City" not in copied  # a conflict: never written
    assert f"pipelines:{changed['pipeline']}" not in copied

    diff = compare(admin_client)
    # The stage moved into the other pipeline stays there (stages may hold deals): the one
    # update left, which a copy never deletes.
    assert diff.parts["pipelines"]["update"] == {changed["other"]}
    assert f"stages: − {changed['stage']}" in diff.changes[("pipelines", changed["other"])]
    for part, statuses in diff.parts.items():
        if part != "pipelines":
            assert set(statuses) <= {"identical", "conflict"}, (part, statuses)
    assert diff.parts["contact_fields"]["conflict"] == {"City"}
    assert diff.parts["pipelines"]["conflict"] == {changed["pipeline"]}
    bolt_city = _rec("bolt", "field", title="City")
    assert bolt_city.data["type"] == "textarea"

    # The same copy again, as a job with the same items: every item is already held.
    faults.reset("bolt")
    targets = dict(job.items.values_list("object_id", "target"))
    again = engine.start_job(
        account=job.account,
        user=job.created_by,
        kind="setup",
        description="Copy again",
        targets=targets,
        bulk=False,
    )
    work()
    again.refresh_from_db()
    assert again.state == "done" and again.total == job.total
    assert set(again.items.exclude(state="skipped").values_list("object_id", flat=True)) == {
        f"pipelines:{changed['other']}"
    }
    assert writes("bolt") == []
    # From the page too: the same copy sends no write.
    copy_all(admin_client)
    work()
    assert writes("bolt") == []


def test_each_item_is_audited_by_name(two, admin_client):
    _change_bolt()
    copy_all(admin_client)
    work()
    job = Job.objects.get(kind="setup")
    audited = set(
        AuditEntry.objects.filter(account=job.account, object_type="setup").values_list(
            "object_id", flat=True
        )
    )
    assert audited == set(job.items.values_list("object_id", flat=True))


def test_a_conflict_is_refused_with_what_to_do(two, admin_client):
    _change_bolt()
    job = engine.start_job(
        account=two[1],
        user=None,
        kind="setup",
        description="Force a conflict",
        targets={"contact_fields:City": {"exists": True, "type": "text", "options": []}},
        bulk=False,
    )
    work()
    item = JobItem.objects.get(job=job)
    assert item.state == "failed"
    assert "Rename or delete one of them" in item.reason
    city = _rec("bolt", "field", title="City")
    assert city.data["type"] == "textarea"


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_of_the_target_may_copy(two, client, django_user_model, role):
    _change_bolt()
    user = django_user_model.objects.create_user("u", password="pw")
    Membership.objects.create(user=user, account=two[0], role="viewer")
    Membership.objects.create(user=user, account=two[1], role=role)
    client.force_login(user)
    assert (
        "Only the account's admins"
        in client.get(URL, {"source": "acme", "targets": ["bolt"], "compare": "1"}).content.decode()
    )
    assert copy_all(client).status_code == 403
    assert not Job.objects.exists()
    Membership.objects.filter(user=user, account=two[1]).update(role="admin")
    assert copy_all(client).status_code == 302
    assert Job.objects.get().account == two[1]


def test_ticked_rows_only(two, admin_client):
    _change_bolt()
    answer = admin_client.post(
        "/setup/copy/", {"source": "acme", "item": ["bolt|contact_fields:Birthday"]}
    )
    assert answer.status_code == 302
    job = Job.objects.get()
    assert list(job.items.values_list("object_id", flat=True)) == ["contact_fields:Birthday"]


def test_a_copy_cannot_be_undone(two, admin_client):
    _change_bolt()
    copy_all(admin_client)
    work()
    job = Job.objects.get()
    page = admin_client.get(f"/a/bolt/jobs/{job.pk}/undo/", follow=True)
    assert "A setup copy cannot be undone" in page.content.decode()
    assert Job.objects.count() == 1
