"""One runner of a job (see tasks.run_job): start, expand once, fan out, run, settle.

The first task of a job (queued, re-queued after a crash, or "retry failed") leads it: it
marks the job running, stores the items of a selection (once: whoever gets there first, under
the job's row lock) and enqueues one more task per further live worker the job is worth
(claims.runners_for). Every runner then works on batches it claims (loop.py); the last one to
find nothing left finishes the job (claims.settle). Any backend runs the tasks: nothing here
knows which.
"""

import logging

from django.db import transaction
from django.utils import timezone

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import Client

from . import claims
from .contract import KINDS, Kind, Selection
from .engine import enqueue, store_items
from .loop import MAX_ATTEMPTS, Loop, retrying
from .models import Job

logger = logging.getLogger("acdash.jobs")


def run(job_id: int) -> None:
    """Work on the job's pending items until none is left to claim or it is cancelled."""
    me = claims.runner_name()
    started = start(job_id, me)
    if started is None:
        return
    job, leader = started
    try:
        client = client_for_account(job.account)
        kind = KINDS[job.kind]
        expand(job, client, kind)
        if leader:
            for _ in range(claims.runners_for(job, claims.is_bulky(job, kind)) - 1):
                enqueue(job)
        Loop(job, client, kind, me).run()
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        claims.release(job, me)
        claims.finish(job, Job.State.FAILED, str(getattr(exc, "message", exc)) or repr(exc))
        raise
    claims.release(job, me)  # what a cancel left unsent
    claims.settle(job)


def start(job_id: int, me: str) -> tuple[Job, bool] | None:
    """Mark the job running in this process: (the job, whether this runner leads it); None
    when it is finished (or gone)."""
    now = timezone.now()
    jobs = Job.objects.filter(pk=job_id)
    leader = bool(jobs.filter(state=Job.State.QUEUED).update(state=Job.State.RUNNING))
    if not jobs.filter(state=Job.State.RUNNING).update(runner=me, heartbeat_at=now):
        return None
    jobs.filter(started_at__isnull=True).update(started_at=now)
    job = Job.objects.select_related("account", "created_by").get(pk=job_id)
    if leader:
        job.recount()  # a runner that died may have saved an item but not its count
    return job, leader


def expand(job: Job, client: Client, kind: Kind) -> None:
    """Store the items of a selection job once, retrying the listing like an item."""
    if job.selection is None or job.items.exists():
        return
    selection = Selection(**{**job.selection, "ids": tuple(job.selection.get("ids", ()))})
    found = retrying(lambda: kind.expand(client, selection), MAX_ATTEMPTS)
    ids = list(dict.fromkeys(str(i) for i in found))
    with transaction.atomic():
        Job.objects.select_for_update().get(pk=job.pk)  # a runner that got here first wins
        if not job.items.exists():
            store_items(job, dict.fromkeys(ids), {})
