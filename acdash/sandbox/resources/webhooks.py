"""Webhooks, ``/webhooks``: events and sources checked against the API's own lists."""

import json
from typing import Any

from ..engine import Family, example, fixed, serve
from ..routing import Ctx, invalid, route

EVENTS: list[str] = example("GET", "/webhook/events")[1]["webhookEvents"]
# The initiators the API documents for a webhook's ``sources``.
SOURCES = ["public", "admin", "api", "system"]


def _check(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    for name, allowed in (("events", EVENTS), ("sources", SOURCES)):
        for value in changes.get(name) or []:
            if value not in allowed:
                raise invalid(f"The {name[:-1]} {json.dumps(value)[:100]} is not valid.", name)
    url = changes.get("url")
    if url is not None and not str(url).startswith(("http://", "https://")):
        raise invalid("The url must be a valid http or https URL.", "url")
    return changes


WEBHOOKS = serve(
    Family(
        kind="webhook",
        singular="webhook",
        plural="webhooks",
        entity="Webhook",
        ops={
            "list": "/webhooks",
            "create": "/webhooks",
            "read": "/webhooks/{id}",
            "update": "/webhooks/{id}",
            "delete": "/webhooks/{id}",
        },
        required=("name", "url", "events", "sources"),
        filters={"filters[name]": "name", "filters[url]": "url", "filters[listid]": "listid"},
        validate=_check,
    )
)
fixed("GET", "/webhook/events")


@route("GET", "webhook/initiators", "List_webhookInitiators")
def initiators(ctx: Ctx):
    """Not in the reference; the API documents it beside ``/webhook/events``."""
    return {"webhookInitiators": SOURCES, "meta": {"total": len(SOURCES)}}
