"""Contact custom fields: ``/fields``, field options (``/fieldOption/bulk``) and ``/fieldRels``.

The contacts' values of these fields live in fieldvalues.py. Assumptions where the reference
is silent are listed in docs/api-notes/fields.md.
"""

import re
from typing import Any

from django.db.models import IntegerField, Max
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route

FIELD = "field"
OPTION = "fieldOption"
REL = "fieldRel"

TYPES = {
    "text",
    "textarea",
    "date",
    "datetime",
    "dropdown",
    "multiselect",
    "listbox",
    "radio",
    "checkbox",
    "hidden",
}

# Key sets per operation, in the reference examples' order.
FIELD_KEYS = ["title", "descript", "type", "isrequired", "perstag", "defval", "show_in_list"]
FIELD_KEYS += ["rows", "cols", "visible", "service", "ordernum", "cdate", "udate"]
FIELD_WRITE_KEYS = [*FIELD_KEYS, "links", "id"]
FIELD_KEYS += ["options", "relations", "links", "id"]
# Write responses (PUT /fields/{id}) carry these as numbers where reads give strings.
FIELD_NUMBERS = ("isrequired", "show_in_list", "rows", "cols", "visible", "ordernum")
OPTION_KEYS = ["field", "orderid", "value", "label", "isdefault", "cdate", "udate", "links", "id"]
OPTION_CREATED_KEYS = ["orderid", "value", "label", "isdefault", "field", "cdate", "udate"]
OPTION_CREATED_KEYS += ["links", "id"]
REL_KEYS = ["field", "relid", "dorder", "cdate", "links", "id"]
REL_CREATED_KEYS = ["relid", "field", "cdate", "links", "id"]

BULK_OPTIONS_ERROR = "Bulk operation failed. Request must contain an array of fieldOption objects."


def _missing_field(rid: object) -> ApiError:
    return not_found("Field", rid)


def related_missing(attribute: str) -> ApiError:
    return invalid(f"The related {attribute} does not exist.", attribute, "related_missing")


def related_field(ctx: Ctx, rid: object) -> SandboxRecord:
    """The field a payload names (an option's, a list relation's or a value's), else 422."""
    field = store.find(ctx.account, FIELD, rid)
    if field is None:
        raise related_missing("field")
    return field


def require(attrs: dict[str, Any], entity: str, *names: str) -> None:
    """422 on the first of ``names`` the payload leaves out or empty."""
    for name in names:
        if attrs.get(name) in (None, ""):
            raise missing(f"The {entity} {name} was not provided.", name)


def _duplicate(title: str, detail: str) -> ApiError:
    # The reference's 422 for a duplicate field has no source pointer.
    return ApiError(422, {"errors": [{"title": title, "detail": detail, "code": "duplicate"}]})


def _as_int(text: object) -> int:
    try:
        return int(str(text))
    except ValueError:
        return 0


def _by_number(name: str) -> Cast:
    return Cast(KT(f"data__{name}"), IntegerField())


# Presenters -------------------------------------------------------------------


def _field_full(
    ctx: Ctx, record: SandboxRecord, options: list[str], relations: list[str]
) -> dict[str, Any]:
    rid = record.id_str
    return {
        **record.data,
        "options": options,
        "relations": relations,
        "links": {
            "options": ctx.link(f"fields/{rid}/options"),
            "relations": ctx.link(f"fields/{rid}/relations"),
        },
        "id": rid,
    }


