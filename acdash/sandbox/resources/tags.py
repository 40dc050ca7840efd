"""Tags: ``/tags`` and the contact–tag links ``/contactTags``."""

from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .contacts import touch_contact

KIND = "tag"
LINK_KIND = "contactTag"
TAG_TYPES = ("contact", "template")

# The key sets each operation returns, from the reference's examples.
CREATED_KEYS = ["tag", "description", "tagType", "cdate", "links", "id"]
LIST_KEYS = ["tagType", "tag", "description", "cdate", "links", "id"]
DETAIL_KEYS = ["tagType", "tag", "description", "cdate", "subscriber_count", "links", "id"]
CONTACT_TAG_KEYS = ["cdate", "contact", "id", "links", "tag"]


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    return {
        **record.data,
        "links": {"contactGoalTags": ctx.link(f"tags/{rid}/contactGoalTags")},
        "id": rid,
    }


def get_tag(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, KIND, rid, not_found("Tag", rid))


# Name search, shared with /lists (same operators and weight ordering) ----------------

OPERATORS = {
    "eq": "exact",
    "neq": "exact",
    "lt": "lt",
    "lte": "lte",
    "gt": "gt",
    "gte": "gte",
    "contains": "contains",
    "starts_with": "startswith",
}


def search_by_name(
    ctx: Ctx, qs: QuerySet[SandboxRecord], param: str, name: Combinable, term: str | None
) -> tuple[QuerySet[SandboxRecord], str | None]:
    """Apply ``filters[param][op]=value`` (and ``term``, a "contains" search) to ``name``.

    The API compares case-insensitively (MySQL collation). Returns the filtered rows and the
    search term that ``orders[param]=weight`` ranks by.
    """
    qs = qs.annotate(_name=Lower(name))
    if term is not None:
        qs = qs.filter(_name__contains=term.lower())
    for operator, lookup in OPERATORS.items():
        value = ctx.param(f"filters[{param}][{operator}]")
        if value is None:
            continue
        term = value
        condition = {f"_name__{lookup}": value.lower()}
        qs = qs.exclude(**condition) if operator == "neq" else qs.filter(**condition)
    return qs, term


