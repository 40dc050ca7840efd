"""Contacts: the contact list, the contact page, edits, search and counts.

Versions: ``Contact.updated`` (the API's ``udate``) is the contact's version. A page keeps
the version it showed and passes it as ``expected_version`` to ``update_contact``, or
compares it with ``contact_version``. The API keeps whole seconds, so two changes within
one second look alike. (The sandbox also moves it when the contact's field values, tags or
lists change; the reference does not say whether the API does.)

Organization names: the API names a contact's organization (its account) by id only, except
in some answers (``orgname``). ``list_contacts``, ``get_contact`` and ``update_contact``
fill the names in from ``account_names``: cached, so no call when warm, one per 100
organizations when cold.

Errors of writes are the API's: ValidationError.field_errors is keyed by API attribute;
``form_errors`` renames the keys to form field names (``FORM_FIELDS``).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from . import metadata
from .client import Client
from .errors import NON_FIELD, ApiError, NotFound, ValidationError
from .fields import (
    Field,
    FieldPython,
    FieldValue,
    field_value,
    fields_by_id,
    list_fields,
    to_api,
    to_python,
)
from .lists import ListMembership, ListStatus, list_names, membership
from .paging import MAX_LIMIT, TypedPage, fetch_page, iter_all
from .parsing import api_datetime, parse_datetime, parse_int, parse_optional_int
from .tags import ContactTag, contact_tags

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Sorts of the contact list: the API's orders[...] names; "-name" sorts descending.
SORTS = frozenset({"id", "cdate", "email", "first_name", "last_name", "name"})
# API attribute -> form field (Contact attribute) for the forms of contact writes.
FORM_FIELDS = {
    "email": "email",
    "firstName": "first_name",
    "lastName": "last_name",
    "phone": "phone",
}
# Attributes the API names in errors about a custom field value.
VALUE_ATTRIBUTES = frozenset({"fieldValues", "field", "value"})
MAX_ACCOUNT_NAMES = 2000  # 20 calls on a miss at most; further organizations stay unnamed
ACCOUNT_NAMES = "account_names"  # cache name: account writers invalidate it


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    organization_id: int | None
    organization_name: str  # "" when unknown
    created: datetime | None
    updated: datetime | None  # the version: see the module's docstring

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


ContactPage = TypedPage[Contact]


@dataclass(frozen=True, slots=True)
class ContactDeal:
    id: int
    title: str
    value_cents: int
    currency: str  # upper case, e.g. "USD"
    status: int  # 0 open, 1 won, 2 lost
    stage_id: int | None
    pipeline_id: int | None
    owner_id: int | None


@dataclass(frozen=True, slots=True)
class ContactDetail:
    contact: Contact
    fields: list[Field]  # every custom field, in display order
    values: dict[int, FieldValue]  # the contact's values, by field id
    lists: list[ListMembership]
    deals: list[ContactDeal]  # deals whose primary contact this is
    tags: list[ContactTag]

    @property
    def custom_fields(self) -> list[tuple[Field, FieldPython]]:
        """Every field with the contact's value, or the unset value of its type."""
        return [
            (f, self.values[f.id].value if f.id in self.values else to_python(f.type, None))
            for f in self.fields
        ]


@dataclass(frozen=True, slots=True)
class SavedFieldValue:
    value: FieldValue
    contact: Contact  # as the API answered: its ``updated`` is the new version


class ContactChanged(ApiError):
    """The contact changed since the version the caller showed; ``current`` is it now."""

    def __init__(self, current: Contact) -> None:
        super().__init__(f"contact {current.id} changed at {current.updated}")
        self.current = current


def contact(raw: dict[str, Any]) -> Contact:
    """A contact object of any answer (list, detail, write) as a Contact."""
    return Contact(
        id=int(raw["id"]),
        email=str(raw.get("email") or ""),
        first_name=str(raw.get("firstName") or ""),
        last_name=str(raw.get("lastName") or ""),
        phone=str(raw.get("phone") or ""),
        organization_id=parse_int(raw.get("organization") or raw.get("orgid")) or None,
        organization_name=str(raw.get("orgname") or ""),
        created=parse_datetime(raw.get("cdate")),
        updated=parse_datetime(raw.get("udate")),
    )


def _deal(raw: dict[str, Any]) -> ContactDeal:
    return ContactDeal(
        id=int(raw["id"]),
        title=str(raw.get("title") or ""),
        value_cents=parse_int(raw.get("value")),
        currency=str(raw.get("currency") or "").upper(),
        status=parse_int(raw.get("status")),
        stage_id=parse_optional_int(raw.get("stage")),
        pipeline_id=parse_optional_int(raw.get("group")),
        owner_id=parse_optional_int(raw.get("owner")),
    )


