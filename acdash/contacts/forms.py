"""Forms of the contact list: its filters (read from the query string) and a new contact."""

# Annotations stay unevaluated: in ContactFilterForm, "list" is a field, not the builtin.
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from acdash.activecampaign.lists import ListStatus

PAGE_SIZES = (20, 50, 100)
STATUS_LABELS = {
    ListStatus.UNCONFIRMED: "Unconfirmed",
    ListStatus.ACTIVE: "Active",
    ListStatus.UNSUBSCRIBED: "Unsubscribed",
    ListStatus.BOUNCED: "Bounced",
}
# Filters applied as soon as they change; the search box has its own debounced trigger.
AUTO_APPLY = ("list", "tag", "status", "created_from", "created_to")
AUTO_APPLY += ("updated_from", "updated_to", "per_page")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ContactFilterForm(forms.Form):
    """The list's query string; each field is optional and an invalid one is ignored."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Name, email, phone or organization",
                "autocomplete": "off",
            }
        ),
    )
    list = forms.TypedChoiceField(label="List", required=False, coerce=int, empty_value=None)
    status = forms.TypedChoiceField(
        label="List status",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any status"), *((int(s), label) for s, label in STATUS_LABELS.items())],
    )
    tag = forms.TypedChoiceField(label="Tag", required=False, coerce=int, empty_value=None)
    created_from = _date_field("Created from")
    created_to = _date_field("Created to")
    updated_from = _date_field("Updated from")
    updated_to = _date_field("Updated to")
    per_page = forms.TypedChoiceField(
        label="Rows per page",
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    def __init__(
        self,
        data: Any,
        *,
        action: str,
        lists: list[tuple[int, str]],
        tags: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        self.fields["list"].choices = [("", "Any list"), *self._kept(lists, "list", "List")]
        self.fields["tag"].choices = [("", "Any tag"), *self._kept(tags, "tag", "Tag")]
        self.fields["q"].widget.attrs.update(
            {
                "hx-get": action,
                "hx-trigger": "input changed delay:300ms, search",
                "aria-controls": "contact-results",
            }
        )
        for name in AUTO_APPLY:
            self.fields[name].widget.attrs.update({"hx-get": action, "hx-trigger": "change"})

    def _kept(self, choices: list[tuple[int, str]], name: str, noun: str) -> list[tuple[int, str]]:
        """The choices, plus the requested one when the metadata did not list it (the API
        was down, or the account has more tags than are cached): a filter is never lost."""
        requested = self.data.get(name, "")
        if requested.isdigit() and int(requested) not in {key for key, _ in choices}:
            return [*choices, (int(requested), f"{noun} #{requested}")]
        return choices

    def value(self, name: str) -> Any:
        """The field's cleaned value, or its empty value when missing or invalid."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return self.fields[name].empty_value if name == "per_page" else None

    def api_filters(self) -> dict[str, Any]:
        """Keyword arguments of contacts.list_contacts. Date ranges include both ends: the
        API's ``*_before`` is exclusive, so it gets the day after."""
        status = self.value("status")
        return {
            "search": self.value("q") or "",
            "list_id": self.value("list"),
            "tag_id": self.value("tag"),
            "status": ListStatus(status) if status is not None else None,
            "created_after": self.value("created_from"),
            "created_before": _day_after(self.value("created_to")),
            "updated_after": self.value("updated_from"),
            "updated_before": _day_after(self.value("updated_to")),
        }

    def descriptions(self) -> list[str]:
        """The active filters in words, for the empty state."""
        found = []
        if q := self.value("q"):
            found.append(f"“{q}”")
        for name in ("list", "tag", "status"):
            if self.value(name) is not None:
                label = dict(self.fields[name].choices).get(self.value(name), "")
                found.append(f"{self.fields[name].label.lower()} {label}")
        for name in ("created_from", "created_to", "updated_from", "updated_to"):
            if self.value(name) is not None:
                found.append(f"{self.fields[name].label.lower()} {self.value(name):%Y-%m-%d}")
        return found


def _day_after(day: date | None) -> date | None:
    return day + timedelta(days=1) if day and day < date.max else None  # 9999-12-31: open


class ContactCreateForm(forms.Form):
    email = forms.EmailField(
        label="Email", max_length=255, widget=forms.EmailInput(attrs={"autofocus": True})
    )
    first_name = forms.CharField(label="First name", required=False, max_length=255)
    last_name = forms.CharField(label="Last name", required=False, max_length=255)
    phone = forms.CharField(
        label="Phone", required=False, max_length=50, widget=forms.TextInput(attrs={"type": "tel"})
    )
