"""Deal and account custom fields: their definitions ("meta", cached); values of deal fields
are read and written in ``dealfieldvalues``.

The two families share one API shape under different names (``/dealCustomFieldMeta`` and
``/accountCustomFieldMeta``), so the meta functions take the ``owner``: "deal" or "account".

Values convert between Python and the API in one place, ``to_python`` / ``to_api``:

==============================  ==================================  ===========================
field type                      Python                              API
==============================  ==================================  ===========================
text, textarea, hidden          ``str`` ("" when unset)             as is
dropdown, radio                 ``str`` ("" when unset)             as is
multiselect, checkbox           ``list[str]`` ([] when unset)       JSON array of strings
number                          ``Decimal`` (None when unset)       ``"100.99"``
currency                        ``int`` cents (None when unset)     ``9999`` + ``fieldCurrency``
date                            ``date`` (None when unset)          ``2018-12-31``
datetime                        aware ``datetime`` (None unset)     ``2020-05-19T02:45:00-05:00``
==============================  ==================================  ===========================

Errors: the API answers bad definitions and values with 422s that point at no attribute
(``{"detail": "The custom field value … could not be saved to the custom field of type
`date`."}``), so their messages arrive under ``errors.NON_FIELD``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from . import metadata
from .client import Client
from .paging import iter_all
from .parsing import api_datetime, parse_date, parse_datetime, parse_decimal, parse_int

type Owner = Literal["deal", "account"]
type CustomFieldPython = str | list[str] | Decimal | int | date | datetime | None

FIELD_TYPES = (
    "text",
    "textarea",
    "date",
    "datetime",
    "dropdown",
    "multiselect",
    "radio",
    "checkbox",
    "hidden",
    "number",
    "currency",
)
OPTION_TYPES = frozenset({"dropdown", "multiselect", "radio", "checkbox"})
MULTI_TYPES = frozenset({"multiselect", "checkbox"})


def cache_name(owner: Owner) -> str:
    """The metadata cache entry of one family's definitions."""
    return f"{owner}_custom_fields"


@dataclass(frozen=True, slots=True)
class CustomField:
    id: int
    owner: Owner
    label: str
    type: str  # one of FIELD_TYPES
    options: list[str]  # choice fields, in the API's order
    default: CustomFieldPython  # typed like the field's values
    default_currency: str | None  # currency fields: upper-case ISO code
    required: bool
    form_visible: bool
    order: int

    @property
    def multiple(self) -> bool:
        return self.type in MULTI_TYPES


def text(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _options(raw: Any) -> list[str]:
    """A list, or the ``||a||b||`` text form the API also uses."""
    if isinstance(raw, list):
        return [str(item) for item in raw]
    return [part for part in text(raw).split("||") if part]


def to_python(field_type: str, raw: Any) -> CustomFieldPython:
    """A value as the API gives it, typed for ``field_type`` (unknown types are text)."""
    if field_type in MULTI_TYPES:
        return _options(raw)
    if field_type in ("number", "currency"):
        number = parse_decimal(raw) if text(raw).strip() else None
        if field_type == "number" or number is None:
            return number
        return int(number)
    if field_type == "date":
        return parse_date(raw)
    if field_type == "datetime":
        return parse_datetime(raw)
    return text(raw)


def to_api(field_type: str, value: CustomFieldPython) -> Any:
    """The API's form of a typed value; None clears. TypeError on a value of the wrong type."""
    if value is None:
        return [] if field_type in MULTI_TYPES else ""
    if field_type in MULTI_TYPES:
        # A bare str is iterable too: refuse it rather than send its letters.
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"a {field_type} value is a list of str, not {value!r}")
        return list(value)
    if field_type == "number":
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"a number value is a Decimal or int, not {type(value).__name__}")
        return str(value)
    if field_type == "currency":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a currency value is int cents, not {type(value).__name__}")
        return value
    if field_type == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"a date value is a date, not {type(value).__name__}")
        return value.isoformat()
    if field_type == "datetime":
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise TypeError(f"a datetime value is an aware datetime, not {value!r}")
        return api_datetime(value)
    if not isinstance(value, str):
        raise TypeError(f"a {field_type} value is a str, not {type(value).__name__}")
    return value


# Definitions -----------------------------------------------------------------------------


