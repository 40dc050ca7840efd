"""Task types, ``/dealTasktypes`` (with moving their tasks to another type), and the
type–outcome relations, ``/tasktypeOutcomeRels``.

A task type offers the outcomes it has a ``tasktypeOutcomeRel`` with (record ``parent`` =
task type id, ``key`` = outcome id); ``taskoutcomes`` creates them.
"""

from collections.abc import Callable
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, field_error, invalid, not_found, route
from .dealrecords import CONTACT_LINKS, present
from .tasks import REL, TASK, TASK_LINKS, TYPE, as_text, fail, id_text, present_task, same_title

TYPE_KEYS = ["cdate", "defduration", "id", "links", "status", "title", "udate"]
MOVED_KEYS = ["automation", "cdate", "dealTasktype", "doneAutomation", "donedate", "duedate"]
MOVED_KEYS += ["duration", "edate", "id", "links", "note", "owner", "relid", "reltype"]
MOVED_KEYS += ["status", "title", "udate", "user"]

# The deals side-loaded by a move, as its example shows them (the older key and link sets).
MOVED_DEAL_KEYS = ["activitycount", "cdate", "contact", "currency", "edate", "group", "hash"]
MOVED_DEAL_KEYS += ["id", "links", "mdate", "nextTask", "nextdate", "nextdealid", "nexttaskid"]
MOVED_DEAL_KEYS += ["organization", "owner", "percent", "stage", "status", "title", "value"]
NO_DATE = "0000-00-00 00:00:00"  # how this operation's deals say "no close date"

REL_KEYS = ["tasktype_id", "outcome_id", "display_order", "created_by"]
REL_KEYS += ["created_utc_timestamp", "updated_by", "updated_utc_timestamp", "links", "id"]
REL_KEYS += ["tasktype", "outcome", "createdBy"]
REL_LINKS = ["tasktype", "outcome", "createdBy"]


def _list_all(
    ctx: Ctx, kind: str, name: str, present: Callable[[Ctx, SandboxRecord], dict[str, Any]]
) -> dict[str, Any]:
    """Every record of ``kind``, oldest first, as a page of ``name``."""
    qs = store.records(ctx.account, kind).order_by("rid")
    body, _ = store.paged(ctx, qs, name, present)
    return body


# Task types --------------------------------------------------------------------


@store.presenter(TYPE)
def present_type(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project({**record.data, "id": record.id_str, "links": []}, TYPE_KEYS)


def _get_type(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, TYPE, rid, not_found("DealTasktype", rid))


def _clean_type(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    if record is None or "title" in attrs:
        title, others = same_title(ctx, TYPE, attrs, record)
        if not title:
            errors.append(field_error("Task type title is required.", "title", "field_missing"))
        elif others.exists():
            errors.append(
                field_error("A task type with the same title already exists.", "title", "duplicate")
            )
        changes["title"] = title
    if "status" in attrs:
        changes["status"] = as_text(attrs["status"]).strip()
        if changes["status"] not in ("0", "1"):
            errors.append(field_error("status must be 0 or 1.", "status"))
    if "defduration" in attrs:
        changes["defduration"] = as_text(attrs["defduration"]).strip()
        if not changes["defduration"].isdigit():
            errors.append(field_error("defduration must be a number of minutes.", "defduration"))
    fail(errors)
    return changes


@route("POST", "dealTasktypes", "Deal_createTaskType")
def create_type(ctx: Ctx):
    changes = _clean_type(ctx, ctx.envelope("dealTasktype"), None)
    now = store.iso(ctx.account)
    data = {"cdate": now, "defduration": "0", "status": "0", "title": "", "udate": now, **changes}
    return {"dealTasktype": present_type(ctx, store.create(ctx.account, TYPE, data))}


@route("GET", "dealTasktypes", "Deal_listAllTaskTypes")
def list_types(ctx: Ctx):
    return _list_all(ctx, TYPE, "dealTasktypes", present_type)


@route("GET", "dealTasktypes/{id}", "Deal_getTaskType")
def get_type(ctx: Ctx, id: str):
    record = _get_type(ctx, id)
    return {"dealTasktype": present_type(ctx, record)}


@route("PUT", "dealTasktypes/{id}", "Deal_updateTaskType")
def update_type(ctx: Ctx, id: str):
    record = _get_type(ctx, id)
    changes = _clean_type(ctx, ctx.envelope("dealTasktype"), record)
    store.update(record, **changes, udate=store.iso(ctx.account))
    return {"dealTasktype": present_type(ctx, record)}


@route("DELETE", "dealTasktypes/{id}", "Deal_deleteTaskType")
def delete_type(ctx: Ctx, id: str):
    record = _get_type(ctx, id)
    if store.records(ctx.account, TASK).filter(data__dealTasktype=record.id_str).exists():
        raise invalid(
            "The task type still has tasks; move them to another task type first.", "dealTasks"
        )
    store.records(ctx.account, REL).filter(parent=record.rid).delete()
    record.delete()
    return {}


@route("PUT", "dealTasktypes/{id}/dealTasks", "Deal_moveTasksToAnotherTaskType")
def move_tasks(ctx: Ctx, id: str):
    source = _get_type(ctx, id)
    given = ctx.envelope("dealTask").get("dealTasktype")
    target = store.find(ctx.account, TYPE, id_text(given) or "")
    if target is None:
        code = "field_missing" if given in (None, "") else "field_invalid"
        raise invalid(f"Task type {given} does not exist.", "dealTasktype", code)
    tasks = list(
        store.records(ctx.account, TASK).filter(data__dealTasktype=source.id_str).order_by("rid")
    )
    now = store.iso(ctx.account)
    for task in tasks:
        store.update(task, dealTasktype=target.id_str, udate=now)
    deal_ids = sorted({t.parent for t in tasks if t.data["reltype"] == "Deal"})
    deals = store.records(ctx.account, "deal").filter(rid__in=deal_ids).order_by("rid")
    return {
        "dealTasks": [present_task(ctx, t, MOVED_KEYS, TASK_LINKS[:-1]) for t in tasks],
        "deals": [_moved_deal(ctx, d) for d in deals],
    }


def _moved_deal(ctx: Ctx, deal: SandboxRecord) -> dict[str, Any]:
    body = present(ctx, deal, MOVED_DEAL_KEYS, CONTACT_LINKS)
    body["edate"] = body["edate"] or NO_DATE
    return body


# Task type – outcome relations ------------------------------------------------


@store.presenter(REL)
def present_rel(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"tasktypeOutcomeRels/{rid}/{name}") for name in REL_LINKS}
    return store.project({**record.data, "links": links, "id": rid}, REL_KEYS)


def _get_rel(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, REL, rid, not_found("TasktypeOutcomeRel", rid))


@route("GET", "tasktypeOutcomeRels", "List_taskTypeOutcomeRelations")
def list_rels(ctx: Ctx):
    return _list_all(ctx, REL, "tasktypeOutcomeRels", present_rel)


@route("GET", "tasktypeOutcomeRels/{id}", "Outcome_getTaskTypeOutcome")
def get_rel(ctx: Ctx, id: str):
    record = _get_rel(ctx, id)
    return {"tasktypeOutcomeRel": present_rel(ctx, record)}


@route("DELETE", "tasktypeOutcomeRels/{id}", "Outcome_deleteTaskTypeOutcomeRelation")
def delete_rel(ctx: Ctx, id: str):
    _get_rel(ctx, id).delete()
    return {}
