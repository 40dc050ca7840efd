"""The overview's filters (read from the query string) and the form that saves a view."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict

from .models import SavedView

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
HEALTH_CHOICES = [("", "Any"), ("ok", "OK"), ("error", "Failing"), ("unknown", "Not checked")]
MAX_SAVED_VIEWS = 50


class OverviewFilterForm(forms.Form):
    """Bound to request.GET. An invalid value is named (``problems``) and not applied."""

    q = forms.CharField(
        label="Find an account", required=False, max_length=100, strip=True,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or slug",
                                      "autocomplete": "off"}),
    )  # fmt: skip
    health = forms.ChoiceField(label="Health", choices=HEALTH_CHOICES, required=False)
    overdue = forms.BooleanField(label="Has overdue tasks", required=False)
    # Not "errors": a template reads form.errors, which a field of that name would hide.
    has_error = forms.BooleanField(label="Has an error on record", required=False)
    per_page = forms.TypedChoiceField(
        label="Per page", coerce=int, required=False, empty_value=DEFAULT_PAGE_SIZE,
        choices=[(size, str(size)) for size in PAGE_SIZES],
    )  # fmt: skip

    def __init__(self, data: QueryDict, **kwargs) -> None:
        if "per_page" not in data:  # so that the menu shows the default, not its first size
            data = data.copy()
            data["per_page"] = str(DEFAULT_PAGE_SIZE)
        super().__init__(data, **kwargs)
        self.is_valid()

    def value(self, name: str):
        """The cleaned value, or the field's empty value when what was sent is invalid."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return DEFAULT_PAGE_SIZE if name == "per_page" else self.fields[name].to_python("")

    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {' '.join(messages)} It is not applied."
            for name, messages in self.errors.items()
        ]

    def apply(self, accounts: QuerySet) -> QuerySet:
        """The accounts matching the valid filters (``accounts`` carries the ``health``
        annotation of tables.with_sort_keys)."""
        if text := self.value("q"):
            accounts = accounts.filter(Q(name__icontains=text) | Q(slug__icontains=text))
        if health := self.value("health"):
            accounts = accounts.filter(health=health)
        if self.value("overdue"):
            accounts = accounts.filter(figures__overdue_tasks__gt=0)
        if self.value("has_error"):
            accounts = accounts.exclude(last_error="")
        return accounts

    def active_count(self) -> int:
        """How many of the filters behind the Filters disclosure are on."""
        return sum(1 for name in ("health", "overdue", "has_error") if self.value(name))

    def described(self) -> list[str]:
        """What the valid filters select, for the results' heading."""
        said = []
        if text := self.value("q"):
            said.append(f"“{text}”")
        if health := self.value("health"):
            said.append(f"health {dict(HEALTH_CHOICES)[health]}")
        if self.value("overdue"):
            said.append("overdue tasks")
        if self.value("has_error"):
            said.append("an error on record")
        return said

    def query(self, sort: str = "") -> str:
        """The canonical query string of the valid, non-default values: what the address bar
        shows and what a saved view keeps."""
        pairs = [(name, self.value(name)) for name in ("q", "health") if self.value(name)]
        pairs += [(name, "1") for name in ("overdue", "has_error") if self.value(name)]
        if self.value("per_page") != DEFAULT_PAGE_SIZE:
            pairs.append(("per_page", self.value("per_page")))
        if sort:
            pairs.append(("sort", sort))
        return urlencode(pairs)


class SavedViewForm(forms.Form):
    """A name for the current view, unique among the user's views."""

    name = forms.CharField(label="Save this view as", max_length=60, strip=True)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())  # no tabs, newlines or runs
        if any(not c.isprintable() for c in name):
            raise forms.ValidationError("A name can only hold printable characters.")
        views = SavedView.objects.filter(user=self.user)
        if views.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                "You already have a view named “%(name)s”: choose another name, or delete "
                "that view first.",
                params={"name": name},
            )
        if views.count() >= MAX_SAVED_VIEWS:
            raise forms.ValidationError(
                "You have %(n)s saved views, the most there can be: delete one first.",
                params={"n": MAX_SAVED_VIEWS},
            )
        return name