def order_by_name(
    ctx: Ctx, qs: QuerySet[SandboxRecord], param: str, term: str | None
) -> QuerySet[SandboxRecord]:
    """``orders[param]=weight|asc|desc`` on rows annotated by ``search_by_name``."""
    direction = (ctx.param(f"orders[{param}]") or "").lower()
    if direction == "asc":
        return qs.order_by("_name", "rid")
    if direction == "desc":
        return qs.order_by("-_name", "rid")
    if direction == "weight" and term:
        # Exact matches first, then names starting with the term, then the rest.
        weight = Case(
            When(_name=term.lower(), then=Value(0)),
            When(_name__startswith=term.lower(), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return qs.annotate(_weight=weight).order_by("_weight", "rid")
    if direction not in ("", "weight"):
        raise ApiError(400, {"message": f"orders[{param}] must be weight, ASC or DESC."})
    return qs.order_by("rid")


# Tags ----------------------------------------------------------------------------------


def _clean(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    """Validate a tag payload; the API keeps tag names unique per tag type, ignoring case."""
    changes = {k: str(attrs[k] or "") for k in ("tag", "description", "tagType") if k in attrs}
    for k in ("tag", "tagType"):
        if k in changes:
            changes[k] = changes[k].strip()
    if (record is None or "tag" in changes) and not changes.get("tag"):
        raise missing("The tag name was not provided.", "tag")
    if record is None or "tagType" in changes:
        changes["tagType"] = changes.get("tagType") or "contact"
        if changes["tagType"] not in TAG_TYPES:
            raise invalid("The tag type must be contact or template.", "tagType")
    name = changes.get("tag", record.data["tag"] if record else "")
    tag_type = changes.get("tagType", record.data["tagType"] if record else "contact")
    clash = store.records(ctx.account, KIND).filter(key=name.lower(), data__tagType=tag_type)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    if clash.exists():
        raise invalid(
            f'A tag named "{name}" already exists. Please choose a new name.', "tag", "duplicate"
        )
    return changes


def _create_tag(
    ctx: Ctx, name: str, description: str = "", tag_type: str = "contact"
) -> SandboxRecord:
    data = {
        "tagType": tag_type,
        "tag": name,
        "description": description,
        "cdate": store.iso(ctx.account),
    }
    return store.create(ctx.account, KIND, data, key=name.lower())


@route("POST", "tags", "Tag_createTag")
def create_tag(ctx: Ctx):
    changes = _clean(ctx, ctx.envelope("tag"), None)
    record = _create_tag(ctx, changes["tag"], changes.get("description", ""), changes["tagType"])
    return 201, {"tag": store.project(full(ctx, record), CREATED_KEYS)}


@route("GET", "tags", "Tag_listAllTags")
def list_tags(ctx: Ctx):
    qs, term = search_by_name(
        ctx, store.records(ctx.account, KIND), "search", F("key"), ctx.param("search")
    )
    qs = order_by_name(ctx, qs, "search", term)
    body, _ = store.paged(ctx, qs, "tags", lambda c, r: store.project(full(c, r), LIST_KEYS))
    return body


@route("GET", "tags/{id}", "Tag_getTag")
def get_tag_detail(ctx: Ctx, id: str):
    record = get_tag(ctx, id)
    count = store.records(ctx.account, LINK_KIND).filter(key=record.id_str).count()
    return {
        "tag": store.project({**full(ctx, record), "subscriber_count": str(count)}, DETAIL_KEYS)
    }


@route("PUT", "tags/{id}", "Tag_updateTag")
def update_tag(ctx: Ctx, id: str):
    record = get_tag(ctx, id)
    changes = _clean(ctx, ctx.envelope("tag"), record)
    if "tag" in changes:
        record.key = changes["tag"].lower()
    store.update(record, **changes)
    return {"tag": store.project(full(ctx, record), LIST_KEYS)}


@route("DELETE", "tags/{id}", "Tag_removeTag")
def delete_tag(ctx: Ctx, id: str):
    record = get_tag(ctx, id)
    store.records(ctx.account, LINK_KIND).filter(key=record.id_str).delete()
    record.delete()
    return {}


def ensure_tag(ctx: Ctx, name: str) -> SandboxRecord:
    """The contact tag named ``name`` (any case), created if missing (used by bulk import)."""
    name = name.strip()
    existing = (
        store.records(ctx.account, KIND)
        .filter(key=name.lower(), data__tagType="contact")
        .order_by("rid")
        .first()
    )
    return existing or _create_tag(ctx, name)


# Contact tags ----------------------------------------------------------------------------


@store.presenter(LINK_KIND)
def present_contact_tag(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As POST /contactTags returns it; GET /contacts/{id}/contactTags lists the same shape."""
    rid = record.id_str
    links = {
        "contact": ctx.link(f"contactTags/{rid}/contact"),
        "tag": ctx.link(f"contactTags/{rid}/tag"),
    }
    return store.project({**record.data, "id": rid, "links": links}, CONTACT_TAG_KEYS)


def add_contact_tag(ctx: Ctx, contact_id: int, tag: SandboxRecord) -> SandboxRecord:
    """Tag a contact; a tag it already has gives back the existing contactTag."""
    existing = (
        store.records(ctx.account, LINK_KIND).filter(parent=contact_id, key=tag.id_str).first()
    )
    if existing is not None:
        return existing
    data = {"contact": str(contact_id), "tag": tag.id_str, "cdate": store.iso(ctx.account)}
    record = store.create(ctx.account, LINK_KIND, data, parent=contact_id, key=tag.id_str)
    touch_contact(ctx, contact_id)
    return record


def _link_error(status: int, title: str, attribute: str, detail: str = "") -> ApiError:
    """This endpoint's own error shape (``status`` inside each error, as the reference shows)."""
    error: dict[str, Any] = {"status": status, "title": title}
    if detail:
        error["detail"] = detail
    else:
        error["source"] = {"pointer": f"/data/attributes/{attribute}"}
    return ApiError(status, {"errors": [error]})


@route("POST", "contactTags", "Tag_addContactTag")
def create_contact_tag(ctx: Ctx):
    attrs = ctx.envelope("contactTag")
    for attribute in ("contact", "tag"):
        if attrs.get(attribute) in (None, ""):
            raise _link_error(422, "Missing attribute", attribute)
    contact = store.find(ctx.account, "contact", attrs["contact"])
    if contact is None:
        raise _link_error(404, "Not Found", "contact", "Contact not found")
    tag = store.find(ctx.account, KIND, attrs["tag"])
    if tag is None:
        raise _link_error(404, "Not Found", "tag", "Tag not found")
    record = add_contact_tag(ctx, contact.rid, tag)
    return 201, {"contactTag": present_contact_tag(ctx, record)}


@route("DELETE", "contactTags/{id}", "Tag_removeTagFromContact")
def delete_contact_tag(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, LINK_KIND, id, not_found("SubscriberTag", id))
    contact_id = record.parent
    record.delete()
    if contact_id is not None:
        touch_contact(ctx, contact_id)
    return {}
