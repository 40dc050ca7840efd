"""The forms of the custom field pages: a new field, a field's attributes, its options.

Everything is checked on the server against the field's type and options as the API holds
them (``families.load_fields(fresh=True)``), never against what the browser sent."""

from typing import Any

from django import forms

from .families import OPTION_TYPES, TYPES, BadDefault, FieldView, typed_default

MAX_OPTIONS = 200
CURRENCY_HELP = "Three letters, e.g. usd or eur."


def _parsed_options(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _option_errors(family: str, options: list[str]) -> list[str]:
    errors = []
    if len({o.lower() for o in options}) != len(options):
        errors.append("Each option must be different.")
    if len(options) > MAX_OPTIONS:
        errors.append(f"At most {MAX_OPTIONS} options.")
    if family == "contact" and any("||" in o for o in options):
        errors.append("An option cannot contain “||”.")
    if any(len(o) > 255 for o in options):
        errors.append("An option has at most 255 characters.")
    return errors


class _FieldAttributes(forms.Form):
    label = forms.CharField(max_length=255)
    default = forms.CharField(max_length=1000, required=False, label="Default value")
    default_currency = forms.RegexField(
        regex=r"^[A-Za-z]{3}$", required=False, label="Default currency", help_text=CURRENCY_HELP
    )
    description = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(required=False)
    visible = forms.BooleanField(required=False, label="Visible (on forms)", initial=True)
    lists = forms.MultipleChoiceField(
        required=False, label="Shown on lists", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, family: str, list_choices: list[tuple[str, str]], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.family = family
        if family == "contact":
            del self.fields["default_currency"]
            self.fields["lists"].choices = list_choices
        else:
            del self.fields["description"], self.fields["lists"]

    def clean_label(self) -> str:
        return self.cleaned_data["label"].strip()

    def check_default(self, field_type: str, options: list[str]) -> None:
        """``typed_default`` in cleaned_data, or an error by the default."""
        try:
            self.cleaned_data["typed_default"] = typed_default(
                self.family, field_type, self.cleaned_data.get("default", ""), options
            )
        except BadDefault as exc:
            self.add_error("default", str(exc))

    def list_ids(self) -> list[int]:
        return sorted({int(v) for v in self.cleaned_data.get("lists") or []})


class NewFieldForm(_FieldAttributes):
    field_type = forms.ChoiceField(label="Type")
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Choice fields: one option per line.",
    )
    field_order = ["label", "field_type", "options", "default", "default_currency"]

    def __init__(self, family: str, list_choices: list[tuple[str, str]], *args: Any, **kwargs: Any):
        super().__init__(family, list_choices, *args, **kwargs)
        self.fields["field_type"].choices = [(t, t) for t in TYPES[family]]
        if family == "contact":
            self.fields["lists"].initial = ["0"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        field_type = data.get("field_type")
        if not field_type:
            return data
        options = _parsed_options(data.get("options", ""))
        if field_type in OPTION_TYPES[self.family]:
            if not options:
                self.add_error("options", f"A {field_type} field needs at least one option.")
            for error in _option_errors(self.family, options):
                self.add_error("options", error)
        elif options:
            self.add_error("options", f"A {field_type} field has no options.")
        data["option_list"] = options
        self.check_default(field_type, options)
        return data


class EditFieldForm(_FieldAttributes):
    def __init__(
        self, field: FieldView, list_choices: list[tuple[str, str]], *args: Any, **kwargs: Any
    ):
        initial = {
            "label": field.label,
            "default": field.default_text,
            "default_currency": (field.default_currency or "").lower(),
            "description": field.description,
            "required": field.required,
            "visible": field.visible,
            "lists": [str(i) for i in field.list_ids()],
        }
        super().__init__(field.family, list_choices, *args, initial=initial, **kwargs)
        self.field = field
        if field.type != "currency" and "default_currency" in self.fields:
            del self.fields["default_currency"]


class OptionForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    value = forms.CharField(max_length=255, required=False, label="Option")
    label = forms.CharField(max_length=255, required=False, label="Label")
    order = forms.IntegerField(required=False, min_value=0, max_value=10_000, label="Order")
    remove = forms.BooleanField(required=False)


OptionFormSet = forms.formset_factory(
    OptionForm, extra=3, max_num=MAX_OPTIONS, absolute_max=MAX_OPTIONS + 3
)


def option_formset(field: FieldView, data: Any = None) -> forms.BaseFormSet:
    initial = [
        {"key": o.key, "value": o.value, "label": o.label, "order": position}
        for position, o in enumerate(field.options, start=1)
    ]
    formset = OptionFormSet(data, initial=initial, prefix="options")
    if field.family != "contact":
        for form in formset.forms:
            del form.fields["label"]
    return formset
