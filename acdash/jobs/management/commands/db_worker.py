"""django-tasks-db's ``db_worker``, which first re-enqueues jobs whose worker died and keeps
a heartbeat while it runs (acdash/jobs/recovery.py)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from acdash.jobs.recovery import supervised


class Command(DatabaseWorker):
    help = f"{DatabaseWorker.help}, after re-enqueuing jobs whose worker died"

    def handle(self, *args, **options) -> None:
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only restarts the child, which is the worker.
            super().handle(*args, **options)
            return
        with supervised(f"db_worker {options['queue_name']}", self.stdout):
            super().handle(*args, **options)
