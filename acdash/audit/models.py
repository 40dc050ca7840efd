"""The audit trail: one entry per change made through acdash."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The trail outlives the account: disconnecting it empties the link, and the entry
    # still names the account by the name and slug it had when the change was made.
    account = models.ForeignKey(
        "accounts.ConnectedAccount",
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    account_name = models.CharField(max_length=200)
    account_slug = models.SlugField(db_index=True)
    object_type = models.CharField(max_length=40)  # "contact", "deal", …
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=40)  # "update", "create", "delete", "tag.add", …
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # The bulk job that made the change, if any. A plain number, not a foreign key: the
    # trail keeps the link even if the job's records are ever purged.
    job_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_type} {self.object_id}"