def _paths(owner: Owner) -> tuple[str, str, str]:
    """Path, plural key and singular key of a family's definitions."""
    plural = f"{owner}CustomFieldMeta"
    return f"/{plural}", plural, f"{owner}CustomFieldMetum"


def _field(owner: Owner, raw: dict[str, Any]) -> CustomField:
    field_type = text(raw.get("fieldType"))
    return CustomField(
        id=parse_int(raw.get("id")),
        owner=owner,
        label=text(raw.get("fieldLabel")),
        type=field_type,
        options=_options(raw.get("fieldOptions")),
        default=to_python(field_type, raw.get("fieldDefault")),
        default_currency=text(raw.get("fieldDefaultCurrency")).upper() or None,
        required=parse_int(raw.get("isRequired")) == 1,
        form_visible=parse_int(raw.get("isFormVisible")) == 1,
        order=parse_int(raw.get("displayOrder")),
    )


def list_custom_fields(client: Client, owner: Owner) -> list[CustomField]:
    """The family's field definitions in display order (cached; on a miss one call per 100)."""
    path, plural, _ = _paths(owner)

    def load() -> list[CustomField]:
        fields = [_field(owner, raw) for raw in iter_all(client, path, plural)]
        return sorted(fields, key=lambda f: (f.order, f.id))

    return metadata.cached(client, cache_name(owner), load)


def custom_fields_by_id(client: Client, owner: Owner) -> dict[int, CustomField]:
    """``list_custom_fields`` by id (cached)."""
    return {field.id: field for field in list_custom_fields(client, owner)}


def _meta_body(field_type: str, **attrs: Any) -> dict[str, Any]:
    """API attributes of a definition write; None means "not sent"."""
    names = {
        "label": "fieldLabel",
        "options": "fieldOptions",
        "default": "fieldDefault",
        "default_currency": "fieldDefaultCurrency",
        "required": "isRequired",
        "form_visible": "isFormVisible",
        "order": "displayOrder",
    }
    body: dict[str, Any] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if name == "default":
            value = to_api(field_type, value)
        elif name == "options":
            value = list(value)
        elif isinstance(value, bool):
            value = int(value)
        body[names[name]] = value
    return body


def create_custom_field(
    client: Client,
    owner: Owner,
    *,
    label: str,
    field_type: str,
    options: Sequence[str] | None = None,
    default: CustomFieldPython = None,
    default_currency: str | None = None,
    required: bool | None = None,
    form_visible: bool | None = None,
    order: int | None = None,
) -> CustomField:
    """Define a field (``field_type`` one of FIELD_TYPES; choice types need ``options``).

    Unset arguments take the API's defaults.
    """
    path, _, singular = _paths(owner)
    attrs = _meta_body(
        field_type,
        label=label,
        options=options,
        default=default,
        default_currency=default_currency,
        required=required,
        form_visible=form_visible,
        order=order,
    )
    body = client.post(path, {singular: {"fieldType": field_type, **attrs}})
    metadata.invalidate(client, cache_name(owner))
    # Write answers carry no fieldDefaultCurrency (as the reference's examples show).
    return _field(owner, {"fieldDefaultCurrency": default_currency, **body[singular]})


def update_custom_field(
    client: Client,
    field: CustomField,
    *,
    label: str | None = None,
    options: Sequence[str] | None = None,
    default: CustomFieldPython = None,
    default_currency: str | None = None,
    required: bool | None = None,
    form_visible: bool | None = None,
    order: int | None = None,
) -> CustomField:
    """Change a definition (its type is fixed); None leaves an attribute as it is.

    Takes the field itself: its type decides how ``default`` is sent.
    """
    path, _, singular = _paths(field.owner)
    attrs = _meta_body(
        field.type,
        label=label,
        options=options,
        default=default,
        default_currency=default_currency,
        required=required,
        form_visible=form_visible,
        order=order,
    )
    body = client.put(f"{path}/{field.id}", {singular: attrs})
    metadata.invalidate(client, cache_name(field.owner))
    currency = default_currency or field.default_currency  # not in write answers
    return _field(field.owner, {"fieldDefaultCurrency": currency, **body[singular]})


def delete_custom_field(client: Client, owner: Owner, field_id: int) -> None:
    """Delete a definition and every value of it."""
    path, _, _ = _paths(owner)
    client.delete(f"{path}/{field_id}")
    metadata.invalidate(client, cache_name(owner))


# Deal field values -------------------------------------------------------------------------
