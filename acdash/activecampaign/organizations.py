"""Customer organisations — the API's ``/accounts`` (not acdash's connected accounts) — and
which contacts belong to them (``/accountContacts``; a contact belongs to one at most).

Validation errors name the API's attributes: ``name`` (also for a duplicate name),
``accountUrl`` (url); ``account`` and ``contact`` when linking (both for a contact that
already belongs to an organisation). Writes invalidate the contacts module's cache of
organisation names.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import metadata
from .client import Client
from .contacts import ACCOUNT_NAMES
from .paging import TypedPage, fetch_page
from .parsing import parse_datetime, parse_int, parse_optional_int


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str
    url: str  # "" when unset
    created: datetime | None
    updated: datetime | None
    contact_count: int | None  # listings with counts only
    deal_count: int | None


OrganizationPage = TypedPage[Organization]


@dataclass(frozen=True, slots=True)
class ContactLink:
    id: int
    organization_id: int
    contact_id: int
    job_title: str


def _organization(raw: dict[str, Any], counted: bool = False) -> Organization:
    return Organization(
        id=parse_int(raw.get("id")),
        name=str(raw.get("name") or ""),
        url=str(raw.get("accountUrl") or ""),
        created=parse_datetime(raw.get("createdTimestamp")),
        updated=parse_datetime(raw.get("updatedTimestamp")),
        contact_count=parse_optional_int(raw.get("contactCount")) if counted else None,
        deal_count=parse_optional_int(raw.get("dealCount")) if counted else None,
    )


def _link(raw: dict[str, Any]) -> ContactLink:
    return ContactLink(
        id=parse_int(raw.get("id")),
        organization_id=parse_int(raw.get("account")),
        contact_id=parse_int(raw.get("contact")),
        job_title=str(raw.get("jobTitle") or ""),
    )


def list_organizations(
    client: Client, *, search: str = "", counts: bool = False, offset: int = 0, limit: int = 20
) -> OrganizationPage:
    """One page of organisations, by name search, in one call; ``counts`` asks the API to
    count each one's contacts and deals."""
    params: dict[str, Any] = {}
    if search.strip():
        params["search"] = search.strip()
    if counts:
        params["count_deals"] = "true"
    page = fetch_page(client, "/accounts", "accounts", offset=offset, limit=limit, params=params)
    items = [_organization(raw, counts) for raw in page.items]
    return OrganizationPage.of(items, page)


def get_organization(client: Client, organization_id: int) -> Organization:
    return _organization(client.get(f"/accounts/{organization_id}")["account"])


def create_organization(client: Client, name: str, url: str = "") -> Organization:
    attributes = {"name": name, **({"accountUrl": url} if url else {})}
    body = client.post("/accounts", {"account": attributes})
    metadata.invalidate(client, ACCOUNT_NAMES)
    return _organization(body["account"])


def update_organization(
    client: Client, organization_id: int, *, name: str | None = None, url: str | None = None
) -> Organization:
    """None leaves an attribute as it is; ``url=""`` clears it."""
    attributes: dict[str, Any] = {}
    if name is not None:
        attributes["name"] = name
    if url is not None:
        attributes["accountUrl"] = url or None
    body = client.put(f"/accounts/{organization_id}", {"account": attributes})
    metadata.invalidate(client, ACCOUNT_NAMES)
    return _organization(body["account"])


def delete_organization(client: Client, organization_id: int) -> None:
    """Its contacts and deals stay, without the organisation."""
    client.delete(f"/accounts/{organization_id}")
    metadata.invalidate(client, ACCOUNT_NAMES)


def contact_links(
    client: Client,
    *,
    organization_id: int | None = None,
    contact_id: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[ContactLink]:
    """One page of contact–organisation links (an organisation's members, or a contact's
    link), in one call."""
    params = {
        f"filters[{name}]": value
        for name, value in (("account", organization_id), ("contact", contact_id))
        if value is not None
    }
    page = fetch_page(
        client, "/accountContacts", "accountContacts", offset=offset, limit=limit, params=params
    )
    return [_link(raw) for raw in page.items]


def link_contact(
    client: Client, organization_id: int, contact_id: int, job_title: str = ""
) -> ContactLink:
    attributes = {"account": organization_id, "contact": contact_id, "jobTitle": job_title}
    return _link(client.post("/accountContacts", {"accountContact": attributes})["accountContact"])


def unlink_contact(client: Client, contact_id: int) -> None:
    """Take the contact out of its organisation, if it has one: 2 calls (find the link,
    delete it), 1 when it has none."""
    for link in contact_links(client, contact_id=contact_id):
        client.delete(f"/accountContacts/{link.id}")