def _field_written(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As POST /fields and PUT /fields/{id} answer: no side-load ids, counters as numbers."""
    body = store.project(_field_full(ctx, record, [], []), FIELD_WRITE_KEYS)
    for name in FIELD_NUMBERS:
        body[name] = _as_int(body[name])
    return body


@store.presenter(OPTION)
def present_option(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    full = {**record.data, "links": {"field": ctx.link(f"fieldOptions/{rid}/field")}, "id": rid}
    return store.project(full, OPTION_KEYS)


@store.presenter(REL)
def present_rel(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project({**record.data, "links": [], "id": record.id_str}, REL_KEYS)


def _fields_body(ctx: Ctx, fields: list[SandboxRecord]) -> tuple[dict[str, Any], list[dict]]:
    """Side-loads of fields (``fieldOptions``, ``fieldRels``) and the fields with their ids."""
    ids = [f.rid for f in fields]
    options = list(
        store.records(ctx.account, OPTION)
        .filter(parent__in=ids)
        .order_by(_by_number("orderid"), "rid")
    )
    rels = list(store.records(ctx.account, REL).filter(parent__in=ids).order_by("rid"))
    presented = [
        store.project(
            _field_full(
                ctx,
                f,
                [o.id_str for o in options if o.parent == f.rid],
                [r.id_str for r in rels if r.parent == f.rid],
            ),
            FIELD_KEYS,
        )
        for f in fields
    ]
    side = {
        "fieldOptions": [present_option(ctx, o) for o in options],
        "fieldRels": [present_rel(ctx, r) for r in rels],
    }
    return side, presented


# Fields ----------------------------------------------------------------------------


def _perstag(text: str) -> str:
    """``Personalized Tag`` → ``PERSONALIZEDTAG``; a title's words are joined by ``_``."""
    return re.sub(r"[^A-Z0-9_]", "", text.upper())


def _flag(value: Any, attribute: str) -> str:
    return "1" if _number(value, attribute) != "0" else "0"


def _number(value: Any, attribute: str) -> str:
    try:
        return str(int(str(int(value) if isinstance(value, bool) else value).strip()))
    except ValueError as exc:
        raise invalid(f"{attribute} must be a number.", attribute) from exc


def _clean_field(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    """Validated attributes of a field payload; 422 on the first bad one."""
    others = store.records(ctx.account, FIELD)
    if record is not None:
        others = others.exclude(pk=record.pk)
    changes: dict[str, Any] = {}
    if record is None or "title" in attrs:
        title = str(attrs.get("title") or "").strip()
        if not title:
            raise missing("The field title was not provided.", "title")
        if others.filter(data__title__iexact=title).exists():
            raise _duplicate(
                "There is already a field with this title",
                f"There is already a field named '{title}' -- choose another name",
            )
        changes["title"] = title
    if "type" in attrs:
        kind = str(attrs["type"] or "").strip().lower()
        if kind and kind not in TYPES:
            raise invalid(f"'{kind}' is not a valid field type.", "type")
        changes["type"] = kind
    if attrs.get("perstag") not in (None, ""):
        changes["perstag"] = _perstag(str(attrs["perstag"]))
    elif record is None:
        changes["perstag"] = _perstag(re.sub(r"\s+", "_", changes["title"]))
    if "perstag" in changes:
        if not changes["perstag"]:
            raise invalid("The personalization tag must contain letters or digits.", "perstag")
        if others.filter(data__perstag=changes["perstag"]).exists():
            raise _duplicate(
                "There is already a field with this personalization tag",
                f"There is already a field with the tag '%{changes['perstag']}%'",
            )
    for name in ("descript", "defval"):
        if name in attrs:
            changes[name] = None if attrs[name] is None else str(attrs[name])
    if "service" in attrs:
        changes["service"] = str(attrs["service"] or "")
    for name in ("isrequired", "show_in_list", "visible"):
        if name in attrs:
            changes[name] = _flag(attrs[name], name)
    for name in ("rows", "cols", "ordernum"):
        if name in attrs:
            changes[name] = _number(attrs[name], name)
    return changes


def get_field(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, FIELD, rid, _missing_field(rid))


@route("POST", "fields", "Field_createCustomField")
def create_field(ctx: Ctx):
    changes = _clean_field(ctx, ctx.envelope("field"), None)
    last = store.records(ctx.account, FIELD).aggregate(top=Max(_by_number("ordernum")))["top"]
    now = store.iso(ctx.account)
    data = {
        "title": "",
        "descript": None,
        "type": "",
        "isrequired": "0",
        "perstag": "",
        "defval": None,
        "show_in_list": "0",
        "rows": "0",
        "cols": "0",
        "visible": "1",
        "service": "",
        "ordernum": str((last or 0) + 1),
        "cdate": now,
        "udate": now,
        **changes,
    }
    record = store.create(ctx.account, FIELD, data)
    return 201, {"field": _field_written(ctx, record)}


@route("GET", "fields", "Field_listAllCustom")
def list_fields(ctx: Ctx):
    qs = store.records(ctx.account, FIELD).order_by(_by_number("ordernum"), "rid")
    limit, offset = store.page_bounds(ctx, default_limit=100)
    side, fields = _fields_body(ctx, list(qs[offset : offset + limit]))
    return {**side, "fields": fields, "meta": {"total": str(qs.count())}}


@route("GET", "fields/{id}", "Field_getCustomField")
def get_field_detail(ctx: Ctx, id: str):
    side, fields = _fields_body(ctx, [get_field(ctx, id)])
    return {**side, "field": fields[0]}


@route("PUT", "fields/{id}", "Field_updateCustomField")
def update_field(ctx: Ctx, id: str):
    record = get_field(ctx, id)
    changes = _clean_field(ctx, ctx.envelope("field"), record)
    store.update(record, **changes, udate=store.iso(ctx.account))
    return {"field": _field_written(ctx, record)}


@route("DELETE", "fields/{id}", "Field_deleteCustomField")
def delete_field(ctx: Ctx, id: str):
    record = get_field(ctx, id)
    # Its options, list relations and every contact's value (fieldvalues.py) go with it.
    store.records(ctx.account, "fieldValue").filter(key=record.id_str).delete()
    store.records(ctx.account, OPTION).filter(parent=record.rid).delete()
    store.records(ctx.account, REL).filter(parent=record.rid).delete()
    record.delete()
    return {}


# Options and list relations ----------------------------------------------------------


@route("POST", "fieldOption/bulk", "Field_createCustomFieldOptions")
def create_options(ctx: Ctx):
    items = ctx.body.get("fieldOptions") if isinstance(ctx.body, dict) else None
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ApiError(422, {"errors": BULK_OPTIONS_ERROR})
    now = store.iso(ctx.account)
    created = []
    for item in items:
        require(item, "fieldOption", "field")
        field = related_field(ctx, item["field"])
        require(item, "fieldOption", "value")
        value = str(item["value"])
        siblings = store.records(ctx.account, OPTION).filter(parent=field.rid)
        if siblings.filter(data__value=value).exists():
            raise invalid(f"The field already has an option '{value}'.", "value", "duplicate")
        orderid = _number(item.get("orderid") or 0, "orderid")
        data = {
            "field": field.id_str,
            "orderid": orderid,
            "value": value,
            "label": str(item.get("label") or value),
            "isdefault": _flag(item.get("isdefault") or 0, "isdefault"),
            "cdate": now,
            "udate": now,
        }
        record = store.create(ctx.account, OPTION, data, parent=field.rid)
        body = store.project(present_option(ctx, record), OPTION_CREATED_KEYS)
        body.update(orderid=int(orderid), isdefault=int(data["isdefault"]), field=item["field"])
        created.append(body)
    return 201, {"fieldOptions": created}


@route("POST", "fieldRels", "List_createFieldRelationshipToLists")
def create_rel(ctx: Ctx):
    attrs = ctx.envelope("fieldRel")
    require(attrs, "fieldRel", "field", "relid")
    field = related_field(ctx, attrs["field"])
    relid = _number(attrs["relid"], "relid")
    # relid 0 relates the field to every list.
    if relid != "0" and store.find(ctx.account, "list", relid) is None:
        raise related_missing("relid")
    rels = store.records(ctx.account, REL).filter(parent=field.rid)
    if rels.filter(data__relid=relid).exists():
        raise invalid("The field is already related to this list.", "relid", "duplicate")
    data = {"field": field.id_str, "relid": relid, "dorder": "0", "cdate": store.iso(ctx.account)}
    record = store.create(ctx.account, REL, data, parent=field.rid)
    body = store.project(present_rel(ctx, record), REL_CREATED_KEYS)
    # Echoed as sent: the reference's request has numbers and so has its answer.
    body.update(relid=attrs["relid"], field=attrs["field"])
    return 201, {"fieldRel": body}


@route("DELETE", "fieldRels/{fieldRelId}", "List_deleteFieldRelationToList")
def delete_rel(ctx: Ctx, fieldRelId: str):
    store.get_or_404(ctx.account, REL, fieldRelId, not_found("FieldRel", fieldRelId)).delete()
    return {}
