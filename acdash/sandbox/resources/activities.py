"""Contact activities: ``GET /activities?contact=<id>``.

The sandbox logs no events, so a contact's activity is derived on every request from the
records that exist: the contact itself, its notes, tags, list subscriptions, deals and tasks,
one activity per event, dated by the record's own timestamps. Each kind costs one query,
whatever the number of records. What is guessed is in docs/api-notes.md ("Contact
activities").
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, route
from .contacts import get_contact
from .lists import LIST_KEYS as LIST_LIST_KEYS
from .lists import full as full_list
from .tags import LIST_KEYS as TAG_LIST_KEYS
from .tags import full as full_tag

ACTIVITY_KEYS = ["tstamp", "subscriberid", "reference_type", "reference_id", "reference_action"]
ACTIVITY_KEYS += ["jsonData", "userid", "permission", "referenceModelName", "notes"]
ACTIVITY_KEYS += ["recipients", "reference", "user", "id"]
CONTACT_KEYS = ["cdate", "email", "firstName", "lastName", "created_timestamp"]
CONTACT_KEYS += ["updated_timestamp", "id"]
NO_USER = "0"


@dataclass(frozen=True)
class EventType:
    code: int  # last digit of the activity id: record id * 10 + code
    reference_type: str
    model_name: str  # referenceModelName and reference.type
    plural: str  # the key the referenced object is side-loaded under


CONTACT_CREATED = EventType(1, "Subscriber", "contact", "contacts")
NOTE_ADDED = EventType(2, "Note", "note", "notes")
TAG_ADDED = EventType(3, "SubscriberTag", "contact-tag", "contactTags")
SUBSCRIBED = EventType(4, "SubscriberList", "contact-list", "contactLists")
UNSUBSCRIBED = EventType(5, "SubscriberList", "contact-list", "contactLists")
DEAL_CREATED = EventType(6, "Deal", "deal", "deals")
DEAL_CLOSED = EventType(7, "Deal", "deal", "deals")
TASK_CREATED = EventType(8, "DealTask", "deal-task", "dealTasks")
TASK_COMPLETED = EventType(9, "DealTask", "deal-task", "dealTasks")
DEAL_OUTCOMES = {"1": "won", "2": "lost"}


@dataclass(frozen=True)
class Event:
    type: EventType
    record: SandboxRecord
    moment: datetime
    action: str
    userid: str

    @property
    def id(self) -> int:
        return self.record.rid * 10 + self.type.code


def _moment(ctx: Ctx, value: Any) -> datetime | None:
    """A stored timestamp (ISO with offset, or plain in account time) as an instant."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ctx.tz)


def _events(ctx: Ctx, contact: SandboxRecord) -> list[Event]:
    """Every event of the contact's records: one query per kind."""
    events: list[Event] = []

    def add(
        kind: EventType, record: SandboxRecord, stamp: Any, action: str = "", user: Any = None
    ) -> None:
        if (moment := _moment(ctx, stamp)) is not None:
            events.append(Event(kind, record, moment, action, str(user or NO_USER)))

    def rows(kind: str, condition: Q) -> list[SandboxRecord]:
        return list(store.records(ctx.account, kind).filter(condition))

    cid = contact.rid
    add(CONTACT_CREATED, contact, contact.data.get("cdate"))
    for note in rows("note", Q(parent=cid, data__reltype="Subscriber")):
        add(NOTE_ADDED, note, note.data.get("cdate"), user=note.data.get("userid"))
    for link in rows("contactTag", Q(parent=cid)):
        add(TAG_ADDED, link, link.data.get("cdate"))
    for sub in rows("contactList", Q(parent=cid)):
        add(SUBSCRIBED, sub, sub.data.get("sdate"), "subscribe")
        # udate is also set on subscribing; only an unsubscribed membership dates a leave.
        if sub.data.get("status") == "2":
            add(UNSUBSCRIBED, sub, sub.data.get("udate"), "unsubscribe")
    deals = rows("deal", Q(parent=cid))
    for deal in deals:
        owner = deal.data.get("owner")
        add(DEAL_CREATED, deal, deal.data.get("cdate"), user=owner)
        if outcome := DEAL_OUTCOMES.get(str(deal.data.get("status"))):
            # When it closed (edate), or when it last changed if that is unset or unreadable.
            stamps = (deal.data.get("edate"), deal.data.get("mdate"))
            closed = next((stamp for stamp in stamps if _moment(ctx, stamp)), None)
            add(DEAL_CLOSED, deal, closed, outcome, owner)
    tasks = rows(
        "dealTask",
        Q(parent=cid, data__reltype="Subscriber")
        | Q(parent__in=[d.rid for d in deals], data__reltype="Deal"),
    )
    for task in tasks:
        add(TASK_CREATED, task, task.data.get("cdate"), user=task.data.get("user"))
        if str(task.data.get("status")) == "1":
            add(
                TASK_COMPLETED,
                task,
                task.data.get("donedate"),
                "complete",
                task.data.get("assignee"),
            )
    return events


