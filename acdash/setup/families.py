"""The three families of custom fields, as the setup pages show and change them.

Contact fields (``/fields``: options are records with ids, shown on the lists they are
related to) and deal and account fields (``/dealCustomFieldMeta``,
``/accountCustomFieldMeta``: options are a list of texts on the field) become one
``FieldView`` here, so the pages need not tell them apart except where the API differs.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from acdash.activecampaign import Client, customfields, fields, lists, metadata
from acdash.activecampaign.concurrency import gather

FAMILIES = {"contact": "Contact fields", "deal": "Deal fields", "account": "Account fields"}
TYPES = {
    "contact": fields.FIELD_TYPES,
    "deal": customfields.FIELD_TYPES,
    "account": customfields.FIELD_TYPES,
}
OPTION_TYPES = {
    "contact": fields.OPTION_TYPES,
    "deal": customfields.OPTION_TYPES,
    "account": customfields.OPTION_TYPES,
}
MULTI_TYPES = {
    "contact": fields.MULTI_TYPES,
    "deal": customfields.MULTI_TYPES,
    "account": customfields.MULTI_TYPES,
}


@dataclass(frozen=True)
class Option:
    key: str  # contact options: the option's id; the others: its position (from 0)
    value: str
    label: str
    order: int  # the API's orderid (contact options), else the position


@dataclass(frozen=True)
class FieldView:
    id: int
    family: str
    label: str
    type: str
    options: list[Option]
    default: Any  # typed like the field's values
    default_currency: str | None
    description: str
    required: bool
    visible: bool
    relations: list[fields.FieldRelation]  # contact fields: the lists it shows on

    @property
    def has_options(self) -> bool:
        return self.type in OPTION_TYPES[self.family]

    @property
    def default_text(self) -> str:
        """The default as a person types it (and the form shows it)."""
        value = self.default
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(value)
        if self.type == "currency" and isinstance(value, int):
            return f"{Decimal(value) / 100:.2f}"
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value)

    def list_ids(self) -> list[int]:
        return [relation.list_id for relation in self.relations]


def _contact_view(field: fields.Field, relations: list[fields.FieldRelation]) -> FieldView:
    return FieldView(
        id=field.id,
        family="contact",
        label=field.title,
        type=field.type,
        options=[Option(str(o.id), o.value, o.label, o.order) for o in field.options],
        default=field.default,
        default_currency=None,
        description=field.description,
        required=field.required,
        visible=field.visible,
        relations=relations,
    )


def _custom_view(field: customfields.CustomField) -> FieldView:
    return FieldView(
        id=field.id,
        family=field.owner,
        label=field.label,
        type=field.type,
        options=[Option(str(i), text, text, i) for i, text in enumerate(field.options)],
        default=field.default,
        default_currency=field.default_currency,
        description="",
        required=field.required,
        visible=field.form_visible,
        relations=[],
    )


def load_fields(client: Client, family: str, *, fresh: bool = False) -> list[FieldView]:
    """The family's fields in display order. Contact fields: the cached definitions and
    their list relations at once (1 call warm, 2 cold); the others: cached (0 calls warm).
    ``fresh`` reads the definitions from the API (before a write is checked against them)."""
    if family == "contact":
        if fresh:
            metadata.invalidate(client, fields.CACHE_NAME)
        found, relations = gather(
            lambda: fields.list_fields(client), lambda: fields.field_relations(client)
        )
        return [_contact_view(f, relations.get(f.id, [])) for f in found]
    if fresh:
        metadata.invalidate(client, customfields.cache_name(family))
    return [_custom_view(f) for f in customfields.list_custom_fields(client, family)]


def list_choices(client: Client) -> list[tuple[str, str]]:
    """The lists a contact field can be shown on (cached), "All lists" first."""
    named = [(str(lst.id), lst.name) for lst in lists.list_lists(client)]
    return [(str(fields.ALL_LISTS), "All lists"), *named]


# Defaults: typed from what a person types, checked against the field's type and options ----


class BadDefault(ValueError):
    pass


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise BadDefault("Give the time zone too, e.g. 2026-05-19T09:30:00+02:00.")
    return moment


def typed_default(family: str, field_type: str, text: str, options: list[str]) -> Any:
    """The default for the API's write (contact fields: its text; the others: typed as
    ``customfields.to_api`` takes it); BadDefault with the reason otherwise."""
    text = text.strip()
    multi = field_type in MULTI_TYPES[family]
    if not text:
        return "" if family == "contact" else ([] if multi else None)
    try:
        if field_type in OPTION_TYPES[family]:
            chosen = [part.strip() for part in text.split(",")] if multi else [text]
            unknown = [c for c in chosen if c not in options]
            if unknown:
                raise BadDefault(f"Not an option of this field: {', '.join(unknown)}.")
            if not multi:
                return text
            return fields.to_api(field_type, chosen) if family == "contact" else chosen
        if field_type == "date":
            typed: Any = date.fromisoformat(text)
        elif field_type == "datetime":
            typed = _aware(text)
        elif field_type == "number" and family != "contact":
            typed = Decimal(text)
        elif field_type == "currency" and family != "contact":
            typed = int((Decimal(text) * 100).to_integral_value())
        else:
            return text
    except (ValueError, InvalidOperation) as exc:
        if isinstance(exc, BadDefault):
            raise
        raise BadDefault(f"Not a valid default for a {field_type} field: {text}.") from exc
    return fields.to_api(field_type, typed) if family == "contact" else typed
