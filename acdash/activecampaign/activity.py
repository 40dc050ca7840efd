"""A contact's recent activity (``GET /activities``), summarised for the contact page."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .client import Client
from .paging import MAX_LIMIT
from .parsing import parse_datetime, parse_int, parse_optional_int

# The activity kinds the contact page names, by the API's reference_type; others are "other".
ACTIVITY_KINDS = {
    "Subscriber": "contact",
    "Note": "note",
    "SubscriberNote": "note",
    "SubscriberTag": "tag",
    "SubscriberList": "list",
    "Deal": "deal",
    "DealActivity": "deal",
    "DealTask": "task",
    "SubscriberEmail": "email",
}
# Side-loads the summaries are built from: the referenced objects and the lists and tags
# they name, so that one call says everything.
ACTIVITY_INCLUDE = "reference,reference.contactList.list,reference.contactTag.tag"
ACTIVITY_SIDE_LOADS = (
    "notes",
    "contactTags",
    "tags",
    "contactLists",
    "lists",
    "deals",
    "dealTasks",
)
SUMMARY_LENGTH = 140


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    when: datetime | None
    kind: str  # contact, note, tag, list, deal, task, email or other
    summary: str  # plain text built from API data (note text, names): escape it when shown
    reference_type: str  # the API's, e.g. "SubscriberList"
    reference_id: int | None  # the id of the note, contactTag, contactList, deal, task…


def _short(text: Any) -> str:
    """One line of at most SUMMARY_LENGTH characters."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


def _words(name: str) -> str:
    """``SubscriberEmail`` -> ``Subscriber email``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).capitalize() or "Activity"


def _summary(kind: str, raw: dict[str, Any], loaded: dict[str, dict[str, dict]]) -> str:
    action, ref = str(raw.get("reference_action") or ""), str(raw.get("reference_id") or "")

    def referenced(plural: str) -> dict[str, Any]:
        return loaded.get(plural, {}).get(ref, {})

    if kind == "contact":
        return "Contact created"
    if kind == "note":
        text = _short(referenced("notes").get("note"))
        return f"Note: {text}" if text else "Note added"
    if kind == "tag":
        tag = loaded.get("tags", {}).get(str(referenced("contactTags").get("tag")), {})
        return f"Tagged “{tag['tag']}”" if tag.get("tag") else "Tag added"
    if kind == "list":
        found = loaded.get("lists", {}).get(str(referenced("contactLists").get("list")), {})
        name = f"“{found['name']}”" if found.get("name") else "a list"
        return f"Unsubscribed from {name}" if action == "unsubscribe" else f"Subscribed to {name}"
    if kind == "deal":
        title = _short(referenced("deals").get("title")) or "a deal"
        return {"won": f"Deal won: {title}", "lost": f"Deal lost: {title}"}.get(
            action, f"Deal created: {title}"
        )
    if kind == "task":
        task = referenced("dealTasks")
        title = _short(task.get("title") or task.get("note")) or "a task"
        return f"Task completed: {title}" if action == "complete" else f"Task created: {title}"
    described = _words(str(raw.get("reference_type") or ""))
    return f"{described} ({action})" if action else described


def recent_activity(client: Client, contact_id: int, limit: int = 20) -> list[Activity]:
    """The contact's latest activity (at most ``limit``, up to 100), newest first: one call,
    the notes, tags, lists, deals and tasks it refers to side-loaded for the summaries. An
    unknown contact: NotFound."""
    params = {
        "contact": contact_id,
        "include": ACTIVITY_INCLUDE,
        "orders[tstamp]": "DESC",
        "limit": max(1, min(limit, MAX_LIMIT)),
    }
    body = client.get("/activities", params=params)
    loaded = {
        plural: {str(item.get("id")): item for item in body.get(plural) or []}
        for plural in ACTIVITY_SIDE_LOADS
    }
    found = []
    for raw in body.get("activities") or []:
        kind = ACTIVITY_KINDS.get(str(raw.get("reference_type")), "other")
        found.append(
            Activity(
                id=parse_int(raw.get("id")),
                when=parse_datetime(raw.get("tstamp")),
                kind=kind,
                summary=_summary(kind, raw, loaded),
                reference_type=str(raw.get("reference_type") or ""),
                reference_id=parse_optional_int(raw.get("reference_id")),
            )
        )
    return found
