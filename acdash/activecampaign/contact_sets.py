"""Contacts many at a time, for bulk jobs: every contact a list filter matches, and the
contacts, tags, list statuses and custom field values of a set of ids, in few calls.

The API has no side-loads on ``GET /contacts`` (docs/api-notes.md, "Reading many contacts
at once"), so each attribute is asked of the listing filtered by ids, 100 ids a call:
``ids[]`` alone for the contacts, with ``tagid`` for who has a tag, with ``listid`` and
``status`` for who has a status on a list. Field values are listed per field
(``GET /fieldValues?filters[fieldid]=``) or per contact, whichever takes fewer calls.
"""

from collections.abc import Collection, Iterable, Iterator, Sequence
from math import ceil
from typing import Any

from .client import Client
from .contacts import Contact, contact, list_contacts, matches_words
from .errors import NotFound
from .lists import ListStatus
from .paging import MAX_LIMIT, Page, fetch_page
from .parsing import parse_int

# Statuses asked for by ``list_statuses``; a contact on none of them is reported as 0
# (never on the list, or unconfirmed: the API's 0).
ASKED_STATUSES = (ListStatus.ACTIVE, ListStatus.UNSUBSCRIBED, ListStatus.BOUNCED)


def chunks[T](items: Sequence[T], size: int = MAX_LIMIT) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def matching_ids(client: Client, *, sort: str = "-cdate", **filters: Any) -> list[int]:
    """Every contact ``list_contacts`` would list with ``filters``, in its order, 100 a
    call. A search of several words pages through the matches of its longest word and
    keeps those matching every word (``list_contacts`` scans only the first few pages)."""
    words = str(filters.get("search") or "").split()
    if len(words) > 1:
        filters = {**filters, "search": max(words, key=len)}
    found: list[int] = []
    offset = 0
    while True:
        page = list_contacts(client, offset=offset, limit=MAX_LIMIT, sort=sort, **filters)
        found += [c.id for c in page.items if len(words) < 2 or matches_words(c, words)]
        offset += len(page.items)
        if not page.items or not page.has_more:
            return found


def _among(client: Client, ids: Sequence[int], **params: Any) -> Iterator[dict[str, Any]]:
    """Raw contacts among ``ids`` matching the listing's ``params``, 100 ids a call."""
    for part in chunks(ids):
        query = {**params, "ids[]": list(part)}
        yield from fetch_page(client, "/contacts", "contacts", limit=MAX_LIMIT, params=query).items


def contacts_by_ids(client: Client, ids: Sequence[int]) -> dict[int, Contact]:
    """The contacts that exist among ``ids`` (one call per 100; no organization names)."""
    return {c.id: c for c in map(contact, _among(client, ids))}


def tagged(client: Client, ids: Sequence[int], tag_id: int) -> set[int]:
    """Which of ``ids`` have the tag (one call per 100 ids)."""
    return {int(raw["id"]) for raw in _among(client, ids, tagid=tag_id)}


def list_statuses(client: Client, ids: Sequence[int], list_id: int) -> dict[int, int]:
    """Each of ``ids``' status on the list, 0 when it has none of ASKED_STATUSES (three
    calls per 100 ids)."""
    found = dict.fromkeys(ids, 0)
    for status in ASKED_STATUSES:
        for raw in _among(client, ids, listid=list_id, status=int(status)):
            found[int(raw["id"])] = int(status)
    return found


def field_texts(
    client: Client, ids: Sequence[int], field_ids: Collection[int]
) -> dict[int, dict[int, str]]:
    """Each contact's values of the fields, as the API's text ("" when unset): by field
    (all its values, 100 a call) when that takes fewer calls than one per contact. The
    first page of each field is read to learn how many values it has."""
    found: dict[int, dict[int, str]] = {i: dict.fromkeys(field_ids, "") for i in ids}
    if not field_ids or not ids:
        return found
    if len(field_ids) >= len(ids):
        _per_contact(client, ids, field_ids, found)
        return found
    first = {f: _value_page(client, f, 0) for f in field_ids}
    left = sum(ceil((page.total or 0) / MAX_LIMIT) - 1 for page in first.values())
    if left > len(ids):
        _per_contact(client, ids, field_ids, found)
        return found
    for field_id, page in first.items():
        offset = 0
        while True:
            _keep(found, page.items, {field_id})
            offset += len(page.items)
            if not page.items or not page.has_more:
                break
            page = _value_page(client, field_id, offset)
    return found


def _value_page(client: Client, field_id: int, offset: int) -> Page:
    params = {"filters[fieldid]": field_id}
    return fetch_page(client, "/fieldValues", "fieldValues", offset=offset, params=params)


def _per_contact(
    client: Client, ids: Iterable[int], field_ids: Collection[int], found: dict[int, dict[int, str]]
) -> None:
    for contact_id in ids:
        try:
            raws = client.get(f"/contacts/{contact_id}/fieldValues").get("fieldValues") or []
        except NotFound:  # deleted since: its values stay ""
            continue
        _keep(found, raws, field_ids)


def _keep(
    found: dict[int, dict[int, str]], raws: Iterable[dict], field_ids: Collection[int]
) -> None:
    for raw in raws:
        contact_id, field_id = parse_int(raw.get("contact")), parse_int(raw.get("field"))
        if contact_id in found and field_id in field_ids:
            found[contact_id][field_id] = "" if raw.get("value") is None else str(raw["value"])
