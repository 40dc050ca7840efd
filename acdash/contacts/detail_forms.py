"""Forms of the contact page's inline editors.

Every editor carries what the page showed when it opened (``orig_*`` hidden inputs, in the
API's text form for custom fields) and the contact's version: the version detects a
concurrent change, the originals tell what changed and are the audit's "before".
"""

from datetime import datetime
from typing import Any

from django import forms

from acdash.activecampaign.contacts import Contact
from acdash.activecampaign.fields import Field, FieldPython, to_api, to_python

# The editable core attributes: form field -> label (the keys are Contact attributes and
# the names contacts.FORM_FIELDS maps the API's errors to).
CORE_FIELDS = {
    "email": "Email",
    "first_name": "First name",
    "last_name": "Last name",
    "phone": "Phone",
}
DATETIME_INPUT = "%Y-%m-%dT%H:%M:%S"
# The control that takes the focus when an editor opens (htmx swaps it in; app.js moves
# the focus to data-focus-after-swap).
FOCUS = {"autofocus": True, "data-focus-after-swap": True}
MAX_ID = 2**63 - 1  # ids are 64-bit integers in the API (and the sandbox's database)
NOT_A_TAG = "That is not a tag of this account: type the tag's name instead."
CHOICE_TYPES = frozenset({"dropdown", "radio", "multiselect", "checkbox", "listbox"})


def parse_version(text: str) -> datetime | None:
    """A version as the page sent it back ("" or garbage: None, so no check is made)."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


class QuietForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(QuietForm):
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def version_value(self) -> datetime | None:
        return parse_version(self.data.get("version", ""))


class CoreForm(VersionedForm):
    email = forms.EmailField(label="Email", max_length=255, widget=forms.EmailInput(attrs=FOCUS))
    first_name = forms.CharField(label="First name", max_length=255, required=False)
    last_name = forms.CharField(label="Last name", max_length=255, required=False)
    phone = forms.CharField(label="Phone", max_length=255, required=False)
    orig_email = forms.CharField(required=False, widget=forms.HiddenInput)
    orig_first_name = forms.CharField(required=False, widget=forms.HiddenInput)
    orig_last_name = forms.CharField(required=False, widget=forms.HiddenInput)
    orig_phone = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def opened(cls, values: dict[str, str], version: str) -> "CoreForm":
        """The editor as it opens on these values."""
        initial = {**values, **{f"orig_{k}": v for k, v in values.items()}, "version": version}
        return cls(initial=initial, auto_id="core_%s")

    def originals(self) -> dict[str, str]:
        return {name: self.data.get(f"orig_{name}", "") for name in CORE_FIELDS}

    def changes(self) -> dict[str, str]:
        """The submitted values (call after is_valid)."""
        return {name: self.cleaned_data[name] for name in CORE_FIELDS}


def core_values(contact: Contact) -> dict[str, str]:
    return {name: getattr(contact, name) for name in CORE_FIELDS}


def _choices(field: Field, held: FieldPython) -> list[tuple[str, str]]:
    """The field's options as the API's metadata has them, plus values ``held`` that are no
    longer options (so that what the contact holds survives an edit)."""
    choices = [(o.value, o.label) for o in field.options]
    known = {value for value, _ in choices}
    values = held if isinstance(held, list) else [held] if held else []
    return choices + [(v, f"{v} (not an option)") for v in values if v not in known]


def _value_field(field: Field, held: FieldPython) -> forms.Field:
    """The form field of a custom field's value: the right widget for its type."""
    label = f"{field.title} (hidden field)" if field.type == "hidden" else field.title
    common: dict[str, Any] = {"label": label, "required": field.required}
    if field.description:
        common["help_text"] = field.description
    if field.type in CHOICE_TYPES:
        title = field.title.replace("%", "%%")
        message = f"“%(value)s” is not an option of {title}: pick one of its options."
        common["error_messages"] = {"invalid_choice": message}
    match field.type:
        case "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=False, **common)
        case "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case "datetime":
            widget = forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": "1"}, format=DATETIME_INPUT
            )
            common["help_text"] = common.get("help_text") or "Time in UTC."
            return forms.DateTimeField(widget=widget, **common)
        case "dropdown" | "radio":
            choices = [("", "— none —"), *_choices(field, held)]
            return forms.ChoiceField(choices=choices, **common)
        case "multiselect" | "checkbox" | "listbox":
            common["help_text"] = common.get("help_text") or "Ctrl or ⌘ + click to pick several."
            return forms.MultipleChoiceField(
                choices=_choices(field, held),
                widget=forms.SelectMultiple(attrs={"size": min(8, max(3, len(field.options)))}),
                **common,
            )
        case "number":
            return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
        case _:  # text, hidden and types this form does not know
            return forms.CharField(strip=False, max_length=65535, **common)


class FieldValueForm(VersionedForm):
    """One custom field's value; ``orig`` is the value the page showed, in the API's text.

    The allowed options are the field's (``field`` comes from the API's metadata) plus the
    values ``held``, which only the server passes: what the API says the contact holds
    (an opening editor shows the page's value, but nothing posted widens the choices).
    """

    orig = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)

    def __init__(self, field: Field, *args: Any, held: FieldPython = None, **kwargs: Any):
        kwargs.setdefault("auto_id", f"cf{field.id}_%s")
        super().__init__(*args, **kwargs)
        self.custom_field = field
        self.fields["value"] = _value_field(field, held)
        self.fields["value"].widget.attrs.update(FOCUS)

    @classmethod
    def opened(cls, field: Field, value: FieldPython, version: str) -> "FieldValueForm":
        initial = {"value": value, "orig": to_api(field.type, value), "version": version}
        return cls(field, initial=initial, held=value)

    def original(self) -> FieldPython:
        return to_python(self.custom_field.type, self.data.get("orig") or None)

    def not_an_option(self) -> bool:
        """Whether the value was refused for not being one of the offered options."""
        return self.has_error("value", "invalid_choice")

    def posted(self) -> list[str]:
        """The option values as posted (whether or not they are options)."""
        return self.data.getlist("value")

    def clean_value(self) -> FieldPython:
        value = self.cleaned_data["value"]
        kind = self.custom_field.type
        if kind == "textarea":
            return value.replace("\r\n", "\n")  # browsers send CRLF
        if kind in {"date", "datetime"}:
            return value  # None clears
        if self.custom_field.multiple:
            return list(value)
        return value or ""


class NoteForm(QuietForm):
    text = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=65535, strip=True
    )
    orig_text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\r\n", "\n")


class TagForm(forms.Form):
    tag = forms.CharField(label="Add a tag", max_length=255, required=False)
    tag_id = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), NOT_A_TAG),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("tag_id"):
            self.add_error("tag", self.errors.pop("tag_id"))  # shown by the one input
        elif not data.get("tag_id") and not (data.get("tag") or "").strip():
            self.add_error("tag", "Type a tag name or pick a suggestion.")
        return data
