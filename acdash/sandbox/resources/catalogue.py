"""The account's other plain resources, as engine families: addresses, calendars, saved
responses, scores, segments, forms, templates, configs, group members and limits, list
group permissions, geo addresses, and the contact's data, organization and plusAppend."""

from typing import Any

from .. import engine, store
from ..engine import Family, example, serve
from ..routing import ApiError, Ctx, field_error, invalid, not_found_errors, route
from .contacts import get_contact


def crud(kind: str, plural: str, entity: str, path: str, **options: Any) -> Family:
    """A family served at ``/<path>`` and ``/<path>/{id}`` with every verb it names."""
    verbs = options.pop("verbs", ("list", "create", "read", "update", "delete"))
    ops = {verb: path if verb in ("list", "create") else f"{path}/{{id}}" for verb in verbs}
    return serve(Family(kind=kind, singular=kind, plural=plural, entity=entity, ops=ops, **options))


ADDRESSES = crud(
    "address",
    "addresses",
    "Address",
    "/addresses",
    required=("companyName", "address1"),
    aliases={"company_name": "companyName", "address_1": "address1", "address_2": "address2"},
)
for _kind, _entity, _path in (
    ("addressGroup", "AddressGroup", "/addressGroups"),
    ("addressList", "AddressList", "/addressLists"),
):
    crud(_kind, f"{_kind}s", _entity, _path, verbs=("delete",))
CALENDARS = crud(
    "calendar", "calendars", "Calendar", "/calendars", required=("title",), fixed=("token",)
)


def _saved_response(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    """The API's 422 lists every problem: a title, and a subject or a body."""
    merged = {**(record.data if record else {}), **changes}
    errors = []
    if not merged.get("title"):
        errors.append(field_error("This field is required.", "title", "field_missing"))
    if not merged.get("subject") and not merged.get("body"):
        for name in ("subject", "body"):
            errors.append(field_error("Either a subject or a body needs to be provided.", name))
    if errors:
        raise ApiError(422, {"errors": errors})
    return changes


SAVED_RESPONSES = crud(
    "savedResponse",
    "savedResponses",
    "SavedResponse",
    "/savedResponses",
    defaults={"ldate": None, "last_sent_user_id": None, "mdate": None},
    validate=_saved_response,
)
SCORES = crud("score", "scores", "Score", "/scores", verbs=("list", "read"))
SEGMENTS = crud("segment", "segments", "Segment", "/segments", verbs=("list", "read"))
TEMPLATES = crud("template", "templates", "Template", "/templates", verbs=("read",))
FORMS = crud("form", "forms", "Form", "/forms", verbs=("list", "read"), refused=("read",))
CONFIGS = crud(
    "config", "configs", "ConfigResult", "/configs", verbs=("update",), mirrors={"owner": "userid"}
)
GROUP_LIMITS = crud(
    "groupLimit",
    "groupLimits",
    "GroupLimit",
    "/groupLimits",
    verbs=("list",),
    mirrors={"group": "groupid"},
)


def _member(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    """A field joins the end of its group unless the request places it (``ordernum``)."""
    if changes.get("ordernum") is None:
        changes.pop("ordernum", None)
        if record is None:
            changes["ordernum"] = engine.records(ctx, GROUP_MEMBERS).count() + 1
    return changes


GROUP_MEMBERS = serve(
    Family(
        kind="groupMember",
        singular="groupMember",
        plural="groupMembers",
        entity="GroupDefinition",
        ops={
            "create": "/groupMembers",
            "read": "/groupMembers/{groupID}",
            "update": "/groupMembers/{groupId}",
            "delete": "/groupMembers/{groupID}",
        },
        required=("rel_id", "group_id"),
        validate=_member,
        not_found_error=lambda rid: not_found_errors(),
    )
)


def _list_group(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    for name, kind in (("list", "list"), ("group", "group")):
        if store.find(ctx.account, kind, changes.get(name)) is None:
            raise invalid(f"No {kind} with id {str(changes.get(name))[:40]} exists.", f"{name}id")
    return changes


LIST_GROUPS = crud(
    "listGroup",
    "listGroups",
    "ListGroup",
    "/listGroups",
    verbs=("create",),
    required=("list", "group"),
    aliases={"listid": "list", "groupid": "group"},
    validate=_list_group,
)
GEO_ADDRESSES = serve(
    Family(
        kind="geoAddress",
        singular="geoAddress",
        plural="geoAddresses",
        entity="Subscriber",
        ops={"read": "/geoIps/{geoAddressID}/geoAddress"},
    )
)


def _of_contact(path: str, key: str) -> None:
    """``GET /contacts/{id}/<key>``: a contact's one related object, its defaults from the
    reference's example (the sandbox records no such data), its id the contact's."""
    family = Family(kind=key, singular=key, plural=f"{key}s", entity="Subscriber", ops={})
    family.views["read"] = path
    status, _ = example("GET", path)

    def handle(ctx: Ctx, id: str):
        contact = get_contact(ctx, id)
        record = store.records(ctx.account, key).filter(parent=contact.rid).first()
        if record is None:
            data = engine.new_data(ctx.account, family, contact=contact.id_str)
            record = store.create(ctx.account, key, data, parent=contact.rid)
        return status, {key: engine.present(ctx, family, record, "read")}

    route("GET", path.lstrip("/"), engine.reference()[("GET", path)]["operationId"])(handle)


_of_contact("/contacts/{id}/contactData", "contactDatum")
_of_contact("/contacts/{id}/plusAppend", "plusAppend")


@route("GET", "contacts/{id}/organization", "Contact_getOrganization")
def contact_organization(ctx: Ctx, id: str):
    """The contact's account (the API's old name for it: organization)."""
    contact = get_contact(ctx, id)
    account = store.find(ctx.account, "account", contact.data.get("organization"))
    if account is None:
        return {"organization": None}
    data = account.data
    return {
        "organization": {
            "name": data.get("name", ""),
            "created_timestamp": data.get("createdTimestamp", ""),
            "updated_timestamp": data.get("updatedTimestamp", ""),
            "userid": str(data.get("owner", "1")),
            "id": account.id_str,
            "owner": str(data.get("owner", "1")),
        }
    }


@route("GET", "template/share", "Template_createShareableLink")
def share_template(ctx: Ctx):
    """A shareable link to an existing template; the API's own failure answer otherwise."""
    found = engine.find(ctx, TEMPLATES, ctx.param("id"))
    answers = engine.reference()[("GET", "/template/share")]["responses"]
    success, failure = (r["json"] for r in answers)
    if found is None:
        return failure
    return {**success, "url": ctx.link(f"templates/{found.id_str}/share")}
