"""A job (one bulk change of one account's records) and its items (one record each)."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from acdash.accounts.models import ConnectedAccount


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    FINISHED = (State.DONE, State.CANCELLED, State.FAILED)

    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=20)  # a key of contract.KINDS
    description = models.CharField(max_length=300)
    selection = models.JSONField(null=True, blank=True)  # contract.Selection as a dict
    target = models.JSONField(null=True, blank=True)  # one target for every selected record
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.CharField(max_length=500, blank=True)  # why the job as a whole failed
    cancel_requested = models.BooleanField(default=False)
    undo_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undos"
    )
    path = models.CharField(max_length=30, blank=True)  # "bulk import" / "one call per record"
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process that last started working on the job ("host:pid"; several may share it,
    # see claims.py) and when an item last finished: a worker starting up re-enqueues jobs
    # whose runners died (recovery.py).
    runner = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.account.slug, self.pk])

    def recount(self) -> None:
        """Counts from the items (after a restart, or "retry failed")."""
        State = JobItem.State
        counts = self.items.aggregate(
            done=Count("pk", filter=Q(state=State.DONE)),
            skipped=Count("pk", filter=Q(state=State.SKIPPED)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
        )
        type(self).objects.filter(pk=self.pk).update(**counts)
        for name, value in counts.items():
            setattr(self, name, value)

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def completed(self) -> int:
        return self.done + self.skipped + self.failed


class JobItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    object_id = models.CharField(max_length=40)
    label = models.CharField(max_length=300, blank=True)
    target = models.JSONField(null=True, blank=True)  # None: the job's own target
    expect = models.JSONField(null=True, blank=True)  # values that must still be there (undo)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=500, blank=True)
    # Saved before the write is sent (write-ahead), so a worker killed after the API applied
    # it still knows what the record held; after: what the API answered it now holds.
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The runner ("host:pid") that claimed the item (kept once it is finished: who did it)
    # and when that claim was taken or last renewed (its lease, see claims.py).
    runner = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="one_item_per_position")
        ]
        indexes = [models.Index(fields=["job", "state", "position"])]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.position} {self.object_id}"
