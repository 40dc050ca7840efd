"""Custom objects: schemas (private, public and child) and their records, UUID ids."""

from typing import Any

from .. import engine, store
from ..engine import Family, serve
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, route

SCHEMA_PATH = "/customObjects/schemas"
DELETED = "marked_for_deletion"


def _not_found(rid: object = None) -> ApiError:
    return ApiError(404, {"message": "Not Found"})


def bad(field: str, detail: str) -> ApiError:
    """The custom-object 422: its pointer is a ``{type, value}`` object."""
    pointer = f"/data/attributes/{field.replace('.', '/')}"
    error = {"title": f'Invalid value for field "{field}"', "detail": detail}
    return ApiError(422, {"errors": [{**error, "source": {"type": "pointer", "value": pointer}}]})


def _check_schema(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    if record is None and not changes.get("slug"):
        raise bad("schema.slug", "Schema slug is required")
    labels = changes.get("labels")
    if (record is None or labels is not None) and not (
        isinstance(labels, dict) and labels.get("singular") and labels.get("plural")
    ):
        raise bad("schema.labels", "Schema must provide singular and plural labels")
    slug = changes.get("slug")
    others = engine.records(ctx, SCHEMAS).filter(data__slug=slug)
    if slug and others.exclude(pk=getattr(record, "pk", None)).exists():
        raise bad("schema.slug", "Schema slug must be unique")
    for name in ("fields", "relationships"):
        for item in changes.get(name) or []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise bad(f"schema.{name}.id", f"Schema {name} must have an id")
            if not isinstance(item.get("labels"), dict):
                raise bad(f"schema.{name}.labels", f"Schema {name} must provide labels")
    if "relationships" in changes:
        changes["relationships"] = [_relation(r, False) for r in changes["relationships"] or []]
    if "fields" in changes:
        changes["fields"] = [_options(ctx, f) for f in changes["fields"] or []]
    if record is not None and "fields" in changes:  # new fields are added, named ones changed
        merged = {f["id"]: f for f in record.data.get("fields") or []}
        merged.update({f["id"]: {**merged.get(f["id"], {}), **f} for f in changes["fields"]})
        changes["fields"] = list(merged.values())
    return changes


def _drop_records(ctx: Ctx, verb: str, schema: SandboxRecord, attrs: dict[str, Any]) -> None:
    if verb == "delete":
        store.records(ctx.account, "customObjectRecord").filter(data__schemaId=schema.key).delete()


def _relation(relation: dict[str, Any], public: bool) -> dict[str, Any]:
    return {"hasMany": False, **({"inherited": False} if public else {}), **relation}


def _options(ctx: Ctx, field: dict[str, Any]) -> dict[str, Any]:
    """Dropdown options get their ids from the API (stable ones here)."""
    options = field.get("options")
    if not isinstance(options, list):
        return field
    named = [
        {"id": engine.uuid_for(ctx.account.slug, field["id"], n), **o} if isinstance(o, dict) else o
        for n, o in enumerate(options)
    ]
    return {**field, "options": named}


SCHEMAS = serve(
    Family(
        kind="customObjectSchema",
        singular="schema",
        plural="schemas",
        entity="Schema",
        ops={
            "list": SCHEMA_PATH,
            "create": SCHEMA_PATH,
            "read": f"{SCHEMA_PATH}/{{id}}",
            "update": f"{SCHEMA_PATH}/{{schemaId}}",
            "delete": f"{SCHEMA_PATH}/{{id}}",
        },
        uuid_ids=True,
        orders=("slug",),
        defaults={"visibility": "private", "appId": None, "parentId": None},
        fixed=("visibility", "parentId"),
        validate=_check_schema,
        after=_drop_records,
        not_found_error=_not_found,
        views={"public": f"POST {SCHEMA_PATH}/public", "child": f"POST {SCHEMA_PATH}/{{id}}/child"},
    )
)


@route("POST", "customObjects/schemas/public", "Schema_createPublicSchema")
def create_public(ctx: Ctx):
    schema = engine.create(ctx, SCHEMAS, ctx.envelope("schema"), visibility="public")
    relations = [_relation(r, True) for r in schema.data.get("relationships") or []]
    store.update(schema, slug=f"app-{schema.key}-{schema.data['slug']}", relationships=relations)
    return {"schema": engine.present(ctx, SCHEMAS, schema, "public")}


@route("POST", "customObjects/schemas/{id}/child", "Schema_createChildSchema")
def create_child(ctx: Ctx, id: str):
    parent = engine.get(ctx, SCHEMAS, id)
    if parent.data.get("visibility") != "public":
        raise bad("schema.parentId", "Only public schemas can have child schemas")
    inherit = {"inherited": True}
    data = {
        **{k: v for k, v in parent.data.items() if k not in ("slug", "visibility")},
        "parentId": parent.key,
        "slug": f"app-{parent.data.get('appId')}-{parent.data['slug'].split('-', 6)[-1]}",
        "visibility": "private",
        "fields": [{**f, **inherit} for f in parent.data.get("fields") or []],
        "relationships": [
            {**{k: v for k, v in r.items() if k != "hasMany"}, **inherit}
            for r in parent.data.get("relationships") or []
        ],
    }
    child = engine.insert(ctx, SCHEMAS, data)
    return {"schema": engine.present(ctx, SCHEMAS, child, "child")}


@route("DELETE", "customObjects/schemas/{schemaId}/fields/{fieldId}", "Field_deleteField")
def delete_field(ctx: Ctx, schemaId: str, fieldId: str):
    schema = engine.get(ctx, SCHEMAS, schemaId)
    fields = schema.data.get("fields") or []
    if not any(f.get("id") == fieldId for f in fields):
        raise _not_found()
    if schema.data.get("visibility") == "public" or schema.data.get("parentId"):
        raise bad("schema.fields", "Fields can be deleted from private schemas only")
    marked = [{**f, "status": DELETED} if f.get("id") == fieldId else f for f in fields]
    engine.update(ctx, SCHEMAS, schema, {})
    store.update(schema, fields=marked)
    # This answer spells out ``inherited`` on every field and relationship.
    body = engine.present(ctx, SCHEMAS, schema, "read")
    for name in ("fields", "relationships"):
        body[name] = [{**item, "inherited": item.get("inherited", False)} for item in body[name]]
    return 202, {"schema": body}


# Records --------------------------------------------------------------------

RECORDS = Family(
    kind="customObjectRecord",
    singular="record",
    plural="records",
    entity="Record",
    ops={},
    uuid_ids=True,
    views={
        "list": "GET /customObjects/records/{schemaId}",
        "create": "POST /customObjects/records/{schemaId}",
        "read": "GET /customObjects/records/{schemaId}/{recordId}",
    },
)
engine.REGISTRY[RECORDS.kind] = RECORDS


def _of(ctx: Ctx, schema: SandboxRecord):
    return engine.records(ctx, RECORDS).filter(data__schemaId=schema.key)


def _record(ctx: Ctx, schema: SandboxRecord, **lookup: str) -> SandboxRecord:
    found = _of(ctx, schema).filter(**lookup).first()
    if found is None:
        raise _not_found()
    return found


def _check_record(schema: SandboxRecord, attrs: dict[str, Any]) -> dict[str, Any]:
    known = {f["id"] for f in schema.data.get("fields") or [] if f.get("status") != DELETED}
    fields = attrs.get("fields", [])
    if not isinstance(fields, list):
        raise bad("record.fields", "Record fields must be a list")
    for item in fields:
        name = item.get("id") if isinstance(item, dict) else None
        if not isinstance(name, str) or name not in known:
            field = str(name)[:60]
            detail = f"{field} cannot accept a value that is not defined in the schema."
            raise bad(field, detail)
    relations = attrs.get("relationships", {})
    allowed = {r["id"] for r in schema.data.get("relationships") or []}
    if not isinstance(relations, dict) or not set(relations) <= allowed:
        raise bad("record.relationships", "Relationships must be those the schema defines")
    external = attrs.get("externalId")
    if external is not None and not isinstance(external, str):
        raise bad("record.externalId", "externalId must be a string")
    changes = {"fields": fields, "relationships": relations}
    return {**changes, "externalId": external} if external is not None else changes


@route("GET", "customObjects/records/{schemaId}", "List_bySchemaRecords")
def list_records(ctx: Ctx, schemaId: str):
    schema = engine.get(ctx, SCHEMAS, schemaId)
    records = _of(ctx, schema).order_by("rid")
    matches = [(k, v) for k, v in ctx.query.items() if k.startswith("filters[relationships.")]
    rows = list(records)
    for name, value in matches:  # ?filters[relationships.<id>][eq]=<related id>
        relation = name[len("filters[relationships.") :].split("]")[0]
        rows = [r for r in rows if value in map(str, r.data["relationships"].get(relation, []))]
    limit, offset = store.page_bounds(ctx)
    page = rows[offset : offset + limit]
    meta = {"total": len(rows), "count": len(page), "limit": limit, "offset": offset}
    return {"records": [engine.present(ctx, RECORDS, r, "list") for r in page], "meta": meta}


@route("POST", "customObjects/records/{schemaId}", "Schema_createOrUpdateRecord")
def upsert_record(ctx: Ctx, schemaId: str):
    """Creates the record, or updates the one with the given id or externalId."""
    schema = engine.get(ctx, SCHEMAS, schemaId)
    attrs = ctx.envelope("record")
    changes = _check_record(schema, attrs)
    rid = attrs.get("id") if isinstance(attrs.get("id"), str) and attrs["id"] else None
    existing = _of(ctx, schema).filter(key=rid).first() if rid else None
    if existing is None and changes.get("externalId"):
        existing = _of(ctx, schema).filter(data__externalId=changes["externalId"]).first()
    if existing is None:
        record = engine.insert(ctx, RECORDS, {**changes, "schemaId": schema.key}, key=rid)
        return 201, {"record": engine.present(ctx, RECORDS, record, "create")}
    engine.update(ctx, RECORDS, existing, {})
    store.update(existing, **changes)
    return {"record": engine.present(ctx, RECORDS, existing, "create")}


@route("GET", "customObjects/records/{schemaId}/{recordId}", "Schema_getById")
def get_record(ctx: Ctx, schemaId: str, recordId: str):
    record = _record(ctx, engine.get(ctx, SCHEMAS, schemaId), key=recordId)
    return {"record": engine.present(ctx, RECORDS, record, "read")}


@route("GET", "records/{schemdId}/external/{externalId}", "Record_getByExternalId")
def get_by_external_id(ctx: Ctx, schemdId: str, externalId: str):
    schema = engine.get(ctx, SCHEMAS, schemdId)
    record = _record(ctx, schema, data__externalId=externalId)
    return {"record": engine.present(ctx, RECORDS, record, "read")}


@route("DELETE", "customObjects/records/{schemaId}/{recordId}", "Schema_deleteRecordById")
def delete_record(ctx: Ctx, schemaId: str, recordId: str):
    _record(ctx, engine.get(ctx, SCHEMAS, schemaId), key=recordId).delete()
    return 202, None


@route(
    "DELETE",
    "customObjects/records/{schemaId}/external/{externalId}",
    "Schema_deleteRecordByExternalId",
)
def delete_by_external_id(ctx: Ctx, schemaId: str, externalId: str):
    schema = engine.get(ctx, SCHEMAS, schemaId)
    _record(ctx, schema, data__externalId=externalId).delete()
    return 202, None
