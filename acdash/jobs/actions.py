"""The bulk actions, as one table (``ACTIONS``): what the selection toolbar offers and what
the preview page (acdash/jobs/new.py) runs.

Each action has a Django form for its parameters, whose choices come from the account's
metadata (fields, tags, lists, stages, users, outcomes), so what the browser sends is checked
against the API, never trusted; the cleaned form builds the contract's target: the values
every selected record should hold.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from acdash.activecampaign import Client, contacts, customfields, fields, lists, tags, users
from acdash.activecampaign import tasks as task_api
from acdash.activecampaign.pipelines import list_pipelines
from acdash.deals.forms import parse_money, stage_choices

from .contract import Target
from .kinds.deal import field_text as deal_field_text
from .kinds.task import due_text

NEW_TAG = 2**31 - 1  # a preview's tag id while the tag is only created on confirm (none has it)
CORE_FIELDS = {"email": "Email", "firstName": "First name", "lastName": "Last name"}
CORE_FIELDS |= {"phone": "Phone"}
MAX_TEXT = 5000


def _id_choice(label: str, choices: list[tuple[Any, str]], **kwargs: Any) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "— choose —"), *choices],
        error_messages={"invalid_choice": "That is not one of this account's choices: pick one."},
        **kwargs,
    )


class ActionForm(forms.Form):
    """An action's parameters. ``target`` after ``is_valid``; ``confirm`` on the confirming
    POST, which may first create what the target names (a new tag)."""

    def __init__(self, data: Any, *, client: Client) -> None:
        super().__init__(data, auto_id="param_%s", label_suffix="")
        self.client = client
        self.setup()

    def setup(self) -> None:
        """Fill the choices from the account's metadata (cached)."""

    def target(self) -> Target:
        return {"exists": False}

    def notes(self) -> list[str]:
        """What the preview must say beyond the plan (a tag that confirming creates)."""
        return []

    def describe(self, key: str, value: Any) -> str | None:
        """Words for a target key the kinds cannot describe yet (a tag not created)."""
        return None

    def confirm(self) -> Target:
        return self.target()

    created: tuple[str, Any] | None = None  # what ``confirm`` created, to audit: ("tag", tag)