# Organization names ----------------------------------------------------------------------


def _load_account_names(client: Client) -> dict[int, str]:
    raw = iter_all(client, "/accounts", "accounts", max_items=MAX_ACCOUNT_NAMES, overflow="stop")
    return {int(item["id"]): str(item.get("name") or "") for item in raw}


def account_names(client: Client) -> dict[int, str]:
    """Organization (account) names by id (cached; one call per 100 on a miss)."""
    return metadata.cached(client, ACCOUNT_NAMES, lambda: _load_account_names(client))


def _named(client: Client, contacts: list[Contact]) -> list[Contact]:
    if not any(c.organization_id and not c.organization_name for c in contacts):
        return contacts
    names = account_names(client)
    return [
        replace(c, organization_name=names.get(c.organization_id, ""))
        if c.organization_id and not c.organization_name
        else c
        for c in contacts
    ]


# Reading ---------------------------------------------------------------------------------


def _filter_date(value: date | datetime) -> str:
    return api_datetime(value) if isinstance(value, datetime) else value.isoformat()


def list_contacts(
    client: Client,
    *,
    offset: int = 0,
    limit: int = MAX_LIMIT,
    search: str = "",
    list_id: int | None = None,
    tag_id: int | None = None,
    status: ListStatus | None = None,
    created_before: date | datetime | None = None,
    created_after: date | datetime | None = None,
    updated_before: date | datetime | None = None,
    updated_after: date | datetime | None = None,
    sort: str = "-cdate",
) -> ContactPage:
    """One page of contacts: one call (organization names from the cache).

    ``search`` matches names, organization, phone and email; ``status`` is the status on
    ``list_id`` (or on any list). ``sort`` is one of SORTS, "-" first for descending:
    ValueError otherwise.
    """
    name = sort.removeprefix("-")
    if name not in SORTS:
        raise ValueError(f"cannot sort contacts by {sort!r}")
    params: dict[str, Any] = {f"orders[{name}]": "DESC" if sort.startswith("-") else "ASC"}
    if search.strip():
        params["search"] = search.strip()
    if list_id is not None:
        params["listid"] = list_id
    if tag_id is not None:
        params["tagid"] = tag_id
    if status is not None:
        params["status"] = int(status)
    for key, value in (
        ("created_before", created_before),
        ("created_after", created_after),
        ("updated_before", updated_before),
        ("updated_after", updated_after),
    ):
        if value is not None:
            params[f"filters[{key}]"] = _filter_date(value)
    page = fetch_page(client, "/contacts", "contacts", offset=offset, limit=limit, params=params)
    items = _named(client, [contact(raw) for raw in page.items])
    return ContactPage.of(items, page)


def count_contacts(client: Client) -> int:
    """How many contacts the account has (one call)."""
    return fetch_page(client, "/contacts", "contacts", limit=1).total or 0


def search_contacts(client: Client, query: str, limit: int = 10) -> list[Contact]:
    """Contacts matching ``query``: by exact email when it is one, else by the API's search
    of names, organization, phone and email (one call). Organizations are not named here,
    so that a search across many accounts costs one call per account."""
    query = query.strip()
    if not query:
        return []
    params = {"email": query} if EMAIL.match(query) else {"search": query}
    page = fetch_page(client, "/contacts", "contacts", limit=limit, params=params)
    return [contact(raw) for raw in page.items]


def find_contact_by_email(client: Client, email: str) -> Contact | None:
    """The contact with this email (any case), or None (one call)."""
    page = fetch_page(client, "/contacts", "contacts", limit=1, params={"email": email.strip()})
    return contact(page.items[0]) if page.items else None


def read_contact(client: Client, contact_id: int) -> Contact:
    """The contact alone, in one call (the list endpoint by id: no side-loads)."""
    page = fetch_page(client, "/contacts", "contacts", limit=1, params={"ids[]": contact_id})
    if not page.items:
        raise NotFound(
            f"contact {contact_id} not found", status=404, method="GET", path="/contacts"
        )
    return contact(page.items[0])


def contact_version(client: Client, contact_id: int) -> datetime | None:
    """The contact's current ``updated`` (one call). NotFound once it is deleted."""
    return read_contact(client, contact_id).updated


