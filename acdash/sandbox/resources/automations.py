"""Automations and the contacts in them (``/contactAutomations``)."""

from typing import Any

from .. import engine, store
from ..engine import Family, serve
from ..models import SandboxRecord
from ..routing import ApiError, Ctx
from .contacts import get_contact

AUTOMATIONS = serve(
    Family(
        kind="automation",
        singular="automation",
        plural="automations",
        entity="Automation",
        ops={"list": "/automations"},
        filters={
            "filters[name]": "name__icontains",
            "filters[status]": "status",
            "search": "name__icontains",
        },
        orders=("name", "status", "entered", "cdate", "mdate"),
        defaults={"entered": "0", "exited": "0"},
    )
)


def _check(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    # The API answers 403 "Could not create SubscriberSeries" for an unknown contact or
    # automation (reference example); a missing one is refused the same way.
    contact = store.find(ctx.account, "contact", changes.get("contact"))
    automation = engine.find(ctx, AUTOMATIONS, changes.get("seriesid"))
    if contact is None or automation is None:
        raise ApiError(403, {"message": "Could not create SubscriberSeries"})
    return {**changes, "contact": contact.id_str, "seriesid": automation.id_str}


def _count(ctx: Ctx, verb: str, record: SandboxRecord, attrs: dict[str, Any]) -> None:
    """An automation's ``entered`` / ``exited`` counts follow its contacts."""
    automation = engine.find(ctx, AUTOMATIONS, record.data.get("seriesid"))
    if automation is not None:
        name = "entered" if verb == "create" else "exited"
        store.update(automation, **{name: str(int(automation.data.get(name) or 0) + 1)})


def _contacts(ctx: Ctx, record: SandboxRecord, verb: str) -> dict[str, Any]:
    contact = store.find(ctx.account, "contact", record.data["contact"])
    return {"contacts": [store.present(ctx, contact)] if contact else []}


CONTACT_AUTOMATIONS = serve(
    Family(
        kind="contactAutomation",
        singular="contactAutomation",
        plural="contactAutomations",
        entity="SubscriberSeries",
        ops={
            "create": "/contactAutomations",
            "list": "/contactAutomations",
            "read": "/contactAutomations/{id}",
            "delete": "/contactAutomations/{id}",
        },
        required=("contact", "seriesid"),
        aliases={"automation": "seriesid"},
        mirrors={"automation": "seriesid"},
        filters={
            "filters[seriesid]": "seriesid",
            "filters[subscriberid]": "contact",
            "filters[status]": "status",
            "filters[lastblock]": "lastblock",
        },
        orders=("seriesid", "adddate", "status", "lastblock"),
        defaults={"status": "1", "completed": 0, "completeValue": 0, "batchid": ""},
        refused=("delete",),
        validate=_check,
        sideload=_contacts,
        after=_count,
        views={"ofContact": "/contacts/{id}/contactAutomations", "inContact": "/contacts/{id}"},
    )
)


def of_contact(ctx: Ctx, id: str) -> dict[str, Any]:
    """``GET /contacts/{id}/contactAutomations``: the automations the contact is in."""
    contact = get_contact(ctx, id)
    qs = engine.records(ctx, CONTACT_AUTOMATIONS).filter(data__contact=contact.id_str)
    return engine.listing(ctx, CONTACT_AUTOMATIONS, qs.order_by("rid"), "ofContact")
