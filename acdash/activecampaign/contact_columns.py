"""Reading many contacts with chosen columns, for the CSV export: a filtered set paged by id,
and per page of up to 100 contacts their tags and list statuses, batched.

The API has no side-loads on ``GET /contacts``, so a page's tags and list statuses are asked
as ``contact_sets`` asks them: which of the page's ids carry one tag is one call, their
statuses on one list three. Custom field values cannot be filtered by contact at all:
``GET /fieldValues?filters[fieldid]=`` lists one field's values for the whole account, 100 a
call, so each chosen field is read that way once, before the first page (its values, not
the contacts, are what the export keeps in memory).

Values are the attribute values of ``acdash.jobs.contract``: core fields str, ``field:<id>``
the API's text, ``tag:<id>`` bool, ``list:<id>`` 1 (subscribed), 2 (unsubscribed), 3
(bounced) or 0.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from . import contact_sets
from .client import Client
from .concurrency import gather
from .contacts import Contact, count_contacts, find_contact_by_email, list_contacts
from .paging import MAX_LIMIT, iter_all, iter_by_id
from .parsing import parse_int

CORE_ATTRIBUTES = {
    "email": "email",
    "firstName": "first_name",
    "lastName": "last_name",
    "phone": "phone",
}
MAX_LISTED = 10_000_000  # far past any account: a listing is read whole


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    values: dict[str, Any]  # attribute key -> value, for the keys asked for


def _prefixed(keys: Sequence[str], prefix: str) -> list[int]:
    return [int(key.removeprefix(prefix)) for key in keys if key.startswith(prefix)]


def field_values(client: Client, field_id: int) -> dict[int, str]:
    """One custom field's values by contact id, in the API's text form: one call per 100."""
    params = {"filters[fieldid]": field_id}
    raws = iter_all(client, "/fieldValues", "fieldValues", params=params, max_items=MAX_LISTED)
    return {parse_int(raw.get("contact")): str(raw.get("value") or "") for raw in raws}


def _page_values(
    client: Client, page: list[Contact], keys: Sequence[str], fields: dict[int, dict[int, str]]
) -> list[ContactRow]:
    """The rows of one page: one call per tag column and three per list column, at once."""
    ids = [c.id for c in page]
    tag_ids, list_ids = _prefixed(keys, "tag:"), _prefixed(keys, "list:")
    found = iter(
        gather(
            *((lambda t=t: contact_sets.tagged(client, ids, t)) for t in tag_ids),
            *((lambda n=n: contact_sets.list_statuses(client, ids, n)) for n in list_ids),
        )
    )
    tagged = {t: next(found) for t in tag_ids}
    statuses = {n: next(found) for n in list_ids}
    rows = []
    for contact in page:
        values: dict[str, Any] = {}
        for key in keys:
            kind, _, ident = key.partition(":")
            if key in CORE_ATTRIBUTES:
                values[key] = getattr(contact, CORE_ATTRIBUTES[key])
            elif kind == "field":
                values[key] = fields[int(ident)].get(contact.id, "")
            elif kind == "tag":
                values[key] = contact.id in tagged[int(ident)]
            elif kind == "list":
                values[key] = statuses[int(ident)].get(contact.id, 0)
        rows.append(ContactRow(contact.id, values))
    return rows


def export_rows(
    client: Client, filters: dict[str, Any], keys: Sequence[str]
) -> Iterator[list[ContactRow]]:
    """The contacts ``filters`` (``contacts.list_contacts``'s keyword arguments) match, in id
    order, a page of up to 100 at a time with the values of ``keys``.

    Calls: one per chosen custom field and 100 of its values, first; then per page one for
    the contacts, one per tag key and three per list key. A search of several words scans at
    most ``contacts.MAX_SEARCH_SCAN`` candidates (three calls a page), as the list does."""
    fields = {field_id: field_values(client, field_id) for field_id in _prefixed(keys, "field:")}
    last = 0
    while True:
        page = list_contacts(client, **filters, id_greater=last, sort="id", limit=MAX_LIMIT)
        if page.items:
            yield _page_values(client, page.items, keys, fields)
        if len(page.items) < MAX_LIMIT or page.capped:
            return
        last = page.items[-1].id


def export_calls(matching: int, account_contacts: int, keys: Sequence[str]) -> int:
    """About how many calls ``export_rows`` makes: an upper bound, as a field's values are
    counted as if every contact of the account had one."""
    pages = max(1, ceil(matching / MAX_LIMIT))
    per_list = len(contact_sets.ASKED_STATUSES)
    per_page = 1 + len(_prefixed(keys, "tag:")) + per_list * len(_prefixed(keys, "list:"))
    per_field = max(1, ceil(account_contacts / MAX_LIMIT))
    return pages * per_page + per_field * len(_prefixed(keys, "field:"))


def ids_by_email(client: Client, emails: Sequence[str]) -> dict[str, int]:
    """The ids of the contacts with these emails, by lower-case email, for those that exist.

    The API finds contacts by one email at a time: one call per distinct email (at once),
    or, when that is more, one call for the account's count and one per 100 of its
    contacts, read in id order."""
    unique = list(dict.fromkeys(email.strip().lower() for email in emails))
    if len(unique) > 1 and ceil(count_contacts(client) / MAX_LIMIT) < len(unique):
        wanted = set(unique)
        every = iter_by_id(client, "/contacts", "contacts", max_items=MAX_LISTED)
        return {
            email: int(raw["id"])
            for raw in every
            if (email := str(raw.get("email") or "").lower()) in wanted
        }
    found = gather(*((lambda e=e: find_contact_by_email(client, e)) for e in unique))
    return {email: contact.id for email, contact in zip(unique, found, strict=True) if contact}