def get_contact(client: Client, contact_id: int) -> ContactDetail:
    """Everything the contact page shows but notes: 3 calls at most, 2 without deals.

    ``GET /contacts/{id}`` (field values, lists, deal ids), ``GET
    /contacts/{id}/contactTags`` and, if it has deals, ``GET /contacts/{id}/deals``: the
    deals side-loaded by the first carry neither value nor stage. Field definitions and
    list, tag and organization names come from the cache. An unknown contact: NotFound.
    """
    body = client.get(f"/contacts/{contact_id}")
    fields = list_fields(client)
    by_id = {f.id: f for f in fields}
    values = (field_value(raw, by_id) for raw in body.get("fieldValues") or [])
    names = list_names(client)
    tags = contact_tags(client, contact_id)
    deals = []
    if body.get("deals"):
        raw_deals = client.get(f"/contacts/{contact_id}/deals").get("deals") or []
        deals = [_deal(raw) for raw in raw_deals]
    return ContactDetail(
        contact=_named(client, [contact(body["contact"])])[0],
        fields=fields,
        values={value.field_id: value for value in values},
        lists=[membership(raw, names) for raw in body.get("contactLists") or []],
        deals=deals,
        tags=tags,
    )


# Writing ---------------------------------------------------------------------------------


def _attributes(
    client: Client,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    phone: str | None,
    field_values: Mapping[int, FieldPython] | None,
) -> dict[str, Any]:
    given = {"email": email, "firstName": first_name, "lastName": last_name, "phone": phone}
    attributes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if field_values:
        attributes["fieldValues"] = _api_values(client, field_values.items())
    return attributes


def _api_values(client: Client, values: Iterable[tuple[int, FieldPython]]) -> list[dict]:
    """``fieldValues`` entries, typed by the cached field definitions."""
    fields = fields_by_id(client)
    entries = []
    for field_id, value in values:
        if field_id not in fields:
            raise ValueError(f"no custom field {field_id}")
        entries.append({"field": str(field_id), "value": to_api(fields[field_id].type, value)})
    return entries


def create_contact(
    client: Client,
    email: str,
    *,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    field_values: Mapping[int, FieldPython] | None = None,
) -> Contact:
    """A new contact (one call). An email in use: ValidationError on ``email`` (then
    ``find_contact_by_email`` finds the existing one). ``field_values`` as update_contact."""
    attributes = _attributes(client, email, first_name, last_name, phone, field_values)
    raw = client.post("/contacts", {"contact": attributes})["contact"]
    # The answer leaves out the names and phone that were sent.
    return contact({**attributes, **raw})


def update_contact(
    client: Client,
    contact_id: int,
    *,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    phone: str | None = None,
    field_values: Mapping[int, FieldPython] | None = None,
    expected_version: datetime | None = None,
) -> Contact:
    """Change the given attributes and custom field values ({field id: typed value}, None
    clears); one call, two with ``expected_version``, which raises ContactChanged when the
    contact's version differs (a check just before the write: it narrows the window in
    which a concurrent change is lost, it does not close it). Errors: ValidationError keyed
    by API attribute (FORM_FIELDS; VALUE_ATTRIBUTES for field values), NotFound; ValueError
    or TypeError for a value of the wrong type."""
    attributes = _attributes(client, email, first_name, last_name, phone, field_values)
    if expected_version is not None:
        current = read_contact(client, contact_id)
        if current.updated != expected_version:
            raise ContactChanged(current)
    body = client.put(f"/contacts/{contact_id}", {"contact": attributes})
    return _named(client, [contact(body["contact"])])[0]


def set_field_value(
    client: Client, contact_id: int, field_id: int, value: FieldPython
) -> SavedFieldValue:
    """Set one custom field value of the contact, typed as ``fields`` says (one call)."""
    attributes = {"fieldValues": _api_values(client, [(field_id, value)])}
    body = client.put(f"/contacts/{contact_id}", {"contact": attributes})
    fields = fields_by_id(client)
    for raw in body.get("fieldValues") or []:
        if parse_int(raw.get("field")) == field_id:
            return SavedFieldValue(field_value(raw, fields), contact(body["contact"]))
    raise ApiError(f"PUT /contacts/{contact_id}: the answer lacks field {field_id}'s value")


def clear_field_value(client: Client, contact_id: int, field_id: int) -> SavedFieldValue:
    """Empty one custom field value of the contact (one call)."""
    return set_field_value(client, contact_id, field_id, None)


def delete_contact(client: Client, contact_id: int) -> None:
    """Delete the contact (one call). NotFound if it is gone already."""
    client.delete(f"/contacts/{contact_id}")


