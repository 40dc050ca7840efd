"""Contacts' custom field values: ``/fieldValues`` and the values set by contact writes.

Values are stored the way the API stores them (``normalize_value``): multi-value fields
as ``||a||b||``, dates as ``YYYY-MM-DD``, datetimes as ISO 8601 in the account's timezone.
Assumptions where the reference is silent are listed in docs/api-notes/fields.md.
"""

from datetime import datetime
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .contacts import touch_contact
from .fields import FIELD, related_field, related_missing, require

VALUE = "fieldValue"

MULTI_VALUE_TYPES = {"checkbox", "listbox", "multiselect"}

# Key sets per operation, in the reference examples' order.
VALUE_KEYS = ["contact", "field", "value", "cdate", "udate", "links", "id", "owner"]
VALUE_AUDIT_KEYS = [*VALUE_KEYS[:5], "created_by", "updated_by", *VALUE_KEYS[5:]]
VALUE_WRITE_KEYS = ["contact", "field", "value", "cdate", "udate", "links", "owner", "id"]


def _missing_value(rid: object) -> ApiError:
    return not_found("FieldValue", rid)


# Presenters -------------------------------------------------------------------


def _value_full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    return {
        **record.data,
        "links": {
            "owner": ctx.link(f"fieldValues/{rid}/owner"),
            "field": ctx.link(f"fieldValues/{rid}/field"),
        },
        "id": rid,
        "owner": record.data["contact"],
    }


