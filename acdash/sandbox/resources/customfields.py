"""Deal and account custom fields: ``/dealCustomFieldMeta``, ``/dealCustomFieldData`` and the
``/accountCustomField…`` twins.

Both flavours share one implementation; a ``Flavour`` holds what differs between them (key
names, owning object, operation ids). Meta records have no parent; data records have
``parent`` = the deal or account id and ``key`` = the field id, one value per owner and field.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, not_found_errors, route

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

META_KEYS = ["id", "fieldLabel", "fieldType", "fieldOptions", "fieldDefault", "isFormVisible"]
META_KEYS += ["isRequired", "displayOrder", "createdTimestamp", "updatedTimestamp", "links"]
META_LIST_KEYS = [*META_KEYS[:5], "fieldDefaultCurrency", *META_KEYS[5:8]]
META_LIST_KEYS += ["personalization", "knownFieldId", "hideFieldFlag", *META_KEYS[8:]]
META_WRITABLE = ("fieldDefault", "fieldDefaultCurrency", "isFormVisible", "isRequired")
# Attributes whose value is a 0/1 flag or a position, answered as JSON numbers.
META_INTEGERS = ("isFormVisible", "isRequired", "displayOrder")


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


def _value_changes(field: SandboxRecord, item: dict[str, Any], echo: bool) -> dict[str, Any]:
    if "fieldValue" not in item:
        raise rule_error("The field value field is required.")
    changes = {"fieldValue": clean_value(field, item["fieldValue"], echo)}
    if field.data["fieldType"] == "currency":
        default = field.data.get("fieldDefaultCurrency") or "usd"
        changes["fieldCurrency"] = str(item.get("fieldCurrency") or default)
    return changes


# Meta --------------------------------------------------------------------------


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


# Data --------------------------------------------------------------------------


def _data_full(ctx: Ctx, flavour: Flavour, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    path = f"{flavour.data_path}/{rid}"
    links = {
        flavour.owner: ctx.link(f"{path}/{flavour.owner}"),
        flavour.metum: ctx.link(f"{path}/{flavour.metum}"),
    }
    return {"id": rid, **record.data, "links": links}


def _present_data(ctx: Ctx, flavour: Flavour, record: SandboxRecord, detail: bool):
    keys = [*flavour.data_keys(detail), "updatedTimestamp", "fieldValue"]
    if "fieldCurrency" in record.data:
        keys.append("fieldCurrency")
    return store.project(_data_full(ctx, flavour, record), [*keys, "links"])


def _data_one(ctx: Ctx, flavour: Flavour, record: SandboxRecord, detail: bool):
    return {flavour.datum_kind: _present_data(ctx, flavour, record, detail)}


def _get_datum(ctx: Ctx, flavour: Flavour, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, flavour.datum_kind, rid, not_found_errors())


def _datum_data(
    flavour: Flavour, field: SandboxRecord, owner_id: int, changes: dict[str, Any], now: str
) -> dict[str, Any]:
    return {
        f"{flavour.metum}Id": field.rid,
        flavour.owner_id: owner_id,
        "customFieldId": field.rid,
        "createdTimestamp": now,
        "updatedTimestamp": now,
        **changes,
    }


def _new_datum(ctx: Ctx, flavour: Flavour, item: Any) -> SandboxRecord:
    """An unsaved data record for a create payload, validated (owner, field, value, unique)."""
    if not isinstance(item, dict):
        raise ApiError(400, {"message": "Each custom field value must be a JSON object."})
    owner_ref = next((item[k] for k in flavour.owner_aliases if item.get(k)), None)
    if owner_ref is None:
        raise rule_error(f"The {flavour.owner_title} field is required.")
    if item.get("customFieldId") in (None, ""):
        raise rule_error("The custom field id field is required.")
    owner = store.find(ctx.account, flavour.owner, owner_ref)
    if owner is None:
        raise rule_error(f"The selected {flavour.owner_title} is invalid.")
    field = store.find(ctx.account, flavour.meta_kind, item["customFieldId"])
    if field is None:
        raise rule_error("The selected custom field id is invalid.")
    taken = store.records(ctx.account, flavour.datum_kind).filter(
        parent=owner.rid, key=field.id_str
    )
    if taken.exists():
        raise rule_error(f"The {flavour.owner} already has a value for custom field {field.rid}.")
    changes = _value_changes(field, item, echo=True)
    data = _datum_data(flavour, field, owner.rid, changes, store.plain(ctx.account))
    return SandboxRecord(parent=owner.rid, key=field.id_str, data=data)


def create_datum(ctx: Ctx, flavour: Flavour):
    row = _new_datum(ctx, flavour, ctx.envelope(flavour.datum_kind))
    record = store.create(ctx.account, flavour.datum_kind, row.data, row.parent, row.key)
    return _data_one(ctx, flavour, record, detail=False)


def _body_list(ctx: Ctx) -> list[Any]:
    body = ctx.body
    if not isinstance(body, list) or not body:
        raise ApiError(400, {"message": "The request body must be a non-empty JSON array."})
    return body


def bulk_create_data(ctx: Ctx, flavour: Flavour):
    rows = [_new_datum(ctx, flavour, item) for item in _body_list(ctx)]
    if len({(r.parent, r.key) for r in rows}) < len(rows):
        raise rule_error("The request sets the same custom field of one owner twice.")
    store.bulk_create(ctx.account, flavour.datum_kind, rows)
    return {"message": "the bulk insert was successful"}


def list_data(ctx: Ctx, flavour: Flavour):
    qs = store.records(ctx.account, flavour.datum_kind).order_by("rid")
    if (owner := ctx.int_param(flavour.list_filter)) is not None:
        qs = qs.filter(parent=owner)
    body, _ = store.paged(
        ctx,
        qs,
        flavour.data_path,
        lambda c, r: _present_data(c, flavour, r, detail=False),
        meta=False,
    )
    return body


def get_datum(ctx: Ctx, flavour: Flavour, id: str):
    return _data_one(ctx, flavour, _get_datum(ctx, flavour, id), detail=True)


def _field_of(ctx: Ctx, flavour: Flavour, record: SandboxRecord) -> SandboxRecord:
    field = store.find(ctx.account, flavour.meta_kind, record.key)
    if field is None:  # a value whose field is gone (only in hand-made data)
        raise not_found_errors()
    return field


def update_datum(ctx: Ctx, flavour: Flavour, id: str):
    record = _get_datum(ctx, flavour, id)
    changes = _value_changes(
        _field_of(ctx, flavour, record), ctx.envelope(flavour.datum_kind), False
    )
    store.update(record, **changes, updatedTimestamp=store.plain(ctx.account))
    return _data_one(ctx, flavour, record, detail=True)


def _as_id(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def bulk_update_data(ctx: Ctx, flavour: Flavour):
    """All or nothing: one unknown id or bad value fails the request and changes nothing."""
    items = _body_list(ctx)
    if not all(isinstance(item, dict) for item in items):
        raise ApiError(400, {"message": "Each custom field value must be a JSON object."})
    ids = [_as_id(item.get("id")) for item in items]
    rows = store.records(ctx.account, flavour.datum_kind).filter(rid__in=[i for i in ids if i])
    found = {r.rid: r for r in rows}
    if not set(ids) <= found.keys():
        raise not_found_errors()
    metas = store.records(ctx.account, flavour.meta_kind).filter(
        rid__in={int(r.key) for r in found.values()}
    )
    fields = {m.id_str: m for m in metas}
    now = store.plain(ctx.account)
    for rid, item in zip(ids, items, strict=True):
        record = found[rid]
        if record.key not in fields:  # a value whose field is gone (only in hand-made data)
            raise not_found_errors()
        changes = _value_changes(fields[record.key], item, echo=False)
        record.data.update(changes, updatedTimestamp=now)
    SandboxRecord.objects.bulk_update(found.values(), ["data"])
    listed = ", ".join(str(i) for i in ids)
    message = f"{flavour.label}CustomFieldDatas with ID(s): {listed} successfully bulk updated."
    return {"message": message}


def delete_datum(ctx: Ctx, flavour: Flavour, id: str):
    _get_datum(ctx, flavour, id).delete()
    return {"message": f"{flavour.label}CustomFieldData deleted."}


def _register(flavour: Flavour) -> None:
    ops = flavour.operations
    meta, data = flavour.meta_kind, flavour.data_path
    for method, path, op, handler in (
        ("POST", meta, "meta.create", create_meta),
        ("GET", meta, "meta.list", list_meta),
        ("GET", f"{meta}/{{id}}", "meta.get", get_meta),
        ("PUT", f"{meta}/{{id}}", "meta.update", update_meta),
        ("DELETE", f"{meta}/{{id}}", "meta.delete", delete_meta),
        ("POST", data, "data.create", create_datum),
        ("GET", data, "data.list", list_data),
        ("POST", f"{data}/bulkCreate", "data.bulkCreate", bulk_create_data),
        ("GET", f"{data}/{{id}}", "data.get", get_datum),
        ("PUT", f"{data}/{{id}}", "data.update", update_datum),
        ("DELETE", f"{data}/{{id}}", "data.delete", delete_datum),
        ("PATCH", f"{data}/bulkUpdate", "data.bulkUpdate", bulk_update_data),
    ):
        route(method, path, ops[op])(partial(handler, flavour=flavour))


# Presenters and helpers for the deal and account families -------------------------


def _field_entry(flavour: Flavour, record: SandboxRecord) -> dict[str, Any]:
    """One entry of the ``fields`` list of POST/PUT /deals and /accounts."""
    entry = {"customFieldId": int(record.key), "fieldValue": record.data["fieldValue"]}
    if "fieldCurrency" in record.data:
        entry["fieldCurrency"] = record.data["fieldCurrency"]
    entry[flavour.owner_id] = str(record.parent)
    return entry


def _register_presenters(flavour: Flavour) -> None:
    def detail(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
        return _present_data(ctx, flavour, record, detail=True)

    def field(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
        return _field_entry(flavour, record)

    store.presenter(flavour.datum_kind)(detail)
    store.presenter(flavour.datum_kind, "field")(field)


for _flavour in FLAVOURS.values():
    _register(_flavour)
    _register_presenters(_flavour)


def deal_field_data(ctx: Ctx, deal_id: int) -> list[SandboxRecord]:
    """A deal's custom field values; present them with variant "field" for a deal's ``fields``."""
    qs = store.records(ctx.account, DEAL.datum_kind).filter(parent=deal_id)
    return list(qs.order_by("rid"))


def set_fields(ctx: Ctx, owner: str, owner_id: int, items: Any) -> list[SandboxRecord]:
    """Create or replace values from the ``fields`` attribute of POST/PUT /deals or /accounts.

    ``items``: ``[{"customFieldId": 9, "fieldValue": "…", "fieldCurrency": "GBP"}]``.
    Returns the records written, in request order.
    """
    flavour = FLAVOURS[owner]
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise rule_error("The fields field must be an array of objects.")
    saved = []
    for item in items:
        field = store.find(ctx.account, flavour.meta_kind, item.get("customFieldId"))
        if field is None:
            raise rule_error("The selected custom field id is invalid.")
        changes = _value_changes(field, item, echo=True)
        kind = flavour.datum_kind
        existing = store.records(ctx.account, kind).filter(parent=owner_id, key=field.id_str)
        record = existing.first()
        if record is None:
            data = _datum_data(flavour, field, owner_id, changes, store.plain(ctx.account))
            record = store.create(ctx.account, kind, data, parent=owner_id, key=field.id_str)
        else:
            store.update(record, **changes, updatedTimestamp=store.plain(ctx.account))
        saved.append(record)
    return saved