def form_errors(error: ValidationError, value_field: str = NON_FIELD) -> dict[str, list[str]]:
    """The error's messages keyed by form field: FORM_FIELDS; custom field value errors
    under ``value_field`` (the form field of the value that was set); the rest NON_FIELD."""
    found: dict[str, list[str]] = {}
    for attribute, messages in error.field_errors.items():
        if attribute in FORM_FIELDS:
            name = FORM_FIELDS[attribute]
        elif attribute in VALUE_ATTRIBUTES:
            name = value_field
        else:
            name = NON_FIELD
        found.setdefault(name, []).extend(messages)
    return found


# Activity --------------------------------------------------------------------------------

# The activity kinds the contact page names, by the API's reference_type; others are "other".
ACTIVITY_KINDS = {
    "Subscriber": "contact",
    "Note": "note",
    "SubscriberNote": "note",
    "SubscriberTag": "tag",
    "SubscriberList": "list",
    "Deal": "deal",
    "DealActivity": "deal",
    "DealTask": "task",
    "SubscriberEmail": "email",
}
# Side-loads the summaries are built from: the referenced objects and the lists and tags
# they name, so that one call says everything.
ACTIVITY_INCLUDE = "reference,reference.contactList.list,reference.contactTag.tag"
ACTIVITY_SIDE_LOADS = (
    "notes",
    "contactTags",
    "tags",
    "contactLists",
    "lists",
    "deals",
    "dealTasks",
)
SUMMARY_LENGTH = 140


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    when: datetime | None
    kind: str  # contact, note, tag, list, deal, task, email or other
    summary: str  # plain text built from API data (note text, names): escape it when shown
    reference_type: str  # the API's, e.g. "SubscriberList"
    reference_id: int | None  # the id of the note, contactTag, contactList, deal, task…


def _short(text: Any) -> str:
    """One line of at most SUMMARY_LENGTH characters."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


def _words(name: str) -> str:
    """``SubscriberEmail`` -> ``Subscriber email``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).capitalize() or "Activity"


def _summary(kind: str, raw: dict[str, Any], loaded: dict[str, dict[str, dict]]) -> str:
    action, ref = str(raw.get("reference_action") or ""), str(raw.get("reference_id") or "")

    def referenced(plural: str) -> dict[str, Any]:
        return loaded.get(plural, {}).get(ref, {})

    if kind == "contact":
        return "Contact created"
    if kind == "note":
        text = _short(referenced("notes").get("note"))
        return f"Note: {text}" if text else "Note added"
    if kind == "tag":
        tag = loaded.get("tags", {}).get(str(referenced("contactTags").get("tag")), {})
        return f"Tagged “{tag['tag']}”" if tag.get("tag") else "Tag added"
    if kind == "list":
        found = loaded.get("lists", {}).get(str(referenced("contactLists").get("list")), {})
        name = f"“{found['name']}”" if found.get("name") else "a list"
        return f"Unsubscribed from {name}" if action == "unsubscribe" else f"Subscribed to {name}"
    if kind == "deal":
        title = _short(referenced("deals").get("title")) or "a deal"
        return {"won": f"Deal won: {title}", "lost": f"Deal lost: {title}"}.get(
            action, f"Deal created: {title}"
        )
    if kind == "task":
        task = referenced("dealTasks")
        title = _short(task.get("title") or task.get("note")) or "a task"
        return f"Task completed: {title}" if action == "complete" else f"Task created: {title}"
    described = _words(str(raw.get("reference_type") or ""))
    return f"{described} ({action})" if action else described


def recent_activity(client: Client, contact_id: int, limit: int = 20) -> list[Activity]:
    """The contact's latest activity (at most ``limit``, up to 100), newest first: one call,
    the notes, tags, lists, deals and tasks it refers to side-loaded for the summaries. An
    unknown contact: NotFound."""
    params = {
        "contact": contact_id,
        "include": ACTIVITY_INCLUDE,
        "orders[tstamp]": "DESC",
        "limit": max(1, min(limit, MAX_LIMIT)),
    }
    body = client.get("/activities", params=params)
    loaded = {
        plural: {str(item.get("id")): item for item in body.get(plural) or []}
        for plural in ACTIVITY_SIDE_LOADS
    }
    found = []
    for raw in body.get("activities") or []:
        kind = ACTIVITY_KINDS.get(str(raw.get("reference_type")), "other")
        found.append(
            Activity(
                id=parse_int(raw.get("id")),
                when=parse_datetime(raw.get("tstamp")),
                kind=kind,
                summary=_summary(kind, raw, loaded),
                reference_type=str(raw.get("reference_type") or ""),
                reference_id=parse_optional_int(raw.get("reference_id")),
            )
        )
    return found
