"""Deal tasks, ``/dealTasks``, and their reminders, ``/taskNotifications``.

A task hangs off a deal (``reltype`` "Deal") or a contact ("Subscriber"); its record's
``parent`` is that ``relid``. A task type allows the outcomes it has a
``tasktypeOutcomeRel`` with (record ``parent`` = task type id, ``key`` = outcome id).

This module also names the kinds of the whole task family and holds the helpers its
modules share: ``tasklist`` (GET /dealTasks), ``tasktypes`` (task types and their outcome
relations) and ``taskoutcomes``.
"""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, field_error, not_found, route
from .users import current_user, find_user

TASK, TYPE, OUTCOME = "dealTask", "dealTasktype", "taskOutcome"
REL, NOTIFICATION = "tasktypeOutcomeRel", "taskNotification"

TASK_LINKS = ["activities", "automation", "dealTasktype", "doneAutomation", "notes", "owner"]
TASK_LINKS += ["taskNotifications", "user", "assignee"]
# The key sets each operation returns, from the reference's examples.
CREATED_KEYS = ["id", "duedate", "edate", "status", "title", "note", "relid", "reltype"]
CREATED_KEYS += ["dealTasktype", "cdate", "udate", "automation", "doneAutomation", "user"]
CREATED_KEYS += ["assignee", "owner", "outcomeId", "outcomeInfo", "links"]
DETAIL_KEYS = ["relid", "reltype", "dealTasktype", "user", "assignee", "automation", "cdate"]
DETAIL_KEYS += ["duedate", "edate", "duration", "status", "title", "note", "donedate"]
DETAIL_KEYS += ["doneAutomation", "udate", "owner", "id", "outcomeId", "outcomeInfo", "links"]
UPDATED_KEYS = ["id", "duedate", "edate", "status", "title", "note", "relid", "ownerType"]
UPDATED_KEYS += ["dealTasktype", "assignee", "cdate", "udate", "automation", "doneAutomation"]
UPDATED_KEYS += ["user", "owner", "outcomeId", "outcomeInfo", "links"]

# reltype of a task from the ``ownerType`` (or ``reltype``) it is written with.
RELTYPES = {"deal": "Deal", "contact": "Subscriber", "subscriber": "Subscriber"}
OWNER_TYPES = {"Deal": "deal", "Subscriber": "contact"}
RELATED_KIND = {"Deal": "deal", "Subscriber": "contact"}


