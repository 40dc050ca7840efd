"""django-tasks-db's ``db_worker``, which first re-enqueues jobs whose worker died."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from acdash.jobs.recovery import requeue_orphans


class Command(DatabaseWorker):
    help = f"{DatabaseWorker.help}, after re-enqueuing jobs whose worker died"

    def handle(self, *args, **options) -> None:
        requeued = requeue_orphans()
        if requeued:
            self.stdout.write(f"Resuming jobs whose worker died: {requeued}")
        super().handle(*args, **options)