@store.presenter(VALUE)
@store.presenter(VALUE, "sync")
def present_value(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """GET /contacts/{id}/fieldValues and POST /contact/sync: with created_by/updated_by."""
    return store.project(_value_full(ctx, record), VALUE_AUDIT_KEYS)


@store.presenter(VALUE, "contact")
def present_value_for_contact(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """Side-loaded by the contact endpoints; also GET /fieldValues and /fieldValues/{id}."""
    return store.project(_value_full(ctx, record), VALUE_KEYS)


# Storing values -------------------------------------------------------------------


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def normalize_value(ctx: Ctx, field: SandboxRecord, value: Any) -> str | None:
    """The value as the API stores it for the field's type."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid("The field value must be a string.", "value")
    text = str(value)
    kind = field.data.get("type")
    if text == "":
        return text
    if kind in MULTI_VALUE_TYPES:
        # "a||b", "||a||b||" and "a" are all kept as the delimited list the API stores.
        parts = [part for part in text.split("||") if part]
        return f"||{'||'.join(parts)}||" if parts else ""
    parsed = _parse_iso(text) if kind in ("date", "datetime") else None
    if parsed is None:
        return text
    if kind == "date":
        return parsed.date().isoformat()
    # Datetimes are saved converted to the account's timezone (documented by the API).
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ctx.tz)
    try:
        return parsed.astimezone(ctx.tz).replace(microsecond=0).isoformat()
    except OverflowError:  # a moment the account's timezone cannot show (year 1 or 9999)
        return text


def new_value_data(contact_id: int, field_id: str, value: str | None, now: str) -> dict[str, Any]:
    """Stored attributes of a new value (also for bulk imports)."""
    return {
        "contact": str(contact_id),
        "field": field_id,
        "value": value,
        "cdate": now,
        "udate": now,
        "created_by": "0",
        "updated_by": "0",
    }


def _existing_value(ctx: Ctx, contact_id: int, field: SandboxRecord) -> SandboxRecord | None:
    return store.records(ctx.account, VALUE).filter(parent=contact_id, key=field.id_str).first()


def upsert_value(ctx: Ctx, contact_id: int, field: SandboxRecord, value: Any) -> SandboxRecord:
    """Set the contact's value of ``field`` (one value per contact and field, as in the API)."""
    stored = normalize_value(ctx, field, value)
    now = store.iso(ctx.account)
    existing = _existing_value(ctx, contact_id, field)
    if existing is not None:
        return store.update(existing, value=stored, udate=now, updated_by="0")
    data = new_value_data(contact_id, field.id_str, stored, now)
    return store.create(ctx.account, VALUE, data, parent=contact_id, key=field.id_str)


def set_contact_field_values(
    ctx: Ctx, contact: SandboxRecord, items: list[Any]
) -> list[SandboxRecord]:
    """Create or replace the contact's values of the given fields (``[{field, value}]``).

    The caller (a contact write) marks the contact as updated itself.
    """
    saved: dict[int, SandboxRecord] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("field") in (None, ""):
            raise missing("Each fieldValues entry needs a field.", "fieldValues")
        field = store.find(ctx.account, FIELD, item["field"])
        if field is None:
            raise invalid("The related field does not exist.", "fieldValues", "related_missing")
        # A field given twice keeps its last value and is answered once.
        saved[field.rid] = upsert_value(ctx, contact.rid, field, item.get("value"))
    return list(saved.values())


def _apply_defaults(ctx: Ctx, contact_id: int) -> None:
    """``useDefaults``: give the contact the default of every required field it has no value for."""
    have = store.records(ctx.account, VALUE).filter(parent=contact_id).values_list("key", flat=True)
    required = store.records(ctx.account, FIELD).filter(data__isrequired="1")
    for field in required.exclude(rid__in=[int(k) for k in have]):
        if field.data.get("defval") not in (None, ""):
            upsert_value(ctx, contact_id, field, field.data["defval"])


# Operations ---------------------------------------------------------------------


def _value_written(ctx: Ctx, record: SandboxRecord, attrs: dict[str, Any]) -> dict[str, Any]:
    """POST/PUT /fieldValues echo the ids as the request sent them (numbers stay numbers)."""
    body = store.project(_value_full(ctx, record), VALUE_WRITE_KEYS)
    for name in ("contact", "field"):
        if attrs.get(name) not in (None, "") and str(attrs[name]) == body[name]:
            body[name] = attrs[name]
    body["owner"] = body["contact"]
    return body


def _value_target(ctx: Ctx, attrs: dict[str, Any]) -> tuple[SandboxRecord, SandboxRecord]:
    contact = store.find(ctx.account, "contact", attrs["contact"])
    if contact is None:
        raise related_missing("contact")
    return contact, related_field(ctx, attrs["field"])


def _value_response(ctx: Ctx, record: SandboxRecord, contact: SandboxRecord, attrs: dict):
    if ctx.body.get("useDefaults") in (True, 1, "1", "true"):
        _apply_defaults(ctx, contact.rid)
    touch_contact(ctx, contact.rid)
    contact.refresh_from_db()
    return {
        "contacts": [store.present(ctx, contact)],
        "fieldValue": _value_written(ctx, record, attrs),
    }


@route("POST", "fieldValues", "Field_createCustomValue")
def create_value(ctx: Ctx):
    attrs = ctx.envelope("fieldValue")
    require(attrs, "fieldValue", "contact", "field")
    contact, field = _value_target(ctx, attrs)
    record = upsert_value(ctx, contact.rid, field, attrs.get("value"))
    return 201, _value_response(ctx, record, contact, attrs)


@route("GET", "fieldValues", "List_customFieldValues")
def list_values(ctx: Ctx):
    qs = store.records(ctx.account, VALUE)
    if (field_id := ctx.param("filters[fieldid]")) is not None:
        qs = qs.filter(key=field_id.strip())
    if (val := ctx.param("filters[val]")) is not None:
        qs = qs.filter(data__value__iexact=val)
    body, _ = store.paged(ctx, qs.order_by("rid"), "fieldValues", present_value_for_contact)
    return body


@route("GET", "fieldValues/{id}", "Field_getCustomValue")
def get_value(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, VALUE, id, _missing_value(id))
    return {"fieldValue": present_value_for_contact(ctx, record)}


@route("PUT", "fieldValues/{id}", "Field_updateCustomValue")
def update_value(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, VALUE, id, _missing_value(id))
    attrs = ctx.envelope("fieldValue")
    target = {
        "contact": attrs.get("contact") or record.data["contact"],
        "field": attrs.get("field") or record.data["field"],
    }
    contact, field = _value_target(ctx, target)
    old_contact = record.parent
    if (contact.rid, field.id_str) != (record.parent, record.key):
        # Moving the value to another contact or field: that pair may already have one.
        if _existing_value(ctx, contact.rid, field) is not None:
            raise invalid("The contact already has a value for this field.", "field", "duplicate")
        record.parent, record.key = contact.rid, field.id_str
    store.update(
        record,
        contact=contact.id_str,
        field=field.id_str,
        value=normalize_value(ctx, field, attrs.get("value", record.data["value"])),
        udate=store.iso(ctx.account),
        updated_by="0",
    )
    if old_contact != contact.rid:
        touch_contact(ctx, old_contact)
    return _value_response(ctx, record, contact, attrs)


@route("DELETE", "fieldValues/{id}", "Field_deleteCustomValue")
def delete_value(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, VALUE, id, _missing_value(id))
    record.delete()
    touch_contact(ctx, record.parent)
    return {}
