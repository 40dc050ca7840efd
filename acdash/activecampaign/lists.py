"""Lists (cached metadata) and contacts' list memberships."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from . import metadata
from .client import Client
from .paging import fetch_page, iter_all
from .parsing import parse_datetime, parse_int

MAX_LISTS = 2000  # more would not fit a dropdown anyway; past it the first are kept
CACHE_NAME = "lists"


class ListStatus(IntEnum):
    """A contact's status on a list; also the ``status`` filter of the contact list."""

    UNCONFIRMED = 0
    ACTIVE = 1
    UNSUBSCRIBED = 2
    BOUNCED = 3


@dataclass(frozen=True, slots=True)
class MailingList:
    id: int
    name: str
    stringid: str
    created: datetime | None


@dataclass(frozen=True, slots=True)
class ListMembership:
    id: int  # the contactList's id
    contact_id: int
    list_id: int
    list_name: str  # from the cached lists, "" when unknown
    status: ListStatus
    subscribed: datetime | None
    # The last change of status (an unsubscribe): not in subscribe/unsubscribe's answers.
    updated: datetime | None


def _list(raw: dict[str, Any]) -> MailingList:
    return MailingList(
        id=int(raw["id"]),
        name=str(raw.get("name") or ""),
        stringid=str(raw.get("stringid") or ""),
        created=parse_datetime(raw.get("cdate")),
    )


def membership(raw: dict[str, Any], names: dict[int, str]) -> ListMembership:
    list_id = parse_int(raw.get("list"))
    return ListMembership(
        id=parse_int(raw.get("id")),
        contact_id=parse_int(raw.get("contact")),
        list_id=list_id,
        list_name=names.get(list_id, ""),
        status=ListStatus(parse_int(raw.get("status"))),
        subscribed=parse_datetime(raw.get("sdate")),
        updated=parse_datetime(raw.get("udate")),
    )


def _load_lists(client: Client) -> list[MailingList]:
    raw = iter_all(client, "/lists", "lists", max_items=MAX_LISTS, overflow="stop")
    return sorted((_list(item) for item in raw), key=lambda lst: (lst.name.lower(), lst.id))


def list_lists(client: Client) -> list[MailingList]:
    """The account's lists by name (cached; one call per 100 lists on a miss)."""
    return metadata.cached(client, CACHE_NAME, lambda: _load_lists(client))


def _covers(found: list[MailingList], list_id: int) -> bool:
    """Whether the list is among the cached ones, or cannot be (more than MAX_LISTS)."""
    return len(found) >= MAX_LISTS or any(lst.id == list_id for lst in found)


def list_names(client: Client, wanted: Iterable[int] = ()) -> dict[int, str]:
    """List names by id (cached), loaded again once if one of ``wanted`` is missing: a
    list created in ActiveCampaign since the cache was filled."""
    found = metadata.cached_with_ids(
        client, CACHE_NAME, lambda: _load_lists(client), wanted, _covers
    )
    return {lst.id: lst.name for lst in found}


def _set_status(
    client: Client, contact_id: int, list_id: int, status: ListStatus
) -> ListMembership:
    body = {"contactList": {"list": list_id, "contact": contact_id, "status": int(status)}}
    # Setting a status twice leaves it set: safe to retry.
    raw = client.post("/contactLists", body, idempotent=True)["contactList"]
    return membership(raw, list_names(client, [list_id]))


def subscribe(client: Client, contact_id: int, list_id: int) -> ListMembership:
    """Subscribe the contact to the list (one call). An unknown contact or list:
    ValidationError on ``contact`` or ``list``."""
    return _set_status(client, contact_id, list_id, ListStatus.ACTIVE)


def unsubscribe(client: Client, contact_id: int, list_id: int) -> ListMembership:
    """Unsubscribe the contact from the list (one call); errors as ``subscribe``."""
    return _set_status(client, contact_id, list_id, ListStatus.UNSUBSCRIBED)


# The setup screens: counts, create, rename ------------------------------------------------


def subscriber_count(client: Client, list_id: int) -> int:
    """Active subscribers of the list: ``meta.total`` of ``GET /contacts?listid=…&status=1``
    (one call; no list endpoint carries a count)."""
    params = {"listid": list_id, "status": int(ListStatus.ACTIVE)}
    return fetch_page(client, "/contacts", "contacts", limit=1, params=params).total or 0


def _stringid(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "list"


def create_list(client: Client, name: str, sender_url: str, sender_reminder: str) -> MailingList:
    """A new list (one call); the API requires the sender's URL and reminder text."""
    attrs = {"name": name, "stringid": _stringid(name), "sender_url": sender_url}
    attrs["sender_reminder"] = sender_reminder
    created = _list(client.post("/lists", {"list": attrs})["list"])
    metadata.invalidate(client, CACHE_NAME)
    return created


def rename_list(client: Client, list_id: int, name: str) -> MailingList:
    """Rename a list (one call, ``PUT /lists/{id}``)."""
    renamed = _list(client.put(f"/lists/{list_id}", {"list": {"name": name}})["list"])
    metadata.invalidate(client, CACHE_NAME)
    return renamed
