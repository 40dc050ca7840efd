"""Automations, and the contacts in them (``contactAutomations``).

An automation's ``entered`` and ``exited`` count its contacts, so the list needs no call
per row. The automations' names are cached metadata (the contact page's panel and its
"add to automation" choices), loaded again when a contact is in one the cache lacks.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import metadata
from .client import Client
from .concurrency import gather
from .errors import NotFound
from .paging import TypedPage, fetch_page, iter_all
from .parsing import parse_datetime, parse_int

CACHE_NAME = "automations"
MAX_CACHED = 1000
SORTS = {"name", "status", "cdate", "mdate"}  # orders the list takes
ACTIVE = 1  # status "1": active, "2": inactive


@dataclass(frozen=True, slots=True)
class Automation:
    id: int
    name: str
    active: bool
    entered: int  # contacts that ever entered it
    exited: int
    created: datetime | None
    modified: datetime | None

    @property
    def in_now(self) -> int:
        return max(0, self.entered - self.exited)


@dataclass(frozen=True, slots=True)
class ContactAutomation:
    id: int  # the contactAutomation's id: what remove_contact takes
    contact_id: int
    automation_id: int
    automation_name: str  # from the cached automations, "" when unknown
    completed: bool
    progress: int  # percent of the automation's steps done
    added: datetime | None


def _automation(raw: dict[str, Any]) -> Automation:
    return Automation(
        id=int(raw["id"]),
        name=str(raw.get("name") or ""),
        active=parse_int(raw.get("status")) == ACTIVE,
        entered=parse_int(raw.get("entered")),
        exited=parse_int(raw.get("exited")),
        created=parse_datetime(raw.get("cdate")),
        modified=parse_datetime(raw.get("mdate")),
    )


def _contact_automation(raw: dict[str, Any], names: dict[int, str]) -> ContactAutomation:
    automation_id = parse_int(raw.get("automation") or raw.get("seriesid"))
    return ContactAutomation(
        id=int(raw["id"]),
        contact_id=parse_int(raw.get("contact")),
        automation_id=automation_id,
        automation_name=names.get(automation_id, ""),
        completed=bool(parse_int(raw.get("completed"))),
        progress=max(0, min(100, parse_int(raw.get("completeValue")))),
        added=parse_datetime(raw.get("adddate")),
    )


def _sort_params(sort: str) -> dict[str, str]:
    key = sort.lstrip("-")
    return {f"orders[{key}]": "DESC" if sort.startswith("-") else "ASC"} if key in SORTS else {}


def list_automations(
    client: Client, *, offset: int = 0, limit: int = 20, sort: str = "name"
) -> TypedPage[Automation]:
    """One page of automations with their contact counts (one call)."""
    page = fetch_page(
        client, "/automations", "automations", offset=offset, limit=limit, params=_sort_params(sort)
    )
    return TypedPage.of([_automation(raw) for raw in page.items], page)


def _load_names(client: Client) -> dict[int, str]:
    found = iter_all(client, "/automations", "automations", max_items=MAX_CACHED, overflow="stop")
    return {int(raw["id"]): str(raw.get("name") or "") for raw in found}


def automation_names(client: Client, wanted: list[int] | None = None) -> dict[int, str]:
    """Every automation's name by id, cached (one call per 100 on a miss; once more per
    request when one of ``wanted`` is missing)."""
    return metadata.cached_with_ids(
        client, CACHE_NAME, lambda: _load_names(client), wanted or [], lambda v, i: i in v
    )


def get_automation(client: Client, automation_id: int) -> Automation:
    """One automation, found in the listing (the reference has no read of one): one call
    per 100 automations; NotFound when there is none."""
    for raw in iter_all(
        client, "/automations", "automations", max_items=MAX_CACHED, overflow="stop"
    ):
        if parse_int(raw.get("id")) == automation_id:
            return _automation(raw)
    raise NotFound(f"No automation {automation_id}", status=404, path="/automations")


def contacts_in(
    client: Client, automation_id: int, *, offset: int = 0, limit: int = 20, sort: str = ""
) -> TypedPage[ContactAutomation]:
    """One page of the automation's contacts in the order they entered (one call;
    ``filters[seriesid]``); ``sort`` (ApiPageSource passes one) is not sent."""
    params = {"filters[seriesid]": automation_id}
    page = fetch_page(
        client,
        "/contactAutomations",
        "contactAutomations",
        offset=offset,
        limit=limit,
        params=params,
    )
    return TypedPage.of([_contact_automation(raw, {}) for raw in page.items], page)


def of_contact(client: Client, contact_id: int) -> list[ContactAutomation]:
    """The automations a contact is in, named from the cache: one call and the cached
    names at once (two calls on a cold cache, one more when a name is missing)."""
    body, names = gather(
        lambda: client.get(f"/contacts/{contact_id}/contactAutomations") or {},
        lambda: automation_names(client),
    )
    raws = body.get("contactAutomations") or []
    wanted = [parse_int(r.get("automation") or r.get("seriesid")) for r in raws]
    if any(i and i not in names for i in wanted):
        names = automation_names(client, wanted)
    return [_contact_automation(raw, names) for raw in raws]


def get_contact_automation(client: Client, contact_automation_id: int) -> ContactAutomation:
    """One call; NotFound when there is none."""
    raw = client.get(f"/contactAutomations/{contact_automation_id}")["contactAutomation"]
    names = automation_names(client, [parse_int(raw.get("automation") or raw.get("seriesid"))])
    return _contact_automation(raw, names)


def add_contact(client: Client, contact_id: int, automation_id: int) -> ContactAutomation:
    """Put a contact into an automation: one call (the API answers 403 "Could not create
    SubscriberSeries" for an unknown contact or automation)."""
    body = {"contactAutomation": {"contact": str(contact_id), "automation": str(automation_id)}}
    raw = client.post("/contactAutomations", body)["contactAutomation"]
    return _contact_automation(raw, automation_names(client, [automation_id]))


def remove_contact(client: Client, contact_automation_id: int) -> None:
    """Take a contact out of an automation: one call."""
    client.delete(f"/contactAutomations/{contact_automation_id}")
