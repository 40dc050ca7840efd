"""Forms of the contact list: its filters (read from the query string) and a new contact."""

# Annotations stay unevaluated: in ContactFilterForm, "list" is a field, not the builtin.
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from acdash.activecampaign.lists import ListStatus

PAGE_SIZES = (20, 50, 100)
STATUS_LABELS = {
    ListStatus.UNCONFIRMED: "Unconfirmed",
    ListStatus.ACTIVE: "Active",
    ListStatus.UNSUBSCRIBED: "Unsubscribed",
    ListStatus.BOUNCED: "Bounced",
}
# Filters applied as soon as they change; the search box has its own debounced trigger.
AUTO_APPLY = ("list", "tag", "status", "created", "updated", "per_page")
# The filters behind the "Filters" disclosure (all but the search box).
DISCLOSED = ("list", "tag", "status", "created", "updated")
# Dates outside these years are typing mistakes, and the API's filters have no use for them.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2099, 12, 31)
RANGE_SEPARATORS = ("..", "–", "—", " to ", " - ")
RANGE_HELP = "A day, or a range such as 2024-01-01..2024-03-31; leave an end out for no limit."


@dataclass(frozen=True)
class DateRange:
    """Both ends included; None where the range is open."""

    first: date | None
    last: date | None

    def __str__(self) -> str:
        if self.first == self.last:
            return f"{self.first:%Y-%m-%d}"
        return "..".join(f"{d:%Y-%m-%d}" if d else "" for d in (self.first, self.last))


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise forms.ValidationError(
            "“%(text)s” is not a date: write it as YYYY-MM-DD.", params={"text": text}
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            "%(day)s is out of range: dates go from %(first)s to %(last)s.",
            params={"day": text, "first": FIRST_DAY, "last": LAST_DAY},
        )
    return day


class QuickSelect(forms.Select):
    """A select built in Python, option by option from the choices (no option dicts, no
    template): the template renderer costs an include per option, which with an account's
    tags was most of the page's form time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen, found = self.format_value(value), False
        options = []
        for option, label in self._flat_choices():
            selected = not found and str(option) in chosen  # the first match, as Django's
            found |= selected
            options.append(
                f'<option value="{escape(str(option))}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )
        return mark_safe(  # every value is escaped (flatatt escapes the attributes)
            f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>\n  '
            + "\n  ".join(options)
            + "\n</select>"
        )

    def _flat_choices(self) -> Iterator[tuple[Any, Any]]:
        """Every (value, label), a group's options in its place (``optgroups`` order)."""
        for option, label in self.choices:
            if isinstance(label, list | tuple):
                yield from label
            else:
                yield "" if option is None else option, label


class DateRangeField(forms.Field):
    """One text box per date range (one Tab stop instead of two date pickers' six)."""

    def __init__(self, label: str) -> None:
        widget = forms.TextInput(
            attrs={"placeholder": "YYYY-MM-DD..YYYY-MM-DD", "inputmode": "numeric"}
        )
        super().__init__(label=label, required=False, widget=widget, help_text=RANGE_HELP)

    def to_python(self, value: Any) -> DateRange | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 40:
            raise forms.ValidationError("write a day or a range of two days, YYYY-MM-DD.")
        first = last = text
        for separator in RANGE_SEPARATORS:
            if separator in text:
                first, last = (part.strip() for part in text.split(separator, 1))
                break
        found = DateRange(_day(first), _day(last))
        if found.first and found.last and found.first > found.last:
            raise forms.ValidationError("the range ends before it starts.")
        return found if found.first or found.last else None


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
    list = forms.TypedChoiceField(
        label="List",
        widget=QuickSelect,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "there is no list “%(value)s”."},
    )
    status = forms.TypedChoiceField(
        label="List status",
        widget=QuickSelect,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any status"), *((int(s), label) for s, label in STATUS_LABELS.items())],
        error_messages={"invalid_choice": "there is no status “%(value)s”."},
    )
    tag = forms.TypedChoiceField(
        label="Tag",
        widget=QuickSelect,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "there is no tag “%(value)s”."},
    )
    created = DateRangeField("Created")
    updated = DateRangeField("Updated")
    per_page = forms.TypedChoiceField(
        label="Rows per page",
        widget=QuickSelect,
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, str(n)) for n in PAGE_SIZES],
        error_messages={
            "invalid_choice": f"choose 20, 50 or 100 (showing {PAGE_SIZES[0]} rows).",
        },
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        action: str,
        lists: list[tuple[int, str]],
        tags: list[tuple[int, str]],
    ) -> None:
        super().__init__(_with_ranges(data))
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
        wellformed = requested.isascii() and requested.isdigit() and len(requested) <= 12
        if wellformed and int(requested) not in {key for key, _ in choices}:
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
        created, updated = self.value("created"), self.value("updated")
        return {
            "search": self.value("q") or "",
            "list_id": self.value("list"),
            "tag_id": self.value("tag"),
            "status": ListStatus(status) if status is not None else None,
            "created_after": created and created.first,
            "created_before": created and _day_after(created.last),
            "updated_after": updated and updated.first,
            "updated_before": updated and _day_after(updated.last),
        }

    def descriptions(self) -> list[str]:
        """The active filters in words, for the results' heading and the empty state."""
        found = []
        if q := self.value("q"):
            found.append(f"“{q}”")
        for name in ("list", "tag", "status"):
            if self.value(name) is not None:
                label = dict(self.fields[name].choices).get(self.value(name), "")
                found.append(f"{self.fields[name].label.lower()} {label}")
        for name in ("created", "updated"):
            if (value := self.value(name)) is not None:
                found.append(f"{self.fields[name].label.lower()} {value}")
        return found

    def disclosed_active(self) -> int:
        """How many filters behind the disclosure are applied (its summary says so)."""
        return sum(self.value(name) is not None for name in DISCLOSED)

    def problems(self) -> list[str]:
        """Each refused value in words: the list shows them above the results."""
        return [
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]


# What a list's URL may hold: the filters, the sort and the page (``contact_list_url``).
LIST_PARAMETERS = (*ContactFilterForm.base_fields, "created_from", "created_to")
LIST_PARAMETERS += ("updated_from", "updated_to", "sort", "page")


def _with_ranges(data: QueryDict) -> QueryDict:
    """Links made before ranges were one box (``created_from``/``created_to``) still work."""
    old = [f"{name}_{end}" for name in ("created", "updated") for end in ("from", "to")]
    if not any(key in data for key in old):
        return data
    data = data.copy()
    for name in ("created", "updated"):
        first, last = data.pop(f"{name}_from", [""])[-1], data.pop(f"{name}_to", [""])[-1]
        if (first or last) and not data.get(name):
            data[name] = f"{first}..{last}"
    return data


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
