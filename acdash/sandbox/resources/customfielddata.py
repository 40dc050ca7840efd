"""Deal and account custom field values: ``/dealCustomFieldData`` and
``/accountCustomFieldData`` (one implementation, see customfields.py for the flavours), and the
values the ``fields`` attribute of the deal and account endpoints reads and writes.
"""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, not_found_errors
from .customfields import DEAL, FLAVOURS, Flavour, register_routes, rule_error, value_changes

NOT_AN_OBJECT = "Each custom field value must be a JSON object."


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


def _selected_field(ctx: Ctx, flavour: Flavour, rid: object) -> SandboxRecord:
    """The field a value payload names by ``customFieldId``, else the API's 422."""
    field = store.find(ctx.account, flavour.meta_kind, rid)
    if field is None:
        raise rule_error("The selected custom field id is invalid.")
    return field


def _new_datum(ctx: Ctx, flavour: Flavour, item: Any) -> SandboxRecord:
    """An unsaved data record for a create payload, validated (owner, field, value, unique)."""
    if not isinstance(item, dict):
        raise ApiError(400, {"message": NOT_AN_OBJECT})
    owner_ref = next((item[k] for k in flavour.owner_aliases if item.get(k)), None)
    if owner_ref is None:
        raise rule_error(f"The {flavour.owner_title} field is required.")
    if item.get("customFieldId") in (None, ""):
        raise rule_error("The custom field id field is required.")
    owner = store.find(ctx.account, flavour.owner, owner_ref)
    if owner is None:
        raise rule_error(f"The selected {flavour.owner_title} is invalid.")
    field = _selected_field(ctx, flavour, item["customFieldId"])
    taken = store.records(ctx.account, flavour.datum_kind).filter(
        parent=owner.rid, key=field.id_str
    )
    if taken.exists():
        raise rule_error(f"The {flavour.owner} already has a value for custom field {field.rid}.")
    changes = value_changes(field, item, echo=True)
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
    changes = value_changes(
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
        raise ApiError(400, {"message": NOT_AN_OBJECT})
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
        changes = value_changes(fields[record.key], item, echo=False)
        record.data.update(changes, updatedTimestamp=now)
    SandboxRecord.objects.bulk_update(found.values(), ["data"])
    listed = ", ".join(str(i) for i in ids)
    message = f"{flavour.label}CustomFieldDatas with ID(s): {listed} successfully bulk updated."
    return {"message": message}


def delete_datum(ctx: Ctx, flavour: Flavour, id: str):
    _get_datum(ctx, flavour, id).delete()
    return {"message": f"{flavour.label}CustomFieldData deleted."}


def _register(flavour: Flavour) -> None:
    data = flavour.data_path
    register_routes(
        flavour,
        [
            ("POST", data, "data.create", create_datum),
            ("GET", data, "data.list", list_data),
            ("POST", f"{data}/bulkCreate", "data.bulkCreate", bulk_create_data),
            ("GET", f"{data}/{{id}}", "data.get", get_datum),
            ("PUT", f"{data}/{{id}}", "data.update", update_datum),
            ("DELETE", f"{data}/{{id}}", "data.delete", delete_datum),
            ("PATCH", f"{data}/bulkUpdate", "data.bulkUpdate", bulk_update_data),
        ],
    )


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
        field = _selected_field(ctx, flavour, item.get("customFieldId"))
        changes = value_changes(field, item, echo=True)
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
