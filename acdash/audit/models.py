"""The audit trail: one entry per change made through acdash."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey(
        "accounts.ConnectedAccount", on_delete=models.CASCADE, related_name="audit_entries"
    )
    object_type = models.CharField(max_length=40)  # "contact", "deal", …
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=40)  # "update", "create", "delete", "tag.add", …
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_type} {self.object_id}"
