"""Forms of the task screens: the list's filters (from the query string), a task's details
(create and edit) and completing one with an outcome. Choices come from the account's
metadata (task types, outcomes, users), so an unknown one is refused by its field."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms

from acdash.activecampaign.tasks import RelatedType, TaskOutcome, TaskSetup

PAGE_SIZES = (20, 50, 100)
DEFAULT_TIME = time(9, 0)
DATE_MESSAGE = "Enter a real date as YYYY-MM-DD (for example 2026-02-28)."
# Dates outside these years are typing mistakes (and the API's filters have no use for them).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2099, 12, 31)
# Filters applied as soon as they change.
AUTO_APPLY = ("status", "due", "due_from", "due_to", "assignee", "type", "deal", "contact")
AUTO_APPLY += ("per_page",)
# Filters always in view; the others are behind "More filters".
PRIMARY_FILTERS = ("status", "due")
# A form field per attribute the API names in a 422 (acdash.activecampaign.tasks).
API_FIELDS = {
    "ownerType": "related_type",
    "reltype": "related_type",
    "relid": "related_id",
    "dealTasktype": "task_type",
    "duedate": "due_date",
    "edate": "due_date",
    "assignee": "assignee",
    "title": "title",
    "note": "note",
    "outcomeId": "outcome",
    "outcomeInfo": "outcome_note",
}


def _in_range(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            "%(day)s is out of range: dates go from %(first)s to %(last)s.",
            params={"day": day, "first": FIRST_DAY, "last": LAST_DAY},
        )


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[_in_range],
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_MESSAGE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _id_choice(label: str, empty: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", empty)]
    )


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: the dashboard's days are UTC days."""
    return datetime.combine(day, time(0), tzinfo=UTC)


class TaskFilterForm(forms.Form):
    """The list's query string; every field optional, an invalid one shown and not applied."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open and complete"), ("open", "Open"), ("complete", "Complete")],
    )
    due = forms.ChoiceField(
        label="Due",
        required=False,
        choices=[("", "Any time"), ("today", "Due today"), ("overdue", "Overdue")],
    )
    due_from = _date_field("Due from")
    due_to = _date_field("Due to")
    assignee = _id_choice("Assignee", "Anyone")
    type = _id_choice("Task type", "Any type")
    deal = forms.IntegerField(label="Deal id", required=False, min_value=1, max_value=2**31)
    contact = forms.IntegerField(label="Contact id", required=False, min_value=1, max_value=2**31)
    per_page = forms.TypedChoiceField(
        label="Rows per page",
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    def __init__(
        self, data: Any, *, action: str, setup: TaskSetup | None, users: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        types = [(t.id, t.title) for t in setup.types] if setup else []
        self.fields["assignee"].choices += users
        self.fields["type"].choices += types
        for name in AUTO_APPLY:
            self.fields[name].widget.attrs.update({"hx-get": action, "hx-trigger": "change"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("deal") and data.get("contact"):
            self.add_error("contact", "Filter by a deal or by a contact, not both.")
        first, last = data.get("due_from"), data.get("due_to")
        if first and last and first > last:
            self.add_error("due_to", "The range ends before it starts.")
        return data

    def value(self, name: str) -> Any:
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return self.fields[name].empty_value if name == "per_page" else None

    def api_filters(self, now: datetime) -> dict[str, Any]:
        """Keyword arguments of tasks.list_tasks. The API's due bounds are exclusive."""
        after: list[datetime] = []
        before: list[datetime] = []
        status = self.value("status") or None
        today = day_start(now.astimezone(UTC).date())
        if self.value("due") == "today":
            after.append(today - timedelta(seconds=1))
            before.append(today + timedelta(days=1))
        elif self.value("due") == "overdue":
            status = "open"
            before.append(now)
        if first := self.value("due_from"):
            after.append(day_start(first) - timedelta(seconds=1))
        if last := self.value("due_to"):
            before.append(day_start(last) + timedelta(days=1))
        related = {}
        if self.value("deal"):
            related = {"related_type": RelatedType.DEAL, "related_id": self.value("deal")}
        elif self.value("contact"):
            related = {"related_type": RelatedType.CONTACT, "related_id": self.value("contact")}
        return {
            "done": {"open": False, "complete": True}.get(status or ""),
            "due_after": max(after) if after else None,
            "due_before": min(before) if before else None,
            "assignee_id": self.value("assignee"),
            "task_type_id": self.value("type"),
            **related,
        }

    def descriptions(self) -> list[str]:
        """The active filters in words, for the results' heading and empty state."""
        found = []
        for name in ("status", "due", "assignee", "type"):
            if self.value(name):
                found.append(str(dict(self.fields[name].choices).get(self.value(name), "")))
        for name in ("due_from", "due_to"):
            if self.value(name):
                found.append(f"{self.fields[name].label.lower()} {self.value(name):%Y-%m-%d}")
        for name in ("deal", "contact"):
            if self.value(name):
                found.append(f"{name} {self.value(name)}")
        return [text.lower() if text[:1].isupper() else text for text in found]


