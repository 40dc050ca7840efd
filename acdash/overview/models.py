"""What the overview keeps in the database: each account's last known figures (so 200
accounts sort, filter and page in SQL, in every web process) and each user's saved views."""

from django.conf import settings
from django.db import models

from acdash.accounts.models import ConnectedAccount


class AccountFigures(models.Model):
    """An account's figures as last fetched (three API calls); the page renders from these
    and fetches again only rows whose figures are missing or older than the freshness window.
    The last error lives on the account itself (``ConnectedAccount.last_error``)."""

    account = models.OneToOneField(
        ConnectedAccount, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    contacts = models.PositiveIntegerField()
    open_deals = models.PositiveIntegerField()
    # The largest currency's total, what "Open value" sorts by; every currency's is in
    # ``open_values`` (largest first, as the API's totals come): [{currency, count, value_cents}].
    open_value_cents = models.BigIntegerField()
    open_values = models.JSONField(default=list)
    overdue_tasks = models.PositiveIntegerField()
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.account} at {self.fetched_at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A user's named overview: the query string of its filters and sort."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="overview_views"
    )
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="one_saved_view_per_name")
        ]

    def __str__(self) -> str:
        return self.name
