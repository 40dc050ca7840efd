"""django-rq's ``rqworker``, which first re-enqueues jobs whose worker died and keeps a
heartbeat while it runs (acdash/jobs/recovery.py), as db_worker.

RQ moves the task of a dead worker to its failed registry and never runs it again. Run it
as ``manage.py rqworker --job-class django_tasks_rq.Job default``.
"""

from django_rq.management.commands.rqworker import Command as RQWorker

from acdash.jobs.recovery import supervised


class Command(RQWorker):
    help = "Run RQ workers, after re-enqueuing jobs whose worker died"

    def handle(self, *args, **options) -> None:
        with supervised(f"rqworker {' '.join(args) or 'default'}", self.stdout):
            super().handle(*args, **options)
