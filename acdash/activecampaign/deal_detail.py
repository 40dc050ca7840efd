"""The deal page's data: the deal with its custom field values and the metadata that names
them (``get_deal_page``), its primary and secondary contacts (``deal_contacts``), its notes,
and the secondary-contact writes.

Secondary contacts and notes are read through the sub-resources the API links from every
deal (``links.contactDeals``, ``links.notes``); docs/api-notes.md says what is assumed.
"""

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from .client import Client
from .concurrency import gather
from .contacts import Contact, contact
from .customfields import CustomField, list_custom_fields
from .dealfieldvalues import deal_field_values
from .deals import DealDetail, DealNote, parse_deal_detail, parse_note
from .errors import NotFound
from .paging import MAX_LIMIT, fetch_page
from .parsing import parse_int
from .pipelines import Pipeline, list_pipelines
from .users import User, list_users


@dataclass(frozen=True, slots=True)
class DealPage:
    deal: DealDetail
    pipelines: list[Pipeline]
    users: list[User]
    fields: list[CustomField]  # the deal custom fields, in display order


@dataclass(frozen=True, slots=True)
class SecondaryContact:
    link_id: int  # the contactDeal's id: what removing it deletes
    contact: Contact | None  # None when the contact no longer exists
    contact_id: int


@dataclass(frozen=True, slots=True)
class DealContacts:
    primary: Contact | None
    secondary: list[SecondaryContact]


def get_deal_page(client: Client, deal_id: int) -> DealPage:
    """The deal and its field values (2 calls, made at once), with pipelines, users and deal
    field definitions from the cache (loaded alongside on a miss). Unknown deal: NotFound."""
    raw, values, known, users, fields = gather(
        lambda: client.get(f"/deals/{deal_id}")["deal"],
        lambda: deal_field_values(client, deal_id),
        lambda: list_pipelines(client),
        lambda: list_users(client),
        lambda: list_custom_fields(client, "deal"),
    )
    return DealPage(parse_deal_detail(raw, values), known, users, fields)


def contacts_by_id(client: Client, ids: Iterable[int]) -> dict[int, Contact]:
    """The contacts of ``ids`` that exist, in one call (``GET /contacts?ids[]=…``) per 100."""
    wanted = sorted({int(i) for i in ids if i})
    found: dict[int, Contact] = {}
    for start in range(0, len(wanted), MAX_LIMIT):
        chunk = wanted[start : start + MAX_LIMIT]
        page = fetch_page(client, "/contacts", "contacts", params={"ids[]": chunk})
        found |= {c.id: c for c in map(contact, page.items) if c.id in chunk}
    return found


def deal_contacts(client: Client, deal_id: int, primary_id: int | None) -> DealContacts:
    """The deal's primary and secondary contacts: 2 calls (the links, then the contacts)."""
    body = client.get(f"/deals/{deal_id}/contactDeals") or {}
    links: list[dict[str, Any]] = body.get("contactDeals") or []
    secondary_ids = [parse_int(link.get("contact")) for link in links]
    people = contacts_by_id(client, [primary_id or 0, *secondary_ids])
    return DealContacts(
        primary=people.get(primary_id or 0),
        secondary=[
            SecondaryContact(parse_int(link.get("id")), people.get(cid), cid)
            for link, cid in zip(links, secondary_ids, strict=True)
        ],
    )


def add_secondary_contact(client: Client, deal_id: int, contact_id: int) -> int:
    """Link a contact to the deal; the new link's id. A contact already linked: 422 on
    ``contact``; an unknown contact or deal: 422/404."""
    body = {"contactDeal": {"deal": int(deal_id), "contact": int(contact_id)}}
    return parse_int(client.post("/contactDeals", body)["contactDeal"].get("id"))


def remove_secondary_contact(client: Client, link_id: int) -> None:
    """Unlink a secondary contact (the contact itself stays)."""
    # Already gone (unlinked meanwhile, or a lost answer retried): the intent holds.
    with suppress(NotFound):
        client.delete(f"/contactDeals/{link_id}")


def deal_notes(client: Client, deal_id: int) -> list[DealNote]:
    """The deal's notes, newest first (one call). Unknown deal: NotFound."""
    raw = (client.get(f"/deals/{deal_id}/notes") or {}).get("notes") or []
    notes = [parse_note(item, deal_id) for item in raw]
    return sorted(notes, key=lambda n: (n.created is not None, n.created, n.id), reverse=True)
