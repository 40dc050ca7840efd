"""Deal and account custom fields: what the meta and data endpoints share.

``/dealCustomFieldMeta`` and ``/dealCustomFieldData`` have ``/accountCustomField…`` twins.
Both flavours share one implementation (customfieldmeta.py, customfielddata.py); a
``Flavour`` holds what differs between them (key names, owning object, operation ids). Meta
records have no parent; data records have ``parent`` = the deal or account id and ``key`` =
the field id, one value per owner and field. Values are cleaned here, by the field's type.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from ..models import SandboxRecord
from ..routing import ApiError, route

TYPES = (
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
OPTION_TYPES = {"dropdown", "multiselect", "radio", "checkbox"}
MULTI_TYPES = {"multiselect", "checkbox"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y")


@dataclass(frozen=True)
class Flavour:
    owner: str  # kind of the owning object: "deal" or "account"
    owner_id: str  # attribute naming the owner in data records
    owner_aliases: tuple[str, ...]  # request attributes accepted for the owner
    owner_title: str  # the owner attribute as validation messages name it
    list_filter: str
    # GET/PUT of one account value omit the metum id that create and list show.
    detail_has_metum_id: bool
    operations: dict[str, str]

    @property
    def label(self) -> str:
        return self.owner.capitalize()

    @property
    def meta_kind(self) -> str:
        return f"{self.owner}CustomFieldMeta"

    @property
    def metum(self) -> str:
        return f"{self.owner}CustomFieldMetum"

    @property
    def datum_kind(self) -> str:
        return f"{self.owner}CustomFieldDatum"

    @property
    def data_path(self) -> str:
        return f"{self.owner}CustomFieldData"

    def data_keys(self, detail: bool) -> list[str]:
        metum_id = [f"{self.metum}Id"] if self.detail_has_metum_id or not detail else []
        return ["id", *metum_id, self.owner_id, "customFieldId", "createdTimestamp"]


DEAL = Flavour(
    owner="deal",
    owner_id="dealId",
    owner_aliases=("dealId",),
    owner_title="deal id",
    list_filter="filters[dealId]",
    detail_has_metum_id=True,
    operations={
        "meta.create": "Deal_createCustomFieldMeta",
        "meta.list": "Deal_listCustomFieldMeta",
        "meta.get": "Deal_getCustomFieldMeta",
        "meta.update": "Deal_updateCustomFieldMeta",
        "meta.delete": "Deal_deleteCustomFieldMeta",
        "data.create": "Deal_createCustomFieldValue",
        "data.list": "Deal_listCustomFieldData",
        "data.bulkCreate": "Deal_bulkCreateCustomFieldValues",
        "data.get": "Deal_getCustomFieldValue",
        "data.update": "Deal_updateCustomFieldValue",
        "data.delete": "Deal_deleteCustomFieldValue",
        "data.bulkUpdate": "Deal_bulkUpdateCustomFieldData",
    },
)
ACCOUNT = Flavour(
    owner="account",
    owner_id="accountId",
    owner_aliases=("customerAccountId", "accountId"),
    owner_title="customer account id",
    list_filter="filters[customerAccountId]",
    detail_has_metum_id=False,
    operations={
        "meta.create": "Field_createCustomFieldMeta",
        "meta.list": "List_allCustomFieldMeta",
        "meta.get": "Field_getCustomField",
        "meta.update": "Field_updateCustomFieldMeta",
        "meta.delete": "Field_deleteCustomFieldMeta",
        "data.create": "Field_createCustomFieldValue",
        "data.list": "List_customFieldValues",
        "data.bulkCreate": "Field_bulkCreateCustomAccountFieldValue",
        "data.get": "Field_getCustomValue",
        "data.update": "Field_updateCustomFieldValue",
        "data.delete": "Field_deleteCustomFieldValue",
        "data.bulkUpdate": "Field_bulkUpdateCustomFieldValue",
    },
)
FLAVOURS = {f.owner: f for f in (DEAL, ACCOUNT)}


# Errors ------------------------------------------------------------------------
# The custom-field service answers validation errors in its own shapes: request
# validation as {title, detail, code: 422}, values that do not fit the field's type
# as {detail} alone (both copied from the reference).


def rule_error(title: str) -> ApiError:
    return ApiError(422, {"errors": [{"title": title, "detail": "", "code": 422}]})


def value_error(field_type: str, raw: Any, echo: bool) -> ApiError:
    shown = f" `{raw if isinstance(raw, str) else json.dumps(raw)}`" if echo else ""
    detail = f"The custom field value{shown} could not be saved to the custom field of type "
    return ApiError(422, {"errors": [{"detail": f"{detail}`{field_type}`."}]})


# Values ------------------------------------------------------------------------


def _text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise TypeError(raw)
    return str(raw)


def _multi(raw: Any) -> list[str]:
    """Options as a list; the API's ``||a||b||`` text form is accepted too."""
    if isinstance(raw, str):
        return [part for part in raw.split("||") if part]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return raw
    raise TypeError(raw)


def _number(raw: Any) -> Any:
    if not math.isfinite(float(_text(raw))):
        raise ValueError(raw)
    return raw


def _currency(raw: Any) -> int:
    """Cents, a whole number."""
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw)
    raise ValueError(raw)


def _date(raw: Any) -> str:
    """``YYYY-MM-DD``; a time part (``2018-12-31 00:00:00``) is dropped."""
    day = _text(raw).strip().split(" ")[0].split("T")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(day, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    raise ValueError(raw)


def _datetime(raw: Any) -> str:
    datetime.fromisoformat(_text(raw))
    return raw


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "textarea": _text,
    "hidden": _text,
    "dropdown": _text,
    "radio": _text,
    "multiselect": _multi,
    "checkbox": _multi,
    "number": _number,
    "currency": _currency,
    "date": _date,
    "datetime": _datetime,
}


def clean_value(field: SandboxRecord, raw: Any, echo: bool = True) -> Any:
    """The value as stored for the field's type, or the API's 422.

    ``echo``: whether the error message quotes the value (create does, update does not).
    """
    field_type = field.data["fieldType"]
    if raw is None or raw == "":
        return [] if field_type in MULTI_TYPES else ""
    try:
        return CLEANERS[field_type](raw)
    except (TypeError, ValueError):
        raise value_error(field_type, raw, echo) from None


def value_changes(field: SandboxRecord, item: dict[str, Any], echo: bool) -> dict[str, Any]:
    """What a value payload sets: the cleaned value and, for a currency field, its currency."""
    if "fieldValue" not in item:
        raise rule_error("The field value field is required.")
    changes = {"fieldValue": clean_value(field, item["fieldValue"], echo)}
    if field.data["fieldType"] == "currency":
        default = field.data.get("fieldDefaultCurrency") or "usd"
        changes["fieldCurrency"] = str(item.get("fieldCurrency") or default)
    return changes


def register_routes(flavour: Flavour, routes: list[tuple[str, str, str, Callable]]) -> None:
    """Register ``(method, path, operation key, handler)`` for the flavour's operation ids."""
    for method, path, op, handler in routes:
        route(method, path, flavour.operations[op])(partial(handler, flavour=flavour))
