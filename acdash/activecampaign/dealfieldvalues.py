"""Deal custom field values: read per deal or for many deals, written one at a time or in bulk.

Their definitions and the Python ↔ API conversion are ``customfields``'.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import metadata
from .client import Client
from .customfields import (
    CustomField,
    CustomFieldPython,
    cache_name,
    custom_fields_by_id,
    text,
    to_api,
    to_python,
)
from .paging import iter_all
from .parsing import parse_datetime, parse_int


@dataclass(frozen=True, slots=True)
class DealFieldValue:
    id: int  # the dealCustomFieldDatum's id
    deal_id: int
    field_id: int
    value: CustomFieldPython
    currency: str | None  # currency fields only (upper-case): the value is in its cents
    updated: datetime | None


@dataclass(frozen=True, slots=True)
class DealFieldWrite:
    """One value to write. ``value_id`` (the existing value's id) is required by bulk updates."""

    deal_id: int
    field_id: int
    value: CustomFieldPython
    currency: str | None = None  # currency fields; None: the field's default currency
    value_id: int | None = None


def _field_id(raw: dict[str, Any]) -> int:
    return parse_int(raw.get("customFieldId") or raw.get("dealCustomFieldMetumId"))


def _deal_value(raw: dict[str, Any], fields: dict[int, CustomField]) -> DealFieldValue:
    field_id = _field_id(raw)
    field = fields.get(field_id)
    return DealFieldValue(
        id=parse_int(raw.get("id")),
        deal_id=parse_int(raw.get("dealId")),
        field_id=field_id,
        value=to_python(field.type if field else "text", raw.get("fieldValue")),
        currency=text(raw.get("fieldCurrency")).upper() or None,
        updated=parse_datetime(raw.get("updatedTimestamp")),
    )


def _deal_fields(client: Client, field_ids: Iterable[int]) -> dict[int, CustomField]:
    """Deal field definitions by id (cached), loaded again once if one of ``field_ids`` is
    missing: a field defined since the cache was filled."""
    fields = custom_fields_by_id(client, "deal")
    if not set(field_ids) <= fields.keys():
        metadata.invalidate(client, cache_name("deal"))
        fields = custom_fields_by_id(client, "deal")
    return fields


def deal_field_values(client: Client, deal_id: int) -> list[DealFieldValue]:
    """A deal's custom field values, typed by their fields.

    One call (``GET /dealCustomFieldData?filters[dealId]=…``), plus one when the deal field
    definitions are not cached.
    """
    params = {"filters[dealId]": deal_id}
    raws = iter_all(client, "/dealCustomFieldData", "dealCustomFieldData", params=params)
    # Keep only the deal's values even if a server ignored the filter.
    own = [raw for raw in raws if parse_int(raw.get("dealId")) == int(deal_id)]
    fields = _deal_fields(client, (_field_id(raw) for raw in own))
    return [_deal_value(raw, fields) for raw in own]


def all_deal_field_values(client: Client, deal_ids: set[int]) -> list[DealFieldValue]:
    """The values of ``deal_ids``, from every deal field value of the account, 100 per call:
    cheaper than ``deal_field_values`` per deal when many deals are wanted (the listing
    filters by one deal only)."""
    raws = [
        raw
        for raw in iter_all(client, "/dealCustomFieldData", "dealCustomFieldData")
        if parse_int(raw.get("dealId")) in deal_ids
    ]
    fields = _deal_fields(client, (_field_id(raw) for raw in raws))
    return [_deal_value(raw, fields) for raw in raws]


def _write_item(write: DealFieldWrite, fields: dict[int, CustomField]) -> dict[str, Any]:
    field = fields.get(write.field_id)
    item: dict[str, Any] = {"fieldValue": to_api(field.type if field else "text", write.value)}
    if write.currency:
        item["fieldCurrency"] = write.currency.lower()
    return item


def set_deal_field_value(client: Client, write: DealFieldWrite) -> DealFieldValue:
    """Create one value (``write.value_id`` None) or replace it (PUT by ``value_id``).

    One call, plus one when the deal field definitions are not cached.
    """
    fields = _deal_fields(client, [write.field_id])
    item = _write_item(write, fields)
    if write.value_id is None:
        item |= {"dealId": write.deal_id, "customFieldId": write.field_id}
        body = client.post("/dealCustomFieldData", {"dealCustomFieldDatum": item})
    else:
        body = client.put(f"/dealCustomFieldData/{write.value_id}", {"dealCustomFieldDatum": item})
    return _deal_value(body["dealCustomFieldDatum"], fields)


def bulk_create_deal_field_values(client: Client, writes: Sequence[DealFieldWrite]) -> None:
    """Create many values in one call (``POST /dealCustomFieldData/bulkCreate``).

    The API answers only a message, so nothing is returned; callers (bulk jobs) choose the
    batch size. Not resent when the answer is lost: creating twice is not harmless.
    """
    if not writes:
        return
    fields = _deal_fields(client, (w.field_id for w in writes))
    items = [
        {"dealId": w.deal_id, "customFieldId": w.field_id, **_write_item(w, fields)} for w in writes
    ]
    client.post("/dealCustomFieldData/bulkCreate", items)


def bulk_update_deal_field_values(client: Client, writes: Sequence[DealFieldWrite]) -> None:
    """Replace many existing values (each ``value_id`` set) in one call, all or nothing.

    ``PATCH /dealCustomFieldData/bulkUpdate`` sets values, so it is safe to resend.
    """
    if not writes:
        return
    if any(w.value_id is None for w in writes):
        raise ValueError("bulk updates need the value_id of every value")
    fields = _deal_fields(client, (w.field_id for w in writes))
    items = [{"id": w.value_id, **_write_item(w, fields)} for w in writes]
    client.patch("/dealCustomFieldData/bulkUpdate", items, idempotent=True)
