"""Lists: ``/lists`` and list subscriptions (``/contactLists``)."""

import re
from typing import Any

from django.db.models.fields.json import KeyTextTransform

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .contacts import touch_contact
from .tags import order_by_name, search_by_name

KIND = "list"
LINK_KIND = "contactList"
SUBSCRIBED, UNSUBSCRIBED = 1, 2

# The key sets each operation returns, from the reference's examples.
CREATED_KEYS = ["name", "stringid", "cdate", "udate", "links", "id"]
LIST_KEYS = [
    "stringid",
    "userid",
    "name",
    "cdate",
    "p_use_tracking",
    "p_use_analytics_read",
    "p_use_analytics_link",
    "p_use_twitter",
    "p_use_facebook",
    "p_embed_image",
    "p_use_captcha",
    "send_last_broadcast",
    "private",
    "analytics_domains",
    "analytics_source",
    "analytics_ua",
    "twitter_token",
    "twitter_token_secret",
    "facebook_session",
    "carboncopy",
    "subscription_notify",
    "unsubscription_notify",
    "require_name",
    "get_unsubscribe_reason",
    "to_name",
    "optinoptout",
    "sender_name",
    "sender_addr1",
    "sender_addr2",
    "sender_city",
    "sender_state",
    "sender_zip",
    "sender_country",
    "sender_phone",
    "sender_url",
    "sender_reminder",
    "fulladdress",
    "optinmessageid",
    "optoutconf",
    "deletestamp",
    "udate",
    "links",
    "id",
    "user",
]
_LINK_HEAD = ["contact", "list", "form", "seriesid", "sdate"]
_LINK_MIDDLE = ["status", "responder", "sync", "unsubreason", "campaign", "message"]
_LINK_MIDDLE += ["first_name", "last_name", "ip4Sub", "sourceid", "autosyncLog", "ip4_last"]
_LINK_MIDDLE += ["ip4Unsub"]
_LINK_AUDIT = ["created_timestamp", "updated_timestamp", "created_by", "updated_by"]
_LINK_TAIL = ["unsubscribeAutomation", "links", "id", "automation"]
MEMBERSHIP_KEYS = [*_LINK_HEAD, "udate", *_LINK_MIDDLE, *_LINK_AUDIT, *_LINK_TAIL]
SIDELOAD_KEYS = [*_LINK_HEAD, "udate", *_LINK_MIDDLE, *_LINK_TAIL]
UPDATED_KEYS = [*_LINK_HEAD, *_LINK_MIDDLE, *_LINK_TAIL]
LINK_LINKS = [
    "automation",
    "list",
    "contact",
    "form",
    "autosyncLog",
    "campaign",
    "unsubscribeAutomation",
    "message",
]
REQUIRED = ("name", "sender_url", "sender_reminder")
OPTIONAL = ("send_last_broadcast", "carboncopy", "subscription_notify", "unsubscription_notify")


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = ("contactGoalLists", "user", "addressLists")
    return {
        **record.data,
        "links": {name: ctx.link(f"lists/{rid}/{name}") for name in links},
        "id": rid,
    }


def url_safe(name: str) -> str:
    """``Name of List`` -> ``name-of-list``: a list's stringid made of its name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "list"


def get_list(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, KIND, rid, not_found("_List", rid))


def new_list_data(ctx: Ctx, name: str, stringid: str, **attributes: Any) -> dict[str, Any]:
    """Stored attributes of a new list, with the defaults the API shows."""
    now = store.iso(ctx.account)
    data: dict[str, Any] = {
        "stringid": stringid,
        "userid": "1",
        "name": name,
        "cdate": now,
        "p_use_tracking": "1",
        "p_use_analytics_read": "0",
        "p_use_analytics_link": "0",
        "p_use_twitter": "0",
        "p_use_facebook": "0",
        "p_embed_image": "1",
        "p_use_captcha": "1",
        "send_last_broadcast": "0",
        "private": "0",
        "analytics_domains": None,
        "analytics_source": "",
        "analytics_ua": "",
        "twitter_token": "",
        "twitter_token_secret": "",
        "facebook_session": None,
        "carboncopy": None,
        "subscription_notify": None,
        "unsubscription_notify": None,
        "require_name": "0",
        "get_unsubscribe_reason": "0",
        "to_name": "Subscriber",
        "optinoptout": "1",
        "sender_name": "",
        "sender_addr1": "",
        "sender_addr2": "",
        "sender_city": "",
        "sender_state": "",
        "sender_zip": "",
        "sender_country": "",
        "sender_phone": "",
        "sender_url": "",
        "sender_reminder": "",
        "fulladdress": "",
        "optinmessageid": "0",
        "optoutconf": "0",
        "deletestamp": None,
        "udate": now,
        "user": "1",
    }
    data.update(attributes)
    return data


# Lists ---------------------------------------------------------------------------------


@route("POST", "lists", "List_createNewList")
def create_list(ctx: Ctx):
    attrs = ctx.envelope("list")
    values = {k: str(attrs.get(k) or "").strip() for k in REQUIRED}
    for attribute in REQUIRED:
        if not values[attribute]:
            raise missing(f"The list {attribute} was not provided.", attribute)
    # Clients written by ActiveCampaign (its MCP server) send no stringid: the API makes
    # one of the name (docs/api-notes.md).
    values["stringid"] = str(attrs.get("stringid") or "").strip() or url_safe(values["name"])
    extra = {k: str(attrs[k]) for k in OPTIONAL if attrs.get(k) is not None}
    if attrs.get("user") is not None:
        extra["user"] = extra["userid"] = str(attrs["user"])
    record = store.create(ctx.account, KIND, new_list_data(ctx, **values, **extra))
    # The reference answers a created list with 200, not 201.
    return {"list": store.project(full(ctx, record), CREATED_KEYS)}


@route("GET", "lists", "List_getAll")
def list_lists(ctx: Ctx):
    # filters[name] alone is a "contains" search, like /tags?search=.
    qs, term = search_by_name(
        ctx,
        store.records(ctx.account, KIND),
        "name",
        KeyTextTransform("name", "data"),
        ctx.param("filters[name]"),
    )
    qs = order_by_name(ctx, qs, "name", term)
    body, _ = store.paged(ctx, qs, "lists", lambda c, r: store.project(full(c, r), LIST_KEYS))
    return body


@route("GET", "lists/{id}", "List_getById")
def get_list_detail(ctx: Ctx, id: str):
    return {"list": store.project(full(ctx, get_list(ctx, id)), LIST_KEYS)}


@route("DELETE", "lists/{id}", "List_deleteById")
def delete_list(ctx: Ctx, id: str):
    record = get_list(ctx, id)
    store.records(ctx.account, LINK_KIND).filter(key=record.id_str).delete()
    # Custom fields shown on this list lose that link (fieldRels point at lists by relid).
    store.records(ctx.account, "fieldRel").filter(data__relid=record.id_str).delete()
    record.delete()
    return {}


# Subscriptions ---------------------------------------------------------------------------


def _link_full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    return {
        **record.data,
        "links": {name: ctx.link(f"contactLists/{rid}/{name}") for name in LINK_LINKS},
        "id": rid,
    }


@store.presenter(LINK_KIND)
def present_membership(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /contacts/{id}/contactLists lists it."""
    return store.project(_link_full(ctx, record), MEMBERSHIP_KEYS)


