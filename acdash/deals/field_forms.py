"""The form of one deal custom field's value: the right widget per field type, values
checked against the field's definition from the API (options, type), amounts in cents."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from acdash.activecampaign.customfields import CustomField, CustomFieldPython, to_python

from .forms import ISO_CURRENCIES, MoneyField, cents_text

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
FOCUS = {"autofocus": True, "data-focus-after-swap": True}


def shown(field: CustomField, value: CustomFieldPython, currency: str | None = None) -> str:
    """A value as the page shows it ("" when unset)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if field.type == "currency" and isinstance(value, int):
        return f"{(currency or field.default_currency or '').upper()} {cents_text(value)}".strip()
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _choices(field: CustomField, held: CustomFieldPython) -> list[tuple[str, str]]:
    """The field's options, plus what the deal holds that is no longer one (kept on edit)."""
    choices = [(o, o) for o in field.options]
    values = held if isinstance(held, list) else [held] if held else []
    return choices + [(v, f"{v} (not an option)") for v in values if v not in field.options]


class DealFieldForm(forms.Form):
    """``value`` typed for the field; currency fields also take ``currency``."""

    def __init__(
        self, field: CustomField, *args: Any, held: CustomFieldPython = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"df{field.id}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.custom_field = field
        self.fields["value"] = self._value_field(field, held)
        self.fields["value"].widget.attrs.update(FOCUS)
        if field.type == "currency":
            self.fields["currency"] = forms.CharField(
                label="Currency",
                max_length=3,
                required=False,
                help_text=f"Default {field.default_currency or 'USD'}.",
            )

    @staticmethod
    def _value_field(field: CustomField, held: CustomFieldPython) -> forms.Field:
        common: dict[str, Any] = {"label": field.label, "required": field.required}
        title = field.label.replace("%", "%%")
        invalid = {"invalid_choice": f"“%(value)s” is not an option of {title}: pick one."}
        match field.type:
            case "textarea":
                return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
            case "date":
                return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            case "datetime":
                widget = forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format=DATETIME_INPUT
                )
                return forms.DateTimeField(widget=widget, help_text="Time in UTC.", **common)
            case "dropdown" | "radio":
                choices = [("", "— none —"), *_choices(field, held)]
                return forms.ChoiceField(choices=choices, error_messages=invalid, **common)
            case "multiselect" | "checkbox":
                return forms.MultipleChoiceField(
                    choices=_choices(field, held),
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=invalid,
                    **common,
                )
            case "number":
                return forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            case "currency":
                return MoneyField(help_text="An amount, e.g. 1,234.50.", **common)
            case _:
                return forms.CharField(max_length=65535, **common)

    @classmethod
    def opened(
        cls, field: CustomField, value: CustomFieldPython, currency: str | None
    ) -> "DealFieldForm":
        if field.type == "currency":
            initial: dict[str, Any] = {
                "value": cents_text(value) if isinstance(value, int) else "",
                "currency": currency or field.default_currency or "",
            }
        elif field.type == "number":
            initial = {"value": "" if value is None else str(value)}
        else:
            initial = {"value": value}
        return cls(field, initial=initial, held=value)

    def clean_value(self) -> CustomFieldPython:
        value = self.cleaned_data["value"]
        kind = self.custom_field.type
        if kind == "number":
            text = str(value or "").strip().replace(",", "")
            if not text:
                return None
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise forms.ValidationError(
                    "“%(text)s” is not a number.", params={"text": text[:40]}
                ) from None
            if not number.is_finite():
                raise forms.ValidationError("Enter a finite number.")
            return number
        if kind == "datetime" and value is not None:
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value
        if kind in {"date", "datetime", "currency"}:
            return value
        if self.custom_field.multiple:
            return list(value)
        if kind == "textarea":
            return value.replace("\r\n", "\n")
        return value or ""

    def clean_currency(self) -> str | None:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if code and code not in ISO_CURRENCIES:
            raise forms.ValidationError("“%(code)s” is not a currency code.", params={"code": code})
        return code or None

    def unset(self) -> CustomFieldPython:
        return to_python(self.custom_field.type, None)