def typed_value(field_type: str, text: str, options: list[str], multiple: bool) -> Any:
    """The value typed for a field of ``field_type``, checked as the API would check it:
    options among the field's, dates and times real, numbers numbers."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise forms.ValidationError(f"Write at most {MAX_TEXT} characters.")
    if multiple:
        parts = text.strip("|").split("||") if "||" in text else text.split(",")
        chosen = [part.strip() for part in parts if part.strip()]
        unknown = [part for part in chosen if part not in options]
        if unknown or not chosen:
            raise forms.ValidationError(
                "Choose among the field's options, separated by commas: %(options)s.",
                params={"options": ", ".join(options)},
            )
        return chosen
    if options:
        if text not in options:
            raise forms.ValidationError(
                "“%(text)s” is not one of the field's options: %(options)s.",
                params={"text": text[:40], "options": ", ".join(options)},
            )
        return text
    if field_type == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("Write the date as YYYY-MM-DD.") from None
    if field_type == "datetime":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("Write the date and time as YYYY-MM-DD HH:MM.") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if field_type == "number":
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise forms.ValidationError(f"“{text[:40]}” is not a number.") from None
        if not number.is_finite() or abs(number) >= 10**15:
            raise forms.ValidationError("Write a number below a million billion.")
        return number
    if field_type == "currency":
        return parse_money(text)
    return text


# Contacts ---------------------------------------------------------------------------------


class ContactFieldForm(ActionForm):
    field = _id_choice("Custom field", [])
    value = forms.CharField(label="Value", required=False, max_length=MAX_TEXT)
    clearing = False

    def setup(self) -> None:
        self.by_id = {f.id: f for f in fields.list_fields(self.client)}
        self.fields["field"].choices = [("", "— choose —")] + [
            (f.id, f.title) for f in self.by_id.values()
        ]
        if self.clearing:
            del self.fields["value"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        field = self.by_id.get(data.get("field") or 0)
        if field is None or self.clearing:
            return data
        if not data.get("value", "").strip():
            self.add_error("value", "Enter the value (to empty the field, use “Clear a field”).")
            return data
        try:
            options = [o.value for o in field.options]
            typed = typed_value(field.type, data["value"], options, field.multiple)
            data["text"] = fields.to_api(field.type, typed)
        except forms.ValidationError as exc:
            self.add_error("value", exc)
        return data

    def target(self) -> Target:
        data = self.cleaned_data
        return {f"field:{data['field']}": "" if self.clearing else data["text"]}


class ContactClearFieldForm(ContactFieldForm):
    clearing = True


class CoreFieldForm(ActionForm):
    name = forms.ChoiceField(label="Field", choices=[("", "— choose —"), *CORE_FIELDS.items()])
    value = forms.CharField(label="Value", required=False, max_length=255)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        value = data.get("value", "").strip()
        if data.get("name") == "email" and not contacts.EMAIL.match(value):
            self.add_error("value", "Enter an email address, like name@example.com.")
        data["value"] = value
        return data

    def target(self) -> Target:
        return {self.cleaned_data["name"]: self.cleaned_data["value"]}


class TagForm(ActionForm):
    tag = forms.CharField(label="Tag", max_length=255)
    adding = True

    def clean_tag(self) -> str:
        name = self.cleaned_data["tag"].strip()
        if not name:
            raise forms.ValidationError("Enter a tag's name.")
        self.found = tags.find_tag(self.client, name)
        if self.found is None and not self.adding:
            raise forms.ValidationError("There is no tag “%(name)s”.", params={"name": name})
        return self.found.name if self.found else name

    def target(self) -> Target:
        tag_id = self.found.id if self.found else NEW_TAG
        return {f"tag:{tag_id}": self.adding}

    def notes(self) -> list[str]:
        if self.found:
            return []
        return [f"There is no tag “{self.cleaned_data['tag']}” yet: confirming creates it."]

    def describe(self, key: str, value: Any) -> str | None:
        if self.found or key != f"tag:{NEW_TAG}":
            return None
        return f"{'' if value else 'not '}tagged {self.cleaned_data['tag']}"

    def confirm(self) -> Target:
        name = self.cleaned_data["tag"]
        if self.found is None:
            self.found = tags.find_tag(self.client, name)
        if self.found is None:  # still none since the preview: create it
            self.found = tags.create_tag(self.client, name)
            self.created = ("tag", self.found)
        return self.target()


class UntagForm(TagForm):
    adding = False


class ListForm(ActionForm):
    list = _id_choice("List", [])
    status = int(lists.ListStatus.ACTIVE)

    def setup(self) -> None:
        named = [(item.id, item.name) for item in lists.list_lists(self.client)]
        self.fields["list"].choices = [("", "— choose —"), *named]

    def target(self) -> Target:
        return {f"list:{self.cleaned_data['list']}": self.status}


class UnsubscribeForm(ListForm):
    status = int(lists.ListStatus.UNSUBSCRIBED)


# Deals ------------------------------------------------------------------------------------


class StageForm(ActionForm):
    stage = _id_choice("Pipeline and stage", [])

    def setup(self) -> None:
        self.fields["stage"].choices = [
            ("", "— choose —"),
            *stage_choices(list_pipelines(self.client)),
        ]

    def target(self) -> Target:
        return {"stage": self.cleaned_data["stage"]}


class OwnerForm(ActionForm):
    owner = _id_choice("Owner", [])
    key = "owner"

    def setup(self) -> None:
        people = [(u.id, u.name) for u in users.list_users(self.client)]
        self.fields["owner"].choices = [("", "— choose —"), *people]

    def target(self) -> Target:
        return {self.key: self.cleaned_data["owner"]}


class DealStatusForm(ActionForm):
    status = _id_choice("Status", [(1, "Won"), (2, "Lost")])

    def target(self) -> Target:
        return {"status": self.cleaned_data["status"]}


class DealFieldForm(ActionForm):
    field = _id_choice("Deal field", [])
    value = forms.CharField(label="Value", required=False, max_length=MAX_TEXT)

    def setup(self) -> None:
        self.by_id = customfields.custom_fields_by_id(self.client, "deal")
        self.fields["field"].choices = [("", "— choose —")] + [
            (f.id, f.label) for f in self.by_id.values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        field = self.by_id.get(data.get("field") or 0)
        if field is None:
            return data
        text = data.get("value", "")
        try:
            typed = typed_value(field.type, text, field.options, field.multiple) if text else None
        except forms.ValidationError as exc:
            self.add_error("value", exc)
            return data
        data["text"] = deal_field_text(field, typed)
        return data

    def target(self) -> Target:
        return {f"field:{self.cleaned_data['field']}": self.cleaned_data["text"]}


# Tasks ------------------------------------------------------------------------------------


class CompleteForm(ActionForm):
    outcome = _id_choice("Outcome", [], required=False, empty_value=None)

    def setup(self) -> None:
        offered = [(o.id, o.title) for o in task_api.task_setup(self.client).outcomes]
        self.fields["outcome"].choices = [("", "No outcome"), *offered]
        self.fields["outcome"].help_text = "Tasks whose type does not offer it will fail."
        self.disabled = {o.id for o in task_api.task_setup(self.client).outcomes if o.disabled}

    def clean_outcome(self) -> int | None:
        outcome = self.cleaned_data["outcome"]
        if outcome in self.disabled:
            raise forms.ValidationError("That outcome is disabled: pick another.")
        return outcome

    def target(self) -> Target:
        outcome = self.cleaned_data.get("outcome")
        return {"status": 1} | ({"outcome": outcome} if outcome else {})


class AssigneeForm(OwnerForm):
    key = "assignee"

    def setup(self) -> None:
        super().setup()
        self.fields["owner"].label = "Assign to"


class DueForm(ActionForm):
    due_date = forms.DateField(
        label="Due date",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date as YYYY-MM-DD."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_time = forms.TimeField(
        label="Due time (UTC)",
        required=False,
        input_formats=["%H:%M"],
        error_messages={"invalid": "Enter a time as HH:MM."},
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean_due_date(self) -> date:
        day = self.cleaned_data["due_date"]
        if not date(1970, 1, 1) <= day <= date(2099, 12, 31):
            raise forms.ValidationError("Dates go from 1970-01-01 to 2099-12-31.")
        return day

    def target(self) -> Target:
        moment = self.cleaned_data.get("due_time") or time(9, 0)
        return {"duedate": due_text(datetime.combine(self.cleaned_data["due_date"], moment, UTC))}


# The table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    key: str  # what the toolbar sends as ``action``
    label: str  # what the picker shows: "Add a tag"
    object_type: str
    form: Callable[..., ActionForm]
    destructive: bool = False


ACTIONS = (
    Action("set_field", "Set a custom field", "contact", ContactFieldForm),
    Action("clear_field", "Clear a custom field", "contact", ContactClearFieldForm),
    Action("set_core", "Set name, email or phone", "contact", CoreFieldForm),
    Action("add_tag", "Add a tag", "contact", TagForm),
    Action("remove_tag", "Remove a tag", "contact", UntagForm),
    Action("subscribe", "Subscribe to a list", "contact", ListForm),
    Action("unsubscribe", "Unsubscribe from a list", "contact", UnsubscribeForm),
    Action("delete", "Delete", "contact", ActionForm, destructive=True),
    Action("move_stage", "Move to a stage", "deal", StageForm),
    Action("change_owner", "Change owner", "deal", OwnerForm),
    Action("set_status", "Mark won or lost", "deal", DealStatusForm),
    Action("set_field", "Set a deal field", "deal", DealFieldForm),
    Action("delete", "Delete", "deal", ActionForm, destructive=True),
    Action("complete", "Complete", "task", CompleteForm),
    Action("reassign", "Reassign", "task", AssigneeForm),
    Action("change_due", "Change due date", "task", DueForm),
    Action("delete", "Delete", "task", ActionForm, destructive=True),
)
BY_KEY = {(a.object_type, a.key): a for a in ACTIONS}


def actions_for(object_type: str) -> list[Action]:
    return [a for a in ACTIONS if a.object_type == object_type]


def find_action(object_type: str, key: str) -> Action | None:
    return BY_KEY.get((object_type, key))
