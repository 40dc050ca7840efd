"""Contacts: the contact list, edits, search and counts (the contact page's data is
``contact_detail``, its activity ``activity``).

Versions: ``Contact.updated`` (the API's ``udate``) is the contact's version. A page keeps
the version it showed and passes it as ``expected_version`` to ``update_contact``, or
compares it with ``contact_version``. The API keeps whole seconds, so two changes within
one second look alike. (The sandbox also moves it when the contact's field values, tags or
lists change; the reference does not say whether the API does.)

Organization names: the API names a contact's organization (its account) by id only, except
in some answers (``orgname``). ``list_contacts``, ``update_contact`` and
``contact_detail.get_contact`` fill the names in from ``account_names``: cached, so no call
when warm, one per 100 organizations when cold.

Search: the API matches ``search`` as one string against each of first name, last name,
email, phone and organization (docs/api-notes.md, "Searching contacts by several words"),
so "Benjamin Stewart" alone finds no one. A search of several words asks the API for its
longest word and keeps the contacts that contain every word in one of those attributes: at
most ``MAX_SEARCH_SCAN`` candidates (``SEARCH_PAGES`` calls), in the order asked for.

Errors of writes are the API's: ValidationError.field_errors is keyed by API attribute;
``form_errors`` renames the keys to form field names (``FORM_FIELDS``).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from . import labels, metadata
from .client import Client
from .errors import NON_FIELD, ApiError, NotFound, ValidationError
from .fields import FieldPython, FieldValue, field_value, fields_by_id, to_api
from .lists import ListStatus
from .paging import MAX_LIMIT, TypedPage, fetch_page, iter_all
from .parsing import api_datetime, parse_datetime, parse_int

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
SEARCH_PAGES = 3  # calls a search of several words may make for its candidates
MAX_SEARCH_SCAN = SEARCH_PAGES * MAX_LIMIT


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


def remember_labels(client: Client, contacts: Iterable[Contact]) -> None:
    """What the contacts are called, for the pages that name them (``labels``)."""
    found = {c.id: labels.contact_label(c.first_name, c.last_name, c.email) for c in contacts}
    labels.remember(client, labels.CONTACT, found)


# Organization names ----------------------------------------------------------------------


def _load_account_names(client: Client) -> dict[int, str]:
    raw = iter_all(client, "/accounts", "accounts", max_items=MAX_ACCOUNT_NAMES, overflow="stop")
    return {int(item["id"]): str(item.get("name") or "") for item in raw}


def account_names(client: Client, wanted: Iterable[int] = ()) -> dict[int, str]:
    """Organization (account) names by id (cached; one call per 100 on a miss), loaded
    again once if one of ``wanted`` is missing: an organization created since."""

    def has(names: dict[int, str], org_id: int) -> bool:
        return len(names) >= MAX_ACCOUNT_NAMES or org_id in names

    return metadata.cached_with_ids(
        client, ACCOUNT_NAMES, lambda: _load_account_names(client), wanted, has
    )


def with_organization_names(client: Client, contacts: list[Contact]) -> list[Contact]:
    """The contacts, their organization names filled in from ``account_names``."""
    if not any(c.organization_id and not c.organization_name for c in contacts):
        return contacts
    names = account_names(client, (c.organization_id or 0 for c in contacts))
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
    id_greater: int | None = None,
) -> ContactPage:
    """One page of contacts: one call (organization names from the cache); a search of
    several words up to SEARCH_PAGES (see the module's docstring; ``capped`` then says
    whether candidates were left unscanned).

    ``search`` matches names, organization, phone and email; ``status`` is the status on
    ``list_id`` (or on any list). ``sort`` is one of SORTS, "-" first for descending:
    ValueError otherwise. ``id_greater`` keeps the contacts after that id (paging by id).
    """
    name = sort.removeprefix("-")
    if name not in SORTS:
        raise ValueError(f"cannot sort contacts by {sort!r}")
    params: dict[str, Any] = {f"orders[{name}]": "DESC" if sort.startswith("-") else "ASC"}
    words = search.split()
    if words:
        params["search"] = max(words, key=len) if len(words) > 1 else words[0]
    if list_id is not None:
        params["listid"] = list_id
    if tag_id is not None:
        params["tagid"] = tag_id
    if id_greater is not None:
        params["id_greater"] = id_greater
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
    if len(words) > 1:
        return _search_words(client, params, words, offset=offset, limit=limit)
    page = fetch_page(client, "/contacts", "contacts", offset=offset, limit=limit, params=params)
    items = with_organization_names(client, [contact(raw) for raw in page.items])
    remember_labels(client, items)
    return ContactPage.of(items, page)


def matches_words(found: Contact, words: list[str]) -> bool:
    """Whether every word is in the contact's first or last name, email, phone or
    organization (case-insensitive), as the API matches one word."""
    attributes = (found.first_name, found.last_name, found.email, found.phone)
    haystacks = [a.casefold() for a in (*attributes, found.organization_name) if a]
    return all(any(w.casefold() in h for h in haystacks) for w in words)


def _search_words(
    client: Client, params: dict[str, Any], words: list[str], *, offset: int, limit: int
) -> ContactPage:
    """The page ``offset``/``limit`` of the candidates matching every word."""
    candidates: list[Contact] = []
    capped = False
    for number in range(SEARCH_PAGES):
        page = fetch_page(client, "/contacts", "contacts", offset=number * MAX_LIMIT, params=params)
        candidates += [contact(raw) for raw in page.items]
        if not page.has_more:
            break
        capped = number == SEARCH_PAGES - 1
    named = with_organization_names(client, candidates)
    found = [c for c in named if matches_words(c, words)]
    limit = max(1, min(limit, MAX_LIMIT))
    return TypedPage(found[offset : offset + limit], len(found), offset, limit, capped)


def count_contacts(client: Client) -> int:
    """How many contacts the account has (one call)."""
    return fetch_page(client, "/contacts", "contacts", limit=1).total or 0


def search_contacts(client: Client, query: str, limit: int = 10) -> ContactPage:
    """The first ``limit`` contacts matching ``query``, by name, with the total: by exact
    email when it is one (one call), else as ``list_contacts`` searches (one call for one
    word, up to SEARCH_PAGES for several). Organization names come from the cache."""
    query = query.strip()
    if not query:
        return TypedPage([], 0, 0, limit)
    if not EMAIL.match(query):
        return list_contacts(client, search=query, limit=limit, sort="name")
    page = fetch_page(client, "/contacts", "contacts", limit=limit, params={"email": query})
    return ContactPage.of(with_organization_names(client, [contact(r) for r in page.items]), page)


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
    created = contact({**attributes, **raw})
    remember_labels(client, [created])
    return created


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
    saved = with_organization_names(client, [contact(body["contact"])])[0]
    remember_labels(client, [saved])
    return saved


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
    labels.forget(client, labels.CONTACT, [contact_id])


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
