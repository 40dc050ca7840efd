"""Contacts: ``/contacts`` (create, read, update, delete) and ``/contact/sync``.

GET /contacts (filters, ordering) is in contact_listing.py, the ``/contacts/{id}/…``
sub-resources are in contact_subresources.py.
"""

import hashlib
import re
from typing import Any

from .. import engine, store
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
    from .fieldvalues import set_contact_field_values

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


def _create(ctx: Ctx, changes: dict[str, Any]) -> SandboxRecord:
    """A new contact from validated attributes (``_clean``)."""
    return store.create(
        ctx.account, KIND, new_contact_data(ctx, **changes), key=changes["email"].lower()
    )


@route("POST", "contacts", "Contact_createNewContact")
def create_contact(ctx: Ctx):
    attrs = ctx.envelope("contact")
    record = _create(ctx, _clean(ctx, attrs, None))
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
        record = _create(ctx, changes)
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
    automations = engine.REGISTRY["contactAutomation"]  # its module imports this one
    in_automations = engine.records(ctx, automations).filter(data__contact=record.id_str)
    in_automations = list(in_automations.order_by("rid"))
    ids = {
        "contactAutomations": [r.id_str for r in in_automations],
        "contactLists": [r.id_str for r in related["contactList"]],
        "fieldValues": [r.id_str for r in related["fieldValue"]],
        "geoIps": [],
        "deals": [r.id_str for r in related["deal"]],
        "accountContacts": [r.id_str for r in related["accountContact"]],
    }
    body = store.project({**full(ctx, record), **ids}, DETAIL_KEYS)
    body["links"] = {name: body["links"][name] for name in LINKS}
    return {
        "contactAutomations": [
            engine.present(ctx, automations, r, "inContact") for r in in_automations
        ],
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
