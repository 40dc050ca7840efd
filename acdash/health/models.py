"""One row per running task worker process, beaten by the worker itself (see heartbeat)."""

from django.db import models


class WorkerBeat(models.Model):
    name = models.CharField(max_length=120, unique=True)  # "host:pid"
    backend = models.CharField(max_length=120)  # the command and its queues
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.backend})"
