"""Contacts: ``/contacts``, ``/contact/sync`` and the contact sub-resources."""

import hashlib
import re
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, not_found, route

KIND = "contact"
LINKS = [
    "bounceLogs",
    "contactAutomations",
    "contactData",
    "contactGoals",
    "contactLists",
    "contactLogs",
    "contactTags",
    "contactDeals",
    "deals",
    "fieldValues",
    "geoIps",
    "notes",
    "organization",
    "plusAppend",
    "trackingLogs",
    "scoreValues",
]
SYNC_LINKS = [*LINKS, "accountContacts", "automationEntryCounts"]

_COMMON = [
    "cdate",
    "email",
    "phone",
    "firstName",
    "lastName",
    "orgid",
    "segmentio_id",
    "bounced_hard",
    "bounced_soft",
    "bounced_date",
    "ip",
    "ua",
    "hash",
    "socialdata_lastcheck",
    "email_local",
    "email_domain",
    "sentcnt",
    "rating_tstamp",
    "gravatar",
    "deleted",
]
# The key sets each operation returns, from the reference's examples.
LIST_KEYS = [*_COMMON, "anonymized", "adate", "udate", "edate", "deleted_at", "scoreValues"]
LIST_KEYS += ["links", "id", "organization"]
DETAIL_KEYS = [*_COMMON, "adate", "udate", "edate", "contactAutomations", "contactLists"]
DETAIL_KEYS += ["fieldValues", "geoIps", "deals", "accountContacts", "links", "id", "organization"]
FULL_KEYS = [*_COMMON, "anonymized", "adate", "udate", "edate", "deleted_at"]
FULL_KEYS += ["created_utc_timestamp", "updated_utc_timestamp", "links", "id", "organization"]
CREATED_KEYS = ["email", "cdate", "udate", "orgid", "links", "id", "organization"]
SYNC_KEYS = ["email", "phone", "firstName", "lastName", "email_empty", "cdate", "udate"]
SYNC_KEYS += ["orgid", "orgname", "links", "hash", "fieldValues", "id", "organization"]
DEALS_KEYS = [*_COMMON[:6], "orgname", *_COMMON[6:], "anonymized", "adate", "udate", "edate"]
DEALS_KEYS += ["deleted_at", "created_utc_timestamp", "updated_utc_timestamp"]
DEALS_KEYS += ["created_timestamp", "updated_timestamp", "created_by", "updated_by"]
DEALS_KEYS += ["email_empty", "mpp_tracking", "links", "id", "organization"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WRITABLE = {"email", "firstName", "lastName", "phone"}


def _missing_contact(rid: object) -> ApiError:
    return not_found("Subscriber", rid)


def get_contact(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, KIND, rid, _missing_contact(rid))


def new_contact_data(ctx: Ctx, email: str, **attributes: Any) -> dict[str, Any]:
    """Stored attributes of a new contact, with the defaults the API shows."""
    now_iso, now_utc = store.iso(ctx.account), store.utc_plain()
    data = {
        "email": email,
        "phone": "",
        "firstName": "",
        "lastName": "",
        "orgid": "0",
        "orgname": "",
        "segmentio_id": "",
        "bounced_hard": "0",
        "bounced_soft": "0",
        "bounced_date": None,
        "ip": "0",
        "ua": None,
        "hash": hashlib.md5(email.lower().encode()).hexdigest(),
        "socialdata_lastcheck": None,
        "email_local": "",
        "email_domain": "",
        "sentcnt": "0",
        "rating_tstamp": None,
        "gravatar": "0",
        "deleted": "0",
        "anonymized": "0",
        "adate": None,
        "cdate": now_iso,
        "udate": now_iso,
        "edate": None,
        "deleted_at": None,
        "created_utc_timestamp": now_utc,
        "updated_utc_timestamp": now_utc,
        "created_timestamp": store.plain(ctx.account),
        "updated_timestamp": store.plain(ctx.account),
        "created_by": "0",
        "updated_by": "0",
        "mpp_tracking": "0",
        "organization": None,
    }
    data.update(attributes)
    return data


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    data = record.data
    return {
        **data,
        "email_empty": not data["email"],
        "scoreValues": [],
        "fieldValues": [],
        "links": {name: ctx.link(f"contacts/{rid}/{name}") for name in SYNC_LINKS},
        "id": rid,
    }


def present(ctx: Ctx, record: SandboxRecord, keys: list[str], links=LINKS) -> dict[str, Any]:
    body = store.project(full(ctx, record), keys)
    if "links" in body:
        body["links"] = {name: body["links"][name] for name in links}
    return body


@store.presenter(KIND)
def present_full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As PUT /contacts/{id}, POST /notes and POST /contactLists return it."""
    return present(ctx, record, FULL_KEYS)


@store.presenter(KIND, "contactDeals")
def present_for_deals(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return present(ctx, record, DEALS_KEYS, SYNC_LINKS)


# Validation ------------------------------------------------------------------


def _clean(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    """Validate the writable attributes of a contact payload; 422 on the first bad one."""
    changes = {k: ("" if attrs[k] is None else str(attrs[k])) for k in WRITABLE if k in attrs}
    if record is None or "email" in changes:
        email = changes.get("email", "").strip()
        if not email:
            raise invalid("Email address is required.", "email", code="field_missing")
        if not EMAIL.match(email):
            raise invalid("Contact Email Address is not valid.", "email", code="email_invalid")
        clash = store.records(ctx.account, KIND).filter(key=email.lower())
        if record is not None:
            clash = clash.exclude(pk=record.pk)
        if clash.exists():
            raise invalid("Email address already exists in the system", "email", code="duplicate")
        changes["email"] = email
    for name in ("firstName", "lastName"):
        if len(changes.get(name, "")) > 255:
            raise invalid(f"{name} is too long (maximum is 255 characters).", name)
    return changes


def _field_values(ctx: Ctx, contact: SandboxRecord, items: Any) -> list[SandboxRecord]:
    from .fields import set_contact_field_values

    if items is None:
        return []
    if not isinstance(items, list):
        raise invalid("fieldValues must be a list.", "fieldValues")
    return set_contact_field_values(ctx, contact, items)


def _touch(ctx: Ctx, record: SandboxRecord, changes: dict[str, Any]) -> None:
    record.data.update(changes)
    record.data["udate"] = store.iso(ctx.account)
    record.data["updated_utc_timestamp"] = store.utc_plain()
    record.data["updated_timestamp"] = store.plain(ctx.account)
    if "email" in changes:
        record.key = changes["email"].lower()
        record.data["hash"] = hashlib.md5(record.key.encode()).hexdigest()
    record.save(update_fields=["data", "key"])


def touch_contact(ctx: Ctx, contact_id: int) -> None:
    """Mark a contact as updated (a tag, list or field value of it changed)."""
    record = store.find(ctx.account, KIND, contact_id)
    if record is not None:
        _touch(ctx, record, {})


# Operations ------------------------------------------------------------------


@route("POST", "contacts", "Contact_createNewContact")
def create_contact(ctx: Ctx):
    attrs = ctx.envelope("contact")
    changes = _clean(ctx, attrs, None)
    record = store.create(
        ctx.account, KIND, new_contact_data(ctx, **changes), key=changes["email"].lower()
    )
    values = _field_values(ctx, record, attrs.get("fieldValues"))
    body = present(ctx, record, CREATED_KEYS)
    # Create and sync answer an unset organization as "" where reads give null.
    body["organization"] = body["organization"] or ""
    return 201, {"fieldValues": [store.present(ctx, v, "contact") for v in values], "contact": body}


@route("POST", "contact/sync", "Contact_syncData")
def sync_contact(ctx: Ctx):
    attrs = ctx.envelope("contact")
    email = str(attrs.get("email") or "").strip()
    record = store.records(ctx.account, KIND).filter(key=email.lower()).first() if email else None
    changes = _clean(ctx, attrs, record)
    if record is None:
        status = 201
        record = store.create(
            ctx.account, KIND, new_contact_data(ctx, **changes), key=changes["email"].lower()
        )
    else:
        status = 200
        _touch(ctx, record, changes)
    values = _field_values(ctx, record, attrs.get("fieldValues"))
    body = present(ctx, record, SYNC_KEYS, SYNC_LINKS)
    body["fieldValues"] = [v.id_str for v in values]
    body["organization"] = body["organization"] or ""
    return status, {
        "fieldValues": [store.present(ctx, v, "sync") for v in values],
        "contact": body,
    }


@route("GET", "contacts/{id}", "Contact_getById")
def get_contact_detail(ctx: Ctx, id: str):
    record = get_contact(ctx, id)
    related = {
        kind: list(store.records(ctx.account, kind).filter(parent=record.rid).order_by("rid"))
        for kind in ("contactList", "deal", "fieldValue", "accountContact")
    }
    ids = {
        "contactAutomations": [],
        "contactLists": [r.id_str for r in related["contactList"]],
        "fieldValues": [r.id_str for r in related["fieldValue"]],
        "geoIps": [],
        "deals": [r.id_str for r in related["deal"]],
        "accountContacts": [r.id_str for r in related["accountContact"]],
    }
    body = store.project({**full(ctx, record), **ids}, DETAIL_KEYS)
    body["links"] = {name: body["links"][name] for name in LINKS}
    return {
        "contactAutomations": [],
        "contactLists": [store.present(ctx, r, "contact") for r in related["contactList"]],
        "deals": [store.present(ctx, r, "contact") for r in related["deal"]],
        "fieldValues": [store.present(ctx, r, "contact") for r in related["fieldValue"]],
        "geoAddresses": [],
        "geoIps": [],
        "contact": body,
    }


@route("PUT", "contacts/{id}", "Contact_updateContact")
def update_contact(ctx: Ctx, id: str):
    record = get_contact(ctx, id)
    attrs = ctx.envelope("contact")
    changes = _clean(ctx, attrs, record)
    _touch(ctx, record, changes)
    values = _field_values(ctx, record, attrs.get("fieldValues"))
    return {
        "fieldValues": [store.present(ctx, v, "contact") for v in values],
        "contact": present(ctx, record, FULL_KEYS),
    }


@route("DELETE", "contacts/{id}", "Contact_deleteById")
def delete_contact(ctx: Ctx, id: str):
    record = store.find(ctx.account, KIND, id)
    if record is None:
        raise ApiError(404, {"message": f"No result found for contact with id {id}"})
    # The contact's own rows go with it, as in the API.
    store.records(ctx.account, "fieldValue").filter(parent=record.rid).delete()
    store.records(ctx.account, "contactTag").filter(parent=record.rid).delete()
    store.records(ctx.account, "contactList").filter(parent=record.rid).delete()
    store.records(ctx.account, "accountContact").filter(parent=record.rid).delete()
    for kind, reltype in (("dealTask", "Subscriber"), ("note", "Subscriber")):
        store.records(ctx.account, kind).filter(parent=record.rid, data__reltype=reltype).delete()
    record.delete()
    return {}


# Listing -----------------------------------------------------------------------

ORDERABLE = {
    "id": "rid",
    "cdate": "data__cdate",
    "email": "key",
    "first_name": "data__firstName",
    "last_name": "data__lastName",
    "name": "data__firstName",
    "score": "rid",
}
# Filters for features the sandbox does not model (forms, automations, segments):
# a non-zero value matches no contact.
UNMODELLED_FILTERS = ("formid", "seriesid", "segmentid", "waitid")


def _related_contacts(ctx: Ctx, kind: str, **lookup: Any) -> QuerySet:
    return store.records(ctx.account, kind).filter(**lookup).values("parent")


def filter_contacts(ctx: Ctx) -> QuerySet[SandboxRecord]:
    qs = store.records(ctx.account, KIND)
    if ids := ctx.id_list("ids"):
        qs = qs.filter(rid__in=ids)
    if email := ctx.param("email"):
        qs = qs.filter(key=email.strip().lower())
    if email_like := ctx.param("email_like"):
        qs = qs.filter(key__contains=email_like.strip().lower())
    if (exclude := ctx.int_param("exclude")) is not None:
        qs = qs.exclude(rid=exclude)
    if (greater := ctx.int_param("id_greater")) is not None:
        qs = qs.filter(rid__gt=greater)
    if (less := ctx.int_param("id_less")) is not None:
        qs = qs.filter(rid__lt=less)
    if (search := ctx.param("search")) and search != "null":
        qs = qs.filter(
            Q(key__contains=search.lower())
            | Q(data__firstName__icontains=search)
            | Q(data__lastName__icontains=search)
            | Q(data__phone__icontains=search)
            | Q(data__orgname__icontains=search)
        )
    status = ctx.int_param("status")
    list_id = ctx.int_param("listid")
    if list_id or (status is not None and status != -1):
        membership: dict[str, Any] = {}
        if list_id:
            membership["key"] = str(list_id)
        if status is not None and status != -1:
            membership["data__status"] = str(status)
        qs = qs.filter(rid__in=_related_contacts(ctx, "contactList", **membership))
    if tag_id := ctx.int_param("tagid"):
        qs = qs.filter(rid__in=_related_contacts(ctx, "contactTag", key=str(tag_id)))
    if organization := ctx.int_param("organization"):
        qs = qs.filter(rid__in=_related_contacts(ctx, "accountContact", key=str(organization)))
    for name in UNMODELLED_FILTERS:
        if ctx.int_param(name):
            qs = qs.none()
    for name, lookup in (
        ("created_before", "data__cdate__lt"),
        ("created_after", "data__cdate__gt"),
        ("updated_before", "data__udate__lt"),
        ("updated_after", "data__udate__gt"),
    ):
        if value := ctx.param(f"filters[{name}]"):
            qs = qs.filter(**{lookup: _in_account_time(ctx, value)})
    return qs


def _in_account_time(ctx: Ctx, value: str) -> str:
    """A filter's date or datetime, in the form stored timestamps have (account time), so
    comparing strings compares instants; a plain date stays a date."""
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return value
    if len(value.strip()) <= 10:
        return value.strip()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ctx.tz)
    return store.iso(ctx.account, moment)


@route("GET", "contacts", "List_contacts")
def list_contacts(ctx: Ctx):
    qs = store.order_by_param(ctx, filter_contacts(ctx), ORDERABLE)
    if ctx.param("orders[name]"):
        direction = "-" if ctx.param("orders[name]", "").upper() == "DESC" else ""
        qs = qs.order_by(f"{direction}data__firstName", f"{direction}data__lastName", "rid")
    body, _ = store.paged(ctx, qs, "contacts", lambda c, r: present(c, r, LIST_KEYS))
    return {"scoreValues": [], **body}


# Sub-resources -----------------------------------------------------------------


def _children(ctx: Ctx, id: str, kind: str, plural: str, variant: str = "default"):
    contact = get_contact(ctx, id)
    rows = store.records(ctx.account, kind).filter(parent=contact.rid).order_by("rid")
    return {plural: [store.present(ctx, r, variant) for r in rows]}


@route("GET", "contacts/{id}/fieldValues", "Field_getValues")
def contact_field_values(ctx: Ctx, id: str):
    return _children(ctx, id, "fieldValue", "fieldValues")


@route("GET", "contacts/{id}/contactLists", "List_getContactListMemberships")
def contact_lists(ctx: Ctx, id: str):
    return _children(ctx, id, "contactList", "contactLists")


@route("GET", "contacts/{id}/contactTags", "Contact_getContactTags")
def contact_tags(ctx: Ctx, id: str):
    return _children(ctx, id, "contactTag", "contactTags")


@route("GET", "contacts/{id}/deals", "Deal_getContactDeals")
def contact_deals(ctx: Ctx, id: str):
    return _children(ctx, id, "deal", "deals", "contactDeals")


@route("GET", "contacts/{id}/accountContacts", "Account_getAccountContacts")
def contact_account_contacts(ctx: Ctx, id: str):
    return _children(ctx, id, "accountContact", "accountContacts")


@route("GET", "contacts/{id}/notes", "Note_getContactsNotes")
def contact_notes(ctx: Ctx, id: str):
    contact = get_contact(ctx, id)
    rows = (
        store.records(ctx.account, "note")
        .filter(parent=contact.rid, data__reltype="Subscriber")
        .order_by("rid")
    )
    return {"notes": [store.present(ctx, r) for r in rows]}


def _empty(plural: str):
    def handler(ctx: Ctx, id: str):
        get_contact(ctx, id)
        return {plural: []}

    return handler


# Activity the sandbox does not generate (automations, bounces, tracking): real
# contacts exist, with empty histories.
for _path, _plural, _operation in (
    ("contactAutomations", "contactAutomations", "List_contactAutomations"),
    ("scoreValues", "scoreValues", "Contact_getScoreValues"),
    ("bounceLogs", "bounceLogs", "Contact_getBounceLogs"),
    ("contactGoals", "contactGoals", "Contact_getGoals"),
    ("contactLogs", "contactLogs", "Contact_getLogs"),
    ("geoIps", "geoIps", "List_contactGeoIps"),
    ("trackingLogs", "trackingLogs", "Contact_getTrackingLogs"),
    ("automationEntryCounts", "automationEntryCounts", "Contact_getAutomationEntryCounts"),
):
    route("GET", f"contacts/{{id}}/{_path}", _operation)(_empty(_plural))
