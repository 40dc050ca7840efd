"""Jobs whose worker died: found and enqueued again when a worker starts.

django-tasks-db leaves a task whose worker died "running" for good and never runs it again,
so a worker starting up (our ``db_worker``) first re-enqueues every running job whose runner
is gone: on this machine, a process that no longer exists; elsewhere, one that has saved no
progress for ``STALE_AFTER``. The job then resumes where it stopped (see ``runner``).
A worker killed between taking a job's task and marking the job running (a few
milliseconds) leaves it queued; that window is not covered.
"""

import os
import socket
from datetime import timedelta

from django.utils import timezone

from .models import Job

STALE_AFTER = timedelta(minutes=5)


def orphaned(job: Job) -> bool:
    """Whether the job's runner ("host:pid") is gone."""
    host, _, pid = job.runner.rpartition(":")
    if host != socket.gethostname():
        return job.heartbeat_at is None or job.heartbeat_at < timezone.now() - STALE_AFTER
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def requeue_orphans() -> list[int]:
    """Enqueue again the running jobs whose runner died; their ids."""
    from .engine import enqueue

    requeued = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        if not orphaned(job):
            continue
        # Only one starting worker wins the job (the runner it saw is still recorded).
        left = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, runner=job.runner)
        if left.update(state=Job.State.QUEUED, runner=""):
            enqueue(job)
            requeued.append(job.pk)
    return requeued
