"""Setup templates: an account's setup saved in acdash, to compare with and apply later."""

from django.conf import settings
from django.db import models


class SetupTemplate(models.Model):
    """A snapshot of one account's setup (snapshot.to_json), independent of that account:
    it stays usable after the account changed or was disconnected."""

    name = models.CharField(max_length=100, unique=True)
    source_name = models.CharField(max_length=200)  # the account it was saved from, then
    parts = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        return f"template-{self.pk}"  # what the compare page's sections are labelled with
