"""The audit trail's filters: a form over the query string, validated on the server.

Choices come from the entries the user may read (their accounts, users, object types and
actions), so a value outside them is refused with a message, never applied or a 500.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.timezone import get_current_timezone

from acdash.accounts.models import ConnectedAccount

from .models import AuditEntry

PER_PAGE = (25, 50, 100)
EARLIEST = date(2000, 1, 1)  # before acdash existed: a typo, not a filter
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OBJECT_ID = RegexValidator(r"^[A-Za-z0-9_.:-]+$", "An object id is letters, digits and . _ : -")


def _display(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class AuditFilterForm(forms.Form):
    account = forms.ChoiceField(label="Account", required=False)
    user = forms.TypedChoiceField(label="Who", required=False, coerce=int, empty_value=None)
    object_type = forms.ChoiceField(label="Object type", required=False)
    object_id = forms.CharField(
        label="Object id", required=False, max_length=40, validators=[OBJECT_ID]
    )
    action = forms.ChoiceField(label="Action", required=False)
    since = forms.DateField(label="From", required=False, widget=DATE)
    until = forms.DateField(label="To", required=False, widget=DATE)
    per_page = forms.TypedChoiceField(
        label="Per page",
        required=False,
        coerce=int,
        empty_value=50,
        choices=[(n, str(n)) for n in PER_PAGE],
    )

    def __init__(
        self, data: Any, *, entries: QuerySet[AuditEntry], accounts: list[tuple[str, str]] | None
    ) -> None:
        """``accounts``: the account filter's choices (slug, name); None on an account's own
        trail, which has no account filter."""
        super().__init__(data)
        if not self.data.get("per_page"):  # the select shows the size that applies, not 25
            self.data = self.data.copy()
            self.data["per_page"] = str(self.fields["per_page"].empty_value)
        self.entries = entries
        if accounts is None:
            del self.fields["account"]
        else:
            self.fields["account"].choices = [("", "Every account"), *accounts]
        users = get_user_model().objects.filter(pk__in=entries.values("user")).order_by("username")
        self.fields["user"].choices = [("", "Anyone")] + [(u.pk, _display(u)) for u in users]
        for name, anything in (("object_type", "Any type"), ("action", "Any action")):
            found = entries.order_by(name).values_list(name, flat=True).distinct()
            self.fields[name].choices = [("", anything)] + [(value, value) for value in found]

    def clean_since(self) -> date | None:
        return self._plausible(self.cleaned_data["since"])

    def clean_until(self) -> date | None:
        return self._plausible(self.cleaned_data["until"])

    @staticmethod
    def _plausible(day: date | None) -> date | None:
        if day is not None and not EARLIEST <= day <= date.today() + timedelta(days=366):
            raise forms.ValidationError(f"{day:%Y-%m-%d} is not a date the trail can hold.")
        return day

    def clean(self) -> dict[str, Any]:
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        if since and until and since > until:  # neither end applies: the range is a typo
            self.add_error("until", "The end of the range is before its start.")
            self.add_error("since", "The range is not applied.")
        return self.cleaned_data

    def value(self, name: str) -> Any:
        """The field's cleaned value, or None (per page: its default) when missing or invalid."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return self.fields[name].empty_value if name == "per_page" else None

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """``entries`` narrowed by every valid filter (a range's days include both ends, in
        the site's time zone)."""
        lookups = {
            "account_slug": self.value("account") if "account" in self.fields else None,
            "user_id": self.value("user"),
            "object_type": self.value("object_type"),
            "object_id": self.value("object_id"),
            "action": self.value("action"),
        }
        entries = entries.filter(**{key: value for key, value in lookups.items() if value})
        zone = get_current_timezone()
        if since := self.value("since"):
            entries = entries.filter(at__gte=datetime.combine(since, time.min, zone))
        if until := self.value("until"):
            entries = entries.filter(
                at__lt=datetime.combine(until + timedelta(days=1), time.min, zone)
            )
        return entries

    def descriptions(self) -> list[str]:
        """The filters in use, in words, for the heading and the empty state."""
        found = []
        for name in ("account", "user", "object_type", "action"):
            if name in self.fields and (value := self.value(name)) is not None and value != "":
                shown = dict(self.fields[name].choices).get(value, value)
                found.append(f"{self.fields[name].label.lower()} {shown}")
        if object_id := self.value("object_id"):
            found.append(f"object id {object_id}")
        if since := self.value("since"):
            found.append(f"from {since:%Y-%m-%d}")
        if until := self.value("until"):
            found.append(f"to {until:%Y-%m-%d}")
        return found

    def problems(self) -> list[str]:
        """Each refused value in words, shown above the results (the filter is not applied)."""
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else message
            for name, messages in self.errors.items()
            for message in messages
        ]


def account_choices(user, readable: QuerySet[ConnectedAccount]) -> list[tuple[str, str]]:
    """The account filter's choices: the accounts whose trail ``user`` reads, and for a
    superuser also the disconnected accounts the trail still names."""
    choices = {account.slug: account.name for account in readable}
    if user.is_superuser:
        gone = AuditEntry.objects.filter(account__isnull=True).order_by("account_slug")
        for slug, name in gone.values_list("account_slug", "account_name").distinct():
            choices.setdefault(slug, f"{name} (disconnected)")
    return sorted(choices.items(), key=lambda item: item[1].lower())
