"""Connected ActiveCampaign accounts and who may use them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from . import crypto


class ConnectedAccount(models.Model):
    slug = models.SlugField(unique=True, help_text="Used in URLs: /a/<slug>/")
    name = models.CharField(max_length=200)
    api_url = models.URLField("API URL", max_length=300)
    token_encrypted = models.TextField(editable=False)
    token_last4 = models.CharField(max_length=4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @sensitive_variables()
    def set_token(self, token: str) -> None:
        self.token_encrypted = crypto.encrypt(token)
        self.token_last4 = token[-4:]

    @property
    @sensitive_variables()
    def api_token(self) -> str:
        return crypto.decrypt(self.token_encrypted)

    @property
    def masked_token(self) -> str:
        return f"••••{self.token_last4}"

    def record_success(self) -> None:
        type(self).objects.filter(pk=self.pk).update(last_success_at=timezone.now())

    def record_error(self, message: str) -> None:
        type(self).objects.filter(pk=self.pk).update(
            last_error_at=timezone.now(), last_error=message[:500]
        )

    @property
    def healthy(self) -> bool:
        if self.last_error_at is None:
            return True
        return self.last_success_at is not None and self.last_success_at > self.last_error_at


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(
        ConnectedAccount, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="one_membership_per_account")
        ]
        ordering = ["account__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.account} ({self.role})"