def fail(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ApiError(422, {"errors": errors})


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def id_text(value: Any) -> str | None:
    """An id given as a number or a numeric string, as a string; None if it is not one."""
    text = as_text(value).strip()
    return text if text.isdigit() else None


def same_title(
    ctx: Ctx, kind: str, attrs: dict[str, Any], record: SandboxRecord | None
) -> tuple[str, QuerySet[SandboxRecord]]:
    """The title given, stripped, and the other records of ``kind`` that already have it."""
    title = as_text(attrs.get("title")).strip()
    others = store.records(ctx.account, kind).filter(data__title__iexact=title)
    if record is not None:
        others = others.exclude(pk=record.pk)
    return title, others


def parse_moment(ctx: Ctx, value: Any) -> datetime | None:
    """An API date: ISO 8601 with or without offset, or a date; naive ones are account time."""
    try:
        moment = datetime.fromisoformat(as_text(value).strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ctx.tz)


# Tasks -------------------------------------------------------------------------


def full_task(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    data = record.data
    owner_type = OWNER_TYPES.get(data["reltype"])
    return {
        **data,
        "ownerType": owner_type,
        "owner": {"type": owner_type, "id": data["relid"]},
        "links": {name: ctx.link(f"dealTasks/{rid}/{name}") for name in TASK_LINKS},
        "id": rid,
    }


def present_task(
    ctx: Ctx, record: SandboxRecord, keys: list[str], links: list[str] = TASK_LINKS
) -> dict[str, Any]:
    body = store.project(full_task(ctx, record), keys)
    body["links"] = {name: body["links"][name] for name in links}
    return body


@store.presenter(TASK)
def present_task_default(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /dealTasks/{id} returns it."""
    return present_task(ctx, record, DETAIL_KEYS)


def _get_task(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, TASK, rid, not_found("DealTask", rid))


def _outcome_allowed(ctx: Ctx, outcome_id: str, tasktype: str) -> dict[str, Any] | None:
    """The error for an outcome the task type does not offer, or None if it is allowed."""
    outcome = store.find(ctx.account, OUTCOME, outcome_id)
    if outcome is None:
        return field_error(f"Task outcome {outcome_id} does not exist.", "outcomeId")
    if outcome.data.get("disabled") == "1":
        return field_error(f"Task outcome {outcome_id} is disabled.", "outcomeId")
    rels = store.records(ctx.account, REL).filter(parent=int(tasktype), key=outcome_id)
    if not rels.exists():
        return field_error(
            f"Task outcome {outcome_id} is not an outcome of task type {tasktype}.", "outcomeId"
        )
    return None


def _clean_task(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    """Validated stored attributes from a task payload; 422 listing every problem."""
    creating = record is None
    current = record.data if record else {}
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []

    for name in ("title", "note", "outcomeInfo"):
        if name in attrs:
            if isinstance(attrs[name], dict | list):
                errors.append(field_error(f"{name} must be a string.", name))
            else:
                changes[name] = as_text(attrs[name])
    if "outcomeInfo" in changes and attrs["outcomeInfo"] is None:
        changes["outcomeInfo"] = None

    kind_given = attrs.get("ownerType", attrs.get("reltype"))
    if creating or kind_given is not None:
        reltype = RELTYPES.get(as_text(kind_given).strip().lower())
        if reltype is None:
            code = "field_missing" if kind_given in (None, "") else "field_invalid"
            errors.append(field_error("ownerType must be deal or contact.", "ownerType", code))
        else:
            changes["reltype"] = reltype
    if creating or "relid" in attrs or "reltype" in changes:
        relid = id_text(attrs.get("relid", current.get("relid")))
        reltype = changes.get("reltype", current.get("reltype"))
        if relid is None:
            errors.append(field_error("relid is required.", "relid", "field_missing"))
        elif reltype and store.find(ctx.account, RELATED_KIND[reltype], relid) is None:
            errors.append(field_error(f"{OWNER_TYPES[reltype]} {relid} does not exist.", "relid"))
        else:
            changes["relid"] = relid

    if creating or "dealTasktype" in attrs:
        tasktype = id_text(attrs.get("dealTasktype"))
        if tasktype is None:
            errors.append(field_error("dealTasktype is required.", "dealTasktype", "field_missing"))
        elif store.find(ctx.account, TYPE, tasktype) is None:
            errors.append(field_error(f"Task type {tasktype} does not exist.", "dealTasktype"))
        else:
            changes["dealTasktype"] = tasktype

    for name in ("duedate", "edate"):
        if name not in attrs and not (creating and name == "duedate"):
            continue
        moment = parse_moment(ctx, attrs.get(name))
        if moment is None:
            code = "field_missing" if attrs.get(name) in (None, "") else "field_invalid"
            errors.append(field_error(f"{name} must be a date.", name, code))
        else:
            changes[name] = store.iso(ctx.account, moment)

    if "status" in attrs:
        status = as_text(attrs["status"]).strip()
        if status not in ("0", "1"):
            errors.append(field_error("status must be 0 (incomplete) or 1 (complete).", "status"))
        else:
            changes["status"] = status

    if "assignee" in attrs:
        assignee = id_text(attrs["assignee"])
        if assignee is None or find_user(ctx, assignee) is None:
            errors.append(field_error(f"User {attrs['assignee']} does not exist.", "assignee"))
        else:
            changes["assignee"] = assignee

    if attrs.get("outcomeId") is not None:
        outcome_id = id_text(attrs["outcomeId"])
        tasktype = changes.get("dealTasktype", current.get("dealTasktype"))
        if outcome_id is None:
            errors.append(field_error("outcomeId must be an id.", "outcomeId"))
        elif tasktype and (problem := _outcome_allowed(ctx, outcome_id, tasktype)):
            errors.append(problem)
        else:
            changes["outcomeId"] = int(outcome_id)
    elif "outcomeId" in attrs:
        changes["outcomeId"] = None
    fail(errors)
    return changes


def refresh_next_task(ctx: Ctx, reltype: str | None, relid: object) -> None:
    """Keep a deal's ``nexttaskid``/``nextdate`` on its soonest-due open task, as the API
    does when the deal's tasks change (the board's "next task" and the deal filters read it)."""
    if reltype != "Deal" or (deal := store.find(ctx.account, "deal", as_text(relid))) is None:
        return
    tasks = store.records(ctx.account, TASK).filter(
        parent=deal.rid, data__reltype="Deal", data__status="0"
    )
    dated = [(m, t.rid, t) for t in tasks if (m := parse_moment(ctx, t.data.get("duedate")))]
    soonest = min(dated, key=lambda item: item[:2], default=None)
    store.update(
        deal,
        nexttaskid=soonest[2].id_str if soonest else "0",
        nextdate=soonest[2].data["duedate"] if soonest else None,
    )


def _new_task_data(ctx: Ctx, changes: dict[str, Any]) -> dict[str, Any]:
    now = store.iso(ctx.account)
    user = current_user(ctx).id_str
    data: dict[str, Any] = {
        "relid": changes["relid"],
        "reltype": changes["reltype"],
        "dealTasktype": changes["dealTasktype"],
        "user": user,
        "assignee": user,
        # Automations are not modelled: tasks never start or finish one.
        "automation": None,
        "cdate": now,
        "duedate": changes["duedate"],
        "edate": changes["duedate"],
        "duration": "0",
        "status": "0",
        "title": "",
        "note": "",
        "donedate": None,
        "doneAutomation": None,
        "udate": now,
        "outcomeId": None,
        "outcomeInfo": None,
    }
    data.update(changes)
    if data["status"] == "1":
        data["donedate"] = now
    return data


@route("POST", "dealTasks", "Deal_createNewTask")
def create_task(ctx: Ctx):
    data = _new_task_data(ctx, _clean_task(ctx, ctx.envelope("dealTask"), None))
    task = store.create(ctx.account, TASK, data, parent=int(data["relid"]))
    refresh_next_task(ctx, data["reltype"], data["relid"])
    return 201, {"dealTask": present_task(ctx, task, CREATED_KEYS)}


@route("GET", "dealTasks/{id}", "Deal_getTaskById")
def get_task(ctx: Ctx, id: str):
    task = _get_task(ctx, id)
    return {"dealTask": present_task_default(ctx, task)}


@route("PUT", "dealTasks/{id}", "Deal_updateTaskById")
def update_task(ctx: Ctx, id: str):
    task = _get_task(ctx, id)
    changes = _clean_task(ctx, ctx.envelope("dealTask"), task)
    was = (task.data["reltype"], task.data["relid"])
    if "status" in changes and changes["status"] != task.data["status"]:
        changes["donedate"] = store.iso(ctx.account) if changes["status"] == "1" else None
    if "relid" in changes:
        task.parent = int(changes["relid"])
    store.update(task, **changes, udate=store.iso(ctx.account))
    for related in {was, (task.data["reltype"], task.data["relid"])}:
        refresh_next_task(ctx, *related)
    return {"dealTask": present_task(ctx, task, UPDATED_KEYS)}


@route("DELETE", "dealTasks/{id}", "Deal_deleteTask")
def delete_task(ctx: Ctx, id: str):
    task = _get_task(ctx, id)
    store.records(ctx.account, NOTIFICATION).filter(parent=task.rid).delete()
    task.delete()
    refresh_next_task(ctx, task.data["reltype"], task.data["relid"])
    return {}


# Task reminders ----------------------------------------------------------------


@route("POST", "taskNotifications", "Reminder_createTaskOutcome")
def create_notification(ctx: Ctx):
    attrs = ctx.envelope("taskNotification")
    task = store.find(ctx.account, TASK, id_text(attrs.get("dealTask")) or "")
    interval = id_text(attrs.get("interval"))
    errors = []
    if task is None:
        errors.append(field_error(f"Task {attrs.get('dealTask')} does not exist.", "dealTask"))
    if interval is None:
        errors.append(field_error("interval must be a number of minutes.", "interval"))
    if task is None or interval is None:
        raise ApiError(422, {"errors": errors})
    data = {"dealTask": task.id_str, "interval": interval}
    record = store.create(ctx.account, NOTIFICATION, data, parent=task.rid)
    rid = record.id_str
    return {
        "taskNotification": {
            **data,
            "links": {"dealTask": ctx.link(f"taskNotifications/{rid}/dealTask")},
            "id": rid,
        }
    }
