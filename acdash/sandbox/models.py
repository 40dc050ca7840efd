"""Storage of the ActiveCampaign emulator.

Every API object of every sandbox account is one ``SandboxRecord``: its kind
(``contact``, ``fieldValue``, ``deal``…), its per-account id, the id of the
object it mainly belongs to (``parent``: the contact of a field value, the deal
of a task…), an optional lookup ``key`` (a contact's lower-cased email, a tag's
name) and its API attributes as JSON. One generic table keeps the emulator small
and lets each resource family live in one module under ``resources/``.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models, transaction
from django.db.models import F


class SandboxAccount(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/Chicago")

    # Requests per second accepted before 429; the real API's limit is 5.
    rate_limit = models.PositiveIntegerField(default=5)

    # Fault knobs (see docs/sandbox.md); read on every request so changes apply at once.
    latency_ms = models.PositiveIntegerField(default=0)
    jitter_ms = models.PositiveIntegerField(default=0)
    error_rate = models.FloatField(default=0.0, help_text="Share of requests answered 500/502/503")
    throttle_rate = models.FloatField(default=0.0, help_text="Share of requests answered 429")
    hang_rate = models.FloatField(default=0.0, help_text="Share of requests that hang")
    hang_seconds = models.FloatField(default=30.0)
    fail_next_count = models.PositiveIntegerField(default=0)
    fail_next_status = models.PositiveSmallIntegerField(default=503)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def api_token(self) -> str:
        """Derived from a secret and the slug, so no token is ever stored."""
        secret = settings.SANDBOX_TOKEN_SECRET.encode()
        return hmac.new(secret, self.slug.encode(), hashlib.sha256).hexdigest()[:64]

    def reset_faults(self) -> None:
        for knob in FAULT_KNOBS:
            setattr(self, knob, self._meta.get_field(knob).default)
        self.save(update_fields=FAULT_KNOBS)


FAULT_KNOBS = [
    "latency_ms",
    "jitter_ms",
    "error_rate",
    "throttle_rate",
    "hang_rate",
    "hang_seconds",
    "fail_next_count",
    "fail_next_status",
]


class SandboxRecord(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=40)
    rid = models.PositiveIntegerField()
    parent = models.PositiveIntegerField(null=True, blank=True)
    key = models.CharField(max_length=255, null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "rid"], name="sandbox_record_id")
        ]
        indexes = [
            models.Index(fields=["account", "kind", "parent"]),
            models.Index(fields=["account", "kind", "key"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.kind}:{self.rid}"

    @property
    def id_str(self) -> str:
        return str(self.rid)


class SandboxSequence(models.Model):
    """Last id handed out per account and kind, like the API's auto-increment ids."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    last_id = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="sandbox_sequence_kind")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.kind}={self.last_id}"

    @classmethod
    def allocate(cls, account: SandboxAccount, kind: str, count: int = 1) -> int:
        """Reserve ``count`` ids and return the first one."""
        with transaction.atomic():
            seq, _ = cls.objects.get_or_create(account=account, kind=kind)
            cls.objects.filter(pk=seq.pk).update(last_id=F("last_id") + count)
            seq.refresh_from_db()
        return seq.last_id - count + 1
