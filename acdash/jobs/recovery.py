"""What every wrapped worker command (``db_worker``, ``rqworker``) does around its worker:
resume the jobs whose runners died, and keep the worker's heartbeat (acdash/health).

Neither backend runs a dead worker's task again (django-tasks-db leaves it "running" for
good; RQ moves it to its failed registry), so a worker starting up first releases the
claims of runners that are gone (claims.gone: on this host, a process that no longer
exists; elsewhere, a lease not renewed for ``claims.LEASE``) and re-enqueues every running
job no live runner is working on. The job then resumes where it stopped. A job some live
runner still works on is left to it: that runner takes the released items over itself. A
worker killed between taking a job's task and marking the job running (a few
milliseconds) leaves it queued; that window is not covered.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from acdash.health.heartbeat import Heartbeat

from . import claims
from .models import Job


def requeue_orphans() -> list[int]:
    """Enqueue again the running jobs whose runners died; their ids."""
    from .engine import enqueue

    requeued = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        claims.release_dead(job)
        if claims.working(job):
            continue
        if not job.items.exists() and not claims.gone(job.runner, job.heartbeat_at):
            continue  # its runner is still listing the selection
        # Only one starting worker wins the job (the runner it saw is still recorded).
        left = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, runner=job.runner)
        if left.update(state=Job.State.QUEUED, runner=""):
            enqueue(job)
            requeued.append(job.pk)
    return requeued


@contextmanager
def supervised(backend: str, stdout) -> Iterator[None]:
    """Resume orphaned jobs, then run the worker inside its heartbeat."""
    requeued = requeue_orphans()
    if requeued:
        stdout.write(f"Resuming jobs whose worker died: {requeued}")
    with Heartbeat(backend):
        connections.close_all()  # none shared with a forked work horse (RQ)
        yield
