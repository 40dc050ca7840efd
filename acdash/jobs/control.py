"""What a person does to a job once it exists: cancel it, retry its failures, undo it."""

from django.db import transaction
from django.utils import timezone

from acdash.activecampaign import Client

from .contract import KINDS, Plan, Target
from .engine import CANCELLED, enqueue, plan, start_job
from .models import Job, JobItem

State = JobItem.State


def cancel(job: Job) -> None:
    """A queued job stops at once; a running one after its current items (the worker sees
    ``cancel_requested``)."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, finished_at=timezone.now()
        ):
            job.items.filter(state=State.PENDING).update(
                state=State.SKIPPED, reason=CANCELLED, finished_at=timezone.now()
            )
            job.recount()
    job.refresh_from_db()


def retry_failed(job: Job) -> int:
    """Queue the failed items of a finished job again (only those); how many."""
    with transaction.atomic():
        count = job.items.filter(state=State.FAILED).update(
            state=State.PENDING, reason="", attempts=0, finished_at=None, runner="", claimed_at=None
        )
        if count:
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, cancel_requested=False, finished_at=None, error=""
            )
            job.recount()
            transaction.on_commit(lambda: enqueue(job))
    job.refresh_from_db()
    return count


def undoable(job: Job) -> str:
    """Why the job cannot be undone, or "" when it can."""
    if not job.finished:
        return "The job is still running; undo it once it has finished."
    if undo := job.undos.order_by("pk").first():
        return f"Job {undo.pk} undoes this job already."
    if (job.target or {}).get("exists") is False:
        return "Deleted records cannot be brought back, so this job cannot be undone."
    if refusal := getattr(KINDS[job.kind], "undo_refusal", ""):
        return refusal
    if not job.items.filter(state=State.DONE).exists():
        return "The job changed nothing, so there is nothing to undo."
    return ""


def undo_targets(job: Job) -> tuple[dict[str, Target], dict[str, Target]]:
    """Per done item: its before-values (the keys it changed) and the after-values that
    must still be there for the undo to touch it."""
    targets: dict[str, Target] = {}
    expect: dict[str, Target] = {}
    for item in job.items.filter(state=State.DONE).order_by("position").iterator():
        keys = list(item.target if item.target is not None else job.target or {})
        before, after = item.before or {}, item.after or {}
        targets[item.object_id] = {key: before.get(key) for key in keys}
        expect[item.object_id] = {key: after.get(key) for key in keys}
    return targets, expect


def undo_plan(client: Client, job: Job) -> Plan:
    targets, expect = undo_targets(job)
    return plan(client, job.kind, targets=targets, expect=expect)


def start_undo(job: Job, user) -> Job:
    targets, expect = undo_targets(job)
    return start_job(
        account=job.account,
        user=user,
        kind=job.kind,
        description=f"Undo: {job.description}"[:300],
        targets=targets,
        expect=expect,
        undo_of=job,
    )
