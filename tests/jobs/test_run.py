"""A job from its preview to its last item: what the plan says, what the worker writes, and
what the progress page and audit trail show afterwards."""

from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.jobs import engine
from acdash.jobs.contract import KINDS, Selection
from acdash.jobs.models import Job, JobItem
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount

from .conftest import CITY, city_of, contact_ids, start, work, writes_per_contact


def test_the_plan_counts_the_records_skips_those_already_set_and_estimates_at_the_budget(
    account, ac, settings
):
    ids = contact_ids(12)
    held = city_of(ac, ids)
    already = [i for i in ids if held[i] == "Lisbon"]
    settings.ACTIVECAMPAIGN_RATE_LIMIT = 5
    selection = Selection("contact", ids=tuple(ids))
    plan = engine.plan(ac, "contact", selection=selection, target={CITY: "Lisbon"}, bulk=False)
    assert plan.total == 12
    assert plan.skipped == len(already)
    assert plan.path == engine.PER_RECORD
    changes = [c for c in plan.changes if not c.skip]
    assert len(changes) == min(10, 12 - len(already))
    assert all(c.record.values[CITY] != "Lisbon" and c.after == {CITY: "Lisbon"} for c in changes)
    # The reads of the 12 (as the preview made them), then one PUT per contact to change,
    # at 5 calls per 1.08 s.
    with count_api_calls() as reads:
        KINDS["contact"].read(ac, ids, [CITY])
    assert plan.estimate_seconds == round((reads.count + 12 - len(already)) * 1.08 / 5, 1)
    assert not writes_per_contact()  # a preview writes nothing


def test_a_job_sets_every_record_once_audits_each_and_skips_those_already_set(account, ac, users):
    ids = contact_ids(20)
    first = ids[0]
    kind = KINDS["contact"]
    kind.write(ac, kind.read(ac, [first], [CITY])[first], {CITY: "Oslo"})
    before = city_of(ac, ids)
    job = start(account, users["editor"], ids, {CITY: "Oslo"})
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    work()
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.skipped, job.failed) == ("done", 20, 19, 1, 0)
    assert set(city_of(ac, ids).values()) == {"Oslo"}
    assert writes_per_contact() == {i: 1 for i in ids if i != first} | {first: 1}
    skipped = job.items.get(state=JobItem.State.SKIPPED)
    assert skipped.object_id == first
    assert skipped.reason.startswith("already “City” = Oslo")
    entries = AuditEntry.objects.filter(job_id=job.pk)
    assert entries.count() == 19
    entry = entries.get(object_id=ids[1])
    assert (entry.user, entry.object_type, entry.action) == (users["editor"], "contact", "update")
    assert entry.before == {CITY: before[ids[1]]} and entry.after == {CITY: "Oslo"}


def test_a_bulk_path_job_imports_instead_of_writing_each_record(account, ac, users):
    ids = contact_ids(25)
    before = city_of(ac, ids)
    job = start(account, users["editor"], ids, {CITY: "Baku"}, bulk=True)
    assert job.path == engine.BULK
    work()
    job.refresh_from_db()
    changed = [i for i in ids if before[i] != "Baku"]
    assert (job.state, job.done, job.failed) == ("done", len(changed), 0)
    assert set(city_of(ac, ids).values()) == {"Baku"}
    assert not writes_per_contact()  # no PUT /contacts/<id>: the import set them
    operations = faults.request_log.snapshot("jobs")["by_operation"]
    assert operations.get("Contact_bulkImportContacts") == 1, operations
    assert AuditEntry.objects.filter(job_id=job.pk).count() == len(changed)


def test_a_batch_read_the_api_fails_once_costs_its_items_no_attempt(account, ac, users):
    ids = contact_ids(20)
    job = start(account, users["editor"], ids, {CITY: "Turin"})
    SandboxAccount.objects.filter(slug=account.slug).update(fail_next_count=1, fail_next_status=500)
    work()
    job.refresh_from_db()
    assert (job.state, job.failed) == ("done", 0)
    assert set(job.items.values_list("attempts", flat=True)) == {0}
    assert set(city_of(ac, ids).values()) == {"Turin"}
