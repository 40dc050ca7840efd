"""Webhooks, and the API's own lists of the events and sources (initiators) they may name.

The two lists are cached metadata (one call each on a miss); a 422 that names ``events``
or ``sources`` drops them, so the next form offers what the API accepts now.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import metadata
from .client import Client
from .errors import ValidationError
from .paging import TypedPage, fetch_page
from .parsing import parse_datetime, parse_int

EVENTS_CACHE = "webhook-events"
SOURCES_CACHE = "webhook-sources"


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    name: str
    url: str
    events: tuple[str, ...]
    sources: tuple[str, ...]
    list_id: int  # 0: every list
    created: datetime | None


def _webhook(raw: dict[str, Any]) -> Webhook:
    return Webhook(
        id=int(raw["id"]),
        name=str(raw.get("name") or ""),
        url=str(raw.get("url") or ""),
        events=tuple(str(e) for e in raw.get("events") or []),
        sources=tuple(str(s) for s in raw.get("sources") or []),
        list_id=parse_int(raw.get("listid")),
        created=parse_datetime(raw.get("cdate")),
    )


def list_webhooks(
    client: Client, *, offset: int = 0, limit: int = 20, sort: str = "", name: str = ""
) -> TypedPage[Webhook]:
    """One page of webhooks in id order (one call), filtered by ``name``. The API documents
    no order for webhooks: ``sort`` (ApiPageSource passes one) is accepted and not sent."""
    params = {"filters[name]": name} if name else {}
    page = fetch_page(client, "/webhooks", "webhooks", offset=offset, limit=limit, params=params)
    return TypedPage.of([_webhook(raw) for raw in page.items], page)


def get_webhook(client: Client, webhook_id: int) -> Webhook:
    """One call; NotFound when there is none."""
    return _webhook(client.get(f"/webhooks/{webhook_id}")["webhook"])


def _body(name: str, url: str, events: list[str], sources: list[str]) -> dict[str, Any]:
    return {"webhook": {"name": name, "url": url, "events": events, "sources": sources}}


def _refused(client: Client, exc: ValidationError) -> None:
    if {"events", "sources"} & set(exc.field_errors):
        metadata.invalidate(client, EVENTS_CACHE, SOURCES_CACHE)


def create_webhook(
    client: Client, *, name: str, url: str, events: list[str], sources: list[str]
) -> Webhook:
    """One call; ValidationError (by field) for what the API refuses."""
    try:
        return _webhook(client.post("/webhooks", _body(name, url, events, sources))["webhook"])
    except ValidationError as exc:
        _refused(client, exc)
        raise


def update_webhook(
    client: Client, webhook_id: int, *, name: str, url: str, events: list[str], sources: list[str]
) -> Webhook:
    """One call; ValidationError (by field) for what the API refuses."""
    body = _body(name, url, events, sources)
    try:
        return _webhook(client.put(f"/webhooks/{webhook_id}", body)["webhook"])
    except ValidationError as exc:
        _refused(client, exc)
        raise


def delete_webhook(client: Client, webhook_id: int) -> None:
    client.delete(f"/webhooks/{webhook_id}")


def events(client: Client) -> list[str]:
    """The events a webhook may name (``GET /webhook/events``), cached."""
    return metadata.cached(client, EVENTS_CACHE, lambda: _strings(client, "/webhook/events"))


def sources(client: Client) -> list[str]:
    """The sources (initiators) a webhook may name (``GET /webhook/initiators``), cached."""
    return metadata.cached(client, SOURCES_CACHE, lambda: _strings(client, "/webhook/initiators"))


def _strings(client: Client, path: str) -> list[str]:
    # {"webhookEvents": [...], "meta": {...}}: the one key that is not meta.
    body = client.get(path) or {}
    values = next((v for k, v in body.items() if k != "meta" and isinstance(v, list)), [])
    return [str(v) for v in values]
