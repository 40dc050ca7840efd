"""Site and event tracking: the on/off switches, the whitelisted domains, event names,
tracked events and the contact of a tracking log."""

import hashlib
import json
from typing import Any
from urllib.parse import parse_qs

from .. import engine, store
from ..engine import Family, example, fixed, serve
from ..routing import ApiError, Ctx, invalid, route
from .contacts import KIND as CONTACT
from .contacts import full as contact_full
from .contacts import get_contact

SETTING = "trackingSetting"  # key: the switch's name


def _unique(kind: str):
    def check(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
        if store.records(ctx.account, kind).filter(data__name=changes.get("name")).exists():
            raise invalid(f"{str(changes['name'])[:100]} already exists.", "name")
        return changes

    return check


TRACKING_LOGS = Family(
    kind="trackingLog",
    singular="trackingLog",
    plural="trackingLogs",
    entity="TrackingLog",
    ops={},
    mirrors={"contact": "subscriberid"},
    views={"ofContact": "/contacts/{contactId}/trackingLogs"},
)
EVENT_NAMES = serve(
    Family(
        kind="eventTrackingEvent",
        singular="eventTrackingEvent",
        plural="eventTrackingEvents",
        entity="EventTrackingEvent",
        ops={"create": "/eventTrackingEvents", "list": "/eventTrackingEvents"},
        required=("name",),
        validate=_unique("eventTrackingEvent"),
    )
)
DOMAINS = serve(
    Family(
        kind="siteTrackingDomain",
        singular="siteTrackingDomain",
        plural="siteTrackingDomains",
        entity="SiteTrackingDomain",
        ops={"create": "/siteTrackingDomains", "list": "/siteTrackingDomains"},
        required=("name",),
        validate=_unique("siteTrackingDomain"),
    )
)


def _by_name(ctx: Ctx, family: Family, name: str) -> None:
    found = engine.records(ctx, family).filter(data__name=name)
    if not found.exists():
        raise ApiError(400, {"message": f"No {family.entity} named {name[:100]}"})
    found.delete()


@route("DELETE", "eventTrackingEvents/{eventName}", "Event_deleteEventName")
def delete_event_name(ctx: Ctx, eventName: str):
    _by_name(ctx, EVENT_NAMES, eventName)
    return {}


@route("DELETE", "siteTrackingDomains/{name}", "List_removeDomain")
def delete_domain(ctx: Ctx, name: str):
    _by_name(ctx, DOMAINS, name)
    return 204, None


def _switch(name: str, operation: tuple[str, str]) -> None:
    """``GET``/``PUT /<name>``: ``{"<name>": {"enabled": bool}}``, enabled until switched off."""

    def read(ctx: Ctx) -> dict[str, Any]:
        record = store.records(ctx.account, SETTING).filter(key=name).first()
        return {name: {"enabled": record.data["enabled"] if record else True}}

    def write(ctx: Ctx) -> dict[str, Any]:
        enabled = ctx.envelope(name).get("enabled")
        if not isinstance(enabled, bool):
            raise invalid("enabled must be true or false.", "enabled")
        store.records(ctx.account, SETTING).filter(key=name).delete()
        store.create(ctx.account, SETTING, {"enabled": enabled}, key=name)
        return read(ctx)

    route("GET", name, operation[0])(read)
    route("PUT", name, operation[1])(write)


_switch("eventTracking", ("Event_getStatus", "Event_toggleStatus"))
_switch("siteTracking", ("Status_getSiteTrackingStatus", "Tracking_enableDisableSite"))
TRACKING_CODE = next(
    r["raw"] for r in engine.reference()[("GET", "/siteTracking/code")]["responses"]
)
fixed("GET", "/siteTracking/code", lambda ctx: TRACKING_CODE)


@route("POST", "event", "Event_trackEvent")
def track_event(ctx: Ctx):
    """The tracking endpoint takes a form (``actid``, ``key``, ``event``, ``eventdata``,
    ``visit`` = ``{"email": …}``) or the same as JSON; the event becomes a tracking log of
    the contact with that email."""
    try:
        given = ctx.body if isinstance(ctx.body, dict) else {}
    except ApiError:
        given = {k: v[0] for k, v in parse_qs(ctx.raw_body.decode(errors="replace")).items()}
    event = given.get("event")
    if not isinstance(event, str) or not event:
        raise ApiError(400, {"success": 0, "message": "No event name given"})
    visit = given.get("visit")
    if isinstance(visit, str):
        try:
            visit = json.loads(visit)
        except ValueError:
            visit = {}
    email = str(visit.get("email", "")).lower() if isinstance(visit, dict) else ""
    contact = store.records(ctx.account, CONTACT).filter(key=email).first() if email else None
    value = str(given.get("eventdata", ""))[:1000]
    digest = hashlib.sha1(f"{event}/{value}".encode()).hexdigest()
    owner = contact.id_str if contact else "0"
    log = {"subscriberid": owner, "type": event, "value": value, "hash": digest}
    engine.insert(ctx, TRACKING_LOGS, log)
    return example("POST", "/event")[1]


def contact_logs(ctx: Ctx, contactId: str):
    """``GET /contacts/{id}/trackingLogs``: the contact's tracked events."""
    contact = get_contact(ctx, contactId)
    mine = engine.records(ctx, TRACKING_LOGS).filter(data__subscriberid=contact.id_str)
    return engine.listing(ctx, TRACKING_LOGS, mine.order_by("rid"), "ofContact")


@route("GET", "trackingLogs/{eventId}/contact", "Event_getContactByEventId")
def event_contact(ctx: Ctx, eventId: str):
    log = engine.find(ctx, TRACKING_LOGS, eventId)
    contact = store.find(ctx.account, CONTACT, log.data["subscriberid"]) if log else None
    if contact is None:
        raise ApiError(404, {"message": f"No Result found for TrackingLog with id {eventId[:40]}"})
    # Keyed as the reference's example; unset dates as the API spells them there.
    _, body = example("GET", "/trackingLogs/{eventId}/contact")
    full = contact_full(ctx, contact)
    shown = {k: v if full.get(k) is None else full[k] for k, v in body["contact"].items()}
    links = {name: ctx.link(f"contacts/{contact.id_str}/{name}") for name in shown["links"]}
    return {"contact": {**shown, "links": links}}