@store.presenter(LINK_KIND, "contact")
def present_for_contact(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /contacts/{id} side-loads it."""
    return store.project(_link_full(ctx, record), SIDELOAD_KEYS)


def new_subscription_data(
    contact_id: int, list_id: int | str, now_plain: str, **attributes: Any
) -> dict[str, Any]:
    """Stored attributes of a new list membership, with the defaults the API shows."""
    return {
        "contact": str(contact_id),
        "list": str(list_id),
        "form": None,
        "seriesid": "0",
        "sdate": None,
        "udate": None,
        "status": "1",
        "responder": "1",
        "sync": "0",
        "unsubreason": "",
        "campaign": None,
        "message": None,
        "first_name": "",
        "last_name": "",
        "ip4Sub": "0",
        "sourceid": "0",
        "autosyncLog": None,
        "ip4_last": "0",
        "ip4Unsub": "0",
        "created_timestamp": now_plain,
        "updated_timestamp": now_plain,
        "created_by": None,
        "updated_by": None,
        "unsubscribeAutomation": None,
        "automation": None,
        **attributes,
    }


def set_subscription(
    ctx: Ctx, contact_id: int, list_id: int, status: int, sourceid: str = "0"
) -> SandboxRecord:
    """Subscribe (1) or unsubscribe (2) a contact, creating the contactList if needed."""
    now, now_plain = store.iso(ctx.account), store.plain(ctx.account)
    contact = store.find(ctx.account, "contact", contact_id)
    names = {
        "first_name": contact.data.get("firstName", "") if contact else "",
        "last_name": contact.data.get("lastName", "") if contact else "",
    }
    # sdate is when the contact subscribed, udate when it unsubscribed.
    dated = {"sdate": now} if status == SUBSCRIBED else {"udate": now}
    changes = {**names, **dated, "status": str(status), "sourceid": sourceid}
    existing = (
        store.records(ctx.account, LINK_KIND).filter(parent=contact_id, key=str(list_id)).first()
    )
    if existing is not None:
        record = store.update(existing, **changes, updated_timestamp=now_plain)
    else:
        data = new_subscription_data(contact_id, list_id, now_plain, **changes)
        record = store.create(ctx.account, LINK_KIND, data, parent=contact_id, key=str(list_id))
    touch_contact(ctx, contact_id)
    return record


def _related_missing(attribute: str) -> ApiError:
    return invalid(f"The related {attribute} does not exist.", attribute, "related_missing")


@route("POST", "contactLists", "List_updateListStatusForContact")
def update_subscription(ctx: Ctx):
    attrs = ctx.envelope("contactList")
    for attribute in ("list", "contact", "status"):
        if attrs.get(attribute) in (None, ""):
            raise missing(f"The contactList {attribute} was not provided.", attribute)
    if str(attrs["status"]) not in (str(SUBSCRIBED), str(UNSUBSCRIBED)):
        raise invalid("The status must be 1 (subscribe) or 2 (unsubscribe).", "status")
    contact = store.find(ctx.account, "contact", attrs["contact"])
    if contact is None:
        raise _related_missing("contact")
    list_record = store.find(ctx.account, KIND, attrs["list"])
    if list_record is None:
        raise _related_missing("list")
    status = int(attrs["status"])
    sourceid = str(attrs.get("sourceid") or "0")
    record = set_subscription(ctx, contact.rid, list_record.rid, status, sourceid)
    contact.refresh_from_db()
    # This operation's contact has no edate, and its contactList carries status as a number.
    body = store.present(ctx, contact)
    body.pop("edate", None)
    return {
        "contacts": [body],
        "contactList": {**store.project(_link_full(ctx, record), UPDATED_KEYS), "status": status},
    }