def _present(ctx: Ctx, event: Event, contact: SandboxRecord) -> dict[str, Any]:
    aid, reference_id = str(event.id), event.record.id_str
    return {
        "tstamp": store.iso(ctx.account, event.moment),
        "subscriberid": contact.id_str,
        "reference_type": event.type.reference_type,
        "reference_id": reference_id,
        "reference_action": event.action,
        "jsonData": None,
        "userid": event.userid,
        "permission": "",
        "referenceModelName": event.type.model_name,
        "notes": [],  # notes written on the activity itself: the sandbox has none
        # One recipient per activity (the contact), given the activity's id.
        "recipients": [aid],
        "reference": {"type": event.type.model_name, "id": reference_id},
        "user": event.userid,
        "id": aid,
    }


def _recipient(event: Event, contact: SandboxRecord) -> dict[str, Any]:
    cid = contact.id_str
    return {
        "reltype": "Subscriber",
        "relid": cid,
        "activityid": str(event.id),
        "recipient": {"type": "contact", "id": cid},
    }


def _side_loads(ctx: Ctx, page: list[Event], include: set[str]) -> dict[str, Any]:
    """What ``include`` asks for: activity notes, users and the referenced objects with the
    tags and lists they name (one query per kind beyond the records already read)."""
    body: dict[str, Any] = {}
    if include & {"notes", "notes.user"}:
        body["notes"] = []
    if any(name == "reference" or name.startswith("reference.") for name in include):
        seen: set[tuple[str, int]] = set()
        for event in page:
            if event.type is CONTACT_CREATED:
                continue  # side-loaded as "contacts" already
            if (event.type.plural, event.record.rid) not in seen:
                seen.add((event.type.plural, event.record.rid))
                body.setdefault(event.type.plural, []).append(store.present(ctx, event.record))
        body |= _named(ctx, page)
    if include & {"user", "notes.user"}:
        ids = {int(e.userid) for e in page if e.userid.isdigit() and e.userid != NO_USER}
        users = store.records(ctx.account, "user").filter(rid__in=ids).order_by("rid")
        body["users"] = [store.present(ctx, u) for u in users]
    return body


def _named(ctx: Ctx, page: list[Event]) -> dict[str, Any]:
    """The tags and lists that referenced contactTags and contactLists point at."""
    body: dict[str, Any] = {}
    for event_type, kind, full, keys in (
        (TAG_ADDED, "tag", full_tag, TAG_LIST_KEYS),
        (SUBSCRIBED, "list", full_list, LIST_LIST_KEYS),
    ):
        ids = {
            int(e.record.key or 0)
            for e in page
            if e.type.reference_type == event_type.reference_type
        }
        if ids:
            found = store.records(ctx.account, kind).filter(rid__in=ids).order_by("rid")
            body[f"{kind}s"] = [store.project(full(ctx, r), keys) for r in found]
    return body


def _after(ctx: Ctx) -> datetime | None:
    raw = ctx.param("after")
    if raw is None:
        return None
    moment = _moment(ctx, raw)
    if moment is None:
        raise ApiError(400, {"message": "after must be a date or a datetime."})
    return moment


@route("GET", "activities", "List_contactActivities")
def list_activities(ctx: Ctx):
    raw_contact = (ctx.param("contact") or "").strip()
    if not raw_contact.isdigit():
        # The contact is required, one id only; the reference's 400 body is empty.
        raise ApiError(400, {})
    contact = get_contact(ctx, raw_contact)
    direction = (ctx.param("orders[tstamp]") or "DESC").upper()
    if direction not in {"ASC", "DESC"}:
        raise ApiError(400, {"message": "orders[tstamp] must be ASC or DESC."})
    events = _events(ctx, contact)
    if (after := _after(ctx)) is not None:
        events = [e for e in events if e.moment > after]
    events.sort(key=lambda e: (e.moment, e.id), reverse=direction == "DESC")
    limit, offset = store.page_bounds(ctx)
    page = events[offset : offset + limit]
    include = {name.strip() for name in (ctx.param("include") or "").split(",") if name.strip()}
    # "emails" is accepted and ignored: the sandbox sends no emails, so has none to include.
    contacts = [store.project({**contact.data, "id": contact.id_str}, CONTACT_KEYS)]
    return {
        "contacts": contacts if page else [],
        "activityRecipients": [_recipient(e, contact) for e in page],
        "activities": [_present(ctx, e, contact) for e in page],
        **_side_loads(ctx, page, include),
        "meta": {"total": str(len(events))},
    }
