"""django-rq's ``rqworker``, which first re-enqueues jobs whose worker died (as db_worker).

RQ moves the task of a dead worker to its failed registry and never runs it again; the job
is left "running" by a runner that is gone. Run it as
``manage.py rqworker --job-class django_tasks_rq.Job default``.
"""

from django_rq.management.commands.rqworker import Command as RQWorker

from acdash.jobs.recovery import requeue_orphans


class Command(RQWorker):
    help = "Run RQ workers, after re-enqueuing jobs whose worker died"

    def handle(self, *args, **options) -> None:
        requeued = requeue_orphans()
        if requeued:
            self.stdout.write(f"Resuming jobs whose worker died: {requeued}")
        super().handle(*args, **options)
