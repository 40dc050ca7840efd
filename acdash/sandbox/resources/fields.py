"""Contact custom fields: ``/fields``, field options, ``/fieldRels`` and ``/fieldValues``."""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, invalid

FIELD = "field"
VALUE = "fieldValue"

VALUE_KEYS = ["contact", "field", "value", "cdate", "udate", "links", "id", "owner"]
VALUE_AUDIT_KEYS = [*VALUE_KEYS[:5], "created_by", "updated_by", *VALUE_KEYS[5:]]


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
    return store.project(_value_full(ctx, record), VALUE_AUDIT_KEYS)


@store.presenter(VALUE, "contact")
def present_value_for_contact(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project(_value_full(ctx, record), VALUE_KEYS)


def set_contact_field_values(
    ctx: Ctx, contact: SandboxRecord, items: list[Any]
) -> list[SandboxRecord]:
    """Create or replace the contact's values of the given fields (``[{field, value}]``)."""
    saved = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "field" not in item:
            raise invalid(f"fieldValues[{index}] needs a field and a value.", "fieldValues")
        field = store.find(ctx.account, FIELD, item["field"])
        if field is None:
            raise invalid(f"Field with id {item['field']} does not exist.", "fieldValues")
        saved.append(upsert_value(ctx, contact.rid, field, item.get("value")))
    return saved


def upsert_value(ctx: Ctx, contact_id: int, field: SandboxRecord, value: Any) -> SandboxRecord:
    now = store.iso(ctx.account)
    existing = store.records(ctx.account, VALUE).filter(parent=contact_id, key=field.id_str).first()
    if existing is not None:
        return store.update(existing, value=value, udate=now, updated_by="0")
    data = {
        "contact": str(contact_id),
        "field": field.id_str,
        "value": value,
        "cdate": now,
        "udate": now,
        "created_by": "0",
        "updated_by": "0",
    }
    return store.create(ctx.account, VALUE, data, parent=contact_id, key=field.id_str)
