"""Deal and account custom field definitions: ``/dealCustomFieldMeta`` and
``/accountCustomFieldMeta`` (one implementation, see customfields.py for the flavours).
"""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, not_found_errors
from .customfields import FLAVOURS, OPTION_TYPES, TYPES, Flavour, register_routes, rule_error

META_KEYS = ["id", "fieldLabel", "fieldType", "fieldOptions", "fieldDefault", "isFormVisible"]
META_KEYS += ["isRequired", "displayOrder", "createdTimestamp", "updatedTimestamp", "links"]
META_LIST_KEYS = [*META_KEYS[:5], "fieldDefaultCurrency", *META_KEYS[5:8]]
META_LIST_KEYS += ["personalization", "knownFieldId", "hideFieldFlag", *META_KEYS[8:]]
META_WRITABLE = ("fieldDefault", "fieldDefaultCurrency", "isFormVisible", "isRequired")
# Attributes whose value is a 0/1 flag or a position, answered as JSON numbers.
META_INTEGERS = ("isFormVisible", "isRequired", "displayOrder")


def _meta_full(ctx: Ctx, flavour: Flavour, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    link = ctx.link(f"{flavour.meta_kind}/{rid}/{flavour.data_path}")
    return {"id": rid, **record.data, "links": {flavour.data_path: link}}


def _meta_one(ctx: Ctx, flavour: Flavour, record: SandboxRecord) -> dict[str, Any]:
    return {flavour.metum: store.project(_meta_full(ctx, flavour, record), META_KEYS)}


def _get_meta(ctx: Ctx, flavour: Flavour, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, flavour.meta_kind, rid, not_found_errors())


def _integer(attrs: dict[str, Any], name: str) -> int:
    try:
        return int(attrs[name])
    except (TypeError, ValueError):
        name_words = "".join(f" {c.lower()}" if c.isupper() else c for c in name)
        raise rule_error(f"The {name_words} field must be an integer.") from None


def _clean_meta(attrs: dict[str, Any], field_type: str) -> dict[str, Any]:
    """Validated writable attributes of a meta payload (label, options, flags, order)."""
    changes = {k: attrs[k] for k in META_WRITABLE if k in attrs}
    if "fieldLabel" in attrs:
        label = attrs["fieldLabel"]
        if not isinstance(label, str) or not label.strip():
            raise rule_error("The field label field is required.")
        changes["fieldLabel"] = label.strip()
    for name in META_INTEGERS:
        if name in attrs:
            changes[name] = _integer(attrs, name)
    if field_type not in OPTION_TYPES:
        changes["fieldOptions"] = None
    elif "fieldOptions" in attrs:
        options = attrs["fieldOptions"]
        if not isinstance(options, list) or not options:
            raise rule_error(
                f"The field options field is required when field type is {field_type}."
            )
        changes["fieldOptions"] = [str(o) for o in options]
    return changes


def new_meta_data(field_type: str, display_order: int, now: str, **attrs: Any) -> dict[str, Any]:
    """Stored attributes of a new field, with the defaults the API shows (also for seeding)."""
    return {
        "fieldLabel": "",
        "fieldType": field_type,
        "fieldOptions": None,
        "fieldDefault": None,
        "fieldDefaultCurrency": "usd" if field_type == "currency" else None,
        "isFormVisible": 0,
        "isRequired": 0,
        "displayOrder": display_order,
        "personalization": "",
        "knownFieldId": None,
        "hideFieldFlag": 0,
        "createdTimestamp": now,
        "updatedTimestamp": now,
        **attrs,
    }


def create_meta(ctx: Ctx, flavour: Flavour):
    attrs = ctx.envelope(flavour.metum)
    field_type = attrs.get("fieldType")
    if not field_type:
        raise rule_error("The field type field is required.")
    if field_type not in TYPES:
        raise rule_error("The selected field type is invalid.")
    if not attrs.get("fieldLabel"):
        raise rule_error("The field label field is required.")
    if field_type in OPTION_TYPES and "fieldOptions" not in attrs:
        raise rule_error(f"The field options field is required when field type is {field_type}.")
    position = store.records(ctx.account, flavour.meta_kind).count() + 1
    now = store.plain(ctx.account)
    data = new_meta_data(field_type, position, now, **_clean_meta(attrs, field_type))
    record = store.create(ctx.account, flavour.meta_kind, data)
    return _meta_one(ctx, flavour, record)


def list_meta(ctx: Ctx, flavour: Flavour):
    qs = store.records(ctx.account, flavour.meta_kind).order_by("rid")
    body, _ = store.paged(
        ctx,
        qs,
        flavour.meta_kind,
        lambda c, r: store.project(_meta_full(c, flavour, r), META_LIST_KEYS),
        default_limit=100,
        meta=False,
    )
    return body


def get_meta(ctx: Ctx, flavour: Flavour, id: str):
    return _meta_one(ctx, flavour, _get_meta(ctx, flavour, id))


def update_meta(ctx: Ctx, flavour: Flavour, id: str):
    record = _get_meta(ctx, flavour, id)
    # The type of an existing field is fixed; fieldType in the payload is ignored.
    changes = _clean_meta(ctx.envelope(flavour.metum), record.data["fieldType"])
    store.update(record, **changes, updatedTimestamp=store.plain(ctx.account))
    return _meta_one(ctx, flavour, record)


def delete_meta(ctx: Ctx, flavour: Flavour, id: str):
    record = _get_meta(ctx, flavour, id)
    store.records(ctx.account, flavour.datum_kind).filter(key=record.id_str).delete()
    record.delete()
    return {"message": f"{flavour.label}CustomFieldMeta deleted."}


def _register(flavour: Flavour) -> None:
    meta = flavour.meta_kind
    register_routes(
        flavour,
        [
            ("POST", meta, "meta.create", create_meta),
            ("GET", meta, "meta.list", list_meta),
            ("GET", f"{meta}/{{id}}", "meta.get", get_meta),
            ("PUT", f"{meta}/{{id}}", "meta.update", update_meta),
            ("DELETE", f"{meta}/{{id}}", "meta.delete", delete_meta),
        ],
    )


for _flavour in FLAVOURS.values():
    _register(_flavour)