class TaskForm(forms.Form):
    """A task's details. Creating one also names what it belongs to (a deal or a contact)."""

    title = forms.CharField(label="Title", required=False, max_length=255)
    task_type = forms.TypedChoiceField(label="Task type", coerce=int)
    due_date = _date_field("Due date", required=True)
    due_time = forms.TimeField(
        label="Due time (UTC)",
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": "Enter a time as HH:MM (for example 14:30)."},
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    assignee = forms.TypedChoiceField(
        label="Assignee", required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label="Note", required=False, max_length=5000, widget=forms.Textarea)
    related_type = forms.ChoiceField(
        label="Belongs to",
        choices=[(RelatedType.DEAL.value, "Deal"), (RelatedType.CONTACT.value, "Contact")],
    )
    related_id = forms.IntegerField(label="Deal or contact id", min_value=1, max_value=2**31)

    def __init__(
        self,
        data: Any = None,
        *,
        setup: TaskSetup,
        users: list[tuple[int, str]],
        creating: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["task_type"].choices = [("", "Choose a type")] + [
            (t.id, t.title) for t in setup.types
        ]
        self.fields["assignee"].choices = [("", "Unassigned (the API user)"), *users]
        if not creating:  # what a task belongs to is set when it is created
            del self.fields["related_type"], self.fields["related_id"]

    def due(self) -> datetime:
        moment = self.cleaned_data.get("due_time") or DEFAULT_TIME
        return datetime.combine(self.cleaned_data["due_date"], moment, tzinfo=UTC)


class CompleteForm(forms.Form):
    """Completing a task: an outcome its type offers (when it offers any) and a note on it."""

    outcome = forms.TypedChoiceField(label="Outcome", coerce=int, required=False, empty_value=None)
    outcome_note = forms.CharField(
        label="Outcome note", required=False, max_length=5000, widget=forms.Textarea
    )

    def __init__(self, data: Any = None, *, outcomes: list[TaskOutcome]) -> None:
        super().__init__(data)
        self.offered = outcomes
        self.fields["outcome"].choices = [("", "No outcome")] + [(o.id, o.title) for o in outcomes]
        if not outcomes:
            del self.fields["outcome"]


class TaskTypeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=255)


class OutcomeForm(forms.Form):
    """An outcome and the task types that offer it (checked against the account's types)."""

    title = forms.CharField(label="Title", max_length=255)
    sentiment = forms.ChoiceField(
        label="Sentiment",
        choices=[("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
    )
    task_types = forms.TypedMultipleChoiceField(
        label="Offered for", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    disabled = forms.BooleanField(label="Disabled (no longer offered)", required=False)

    def __init__(self, data: Any = None, *, setup: TaskSetup, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["task_types"].choices = [(t.id, t.title) for t in setup.types]


class DeleteTypeForm(forms.Form):
    """Deleting a task type that has tasks: the type they move to first (the API requires)."""

    move_to = forms.TypedChoiceField(label="Move its tasks to", coerce=int)

    def __init__(self, data: Any = None, *, choices: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["move_to"].choices = choices
