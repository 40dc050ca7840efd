"""Deal tasks: ``/dealTasks``, task types, task outcomes and the type–outcome relations.

A task hangs off a deal (``reltype`` "Deal") or a contact ("Subscriber"); its record's
``parent`` is that ``relid``. A task type allows the outcomes it has a
``tasktypeOutcomeRel`` with (record ``parent`` = task type id, ``key`` = outcome id).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, field_error, invalid, not_found, route
from .users import current_user, find_user

TASK, TYPE, OUTCOME = "dealTask", "dealTasktype", "taskOutcome"
REL, NOTIFICATION = "tasktypeOutcomeRel", "taskNotification"

TASK_LINKS = ["activities", "automation", "dealTasktype", "doneAutomation", "notes", "owner"]
TASK_LINKS += ["taskNotifications", "user", "assignee"]
# The key sets each operation returns, from the reference's examples. GET /dealTasks lists
# tasks with the keys of the create example (its items are copies of that example).
CREATED_KEYS = ["id", "duedate", "edate", "status", "title", "note", "relid", "reltype"]
CREATED_KEYS += ["dealTasktype", "cdate", "udate", "automation", "doneAutomation", "user"]
CREATED_KEYS += ["assignee", "owner", "outcomeId", "outcomeInfo", "links"]
LIST_KEYS = CREATED_KEYS
DETAIL_KEYS = ["relid", "reltype", "dealTasktype", "user", "assignee", "automation", "cdate"]
DETAIL_KEYS += ["duedate", "edate", "duration", "status", "title", "note", "donedate"]
DETAIL_KEYS += ["doneAutomation", "udate", "owner", "id", "outcomeId", "outcomeInfo", "links"]
UPDATED_KEYS = ["id", "duedate", "edate", "status", "title", "note", "relid", "ownerType"]
UPDATED_KEYS += ["dealTasktype", "assignee", "cdate", "udate", "automation", "doneAutomation"]
UPDATED_KEYS += ["user", "owner", "outcomeId", "outcomeInfo", "links"]
MOVED_KEYS = ["automation", "cdate", "dealTasktype", "doneAutomation", "donedate", "duedate"]
MOVED_KEYS += ["duration", "edate", "id", "links", "note", "owner", "relid", "reltype"]
MOVED_KEYS += ["status", "title", "udate", "user"]

# reltype of a task from the ``ownerType`` (or ``reltype``) it is written with.
RELTYPES = {"deal": "Deal", "contact": "Subscriber", "subscriber": "Subscriber"}
OWNER_TYPES = {"Deal": "deal", "Subscriber": "contact"}
RELATED_KIND = {"Deal": "deal", "Subscriber": "contact"}

TYPE_KEYS = ["cdate", "defduration", "id", "links", "status", "title", "udate"]

OUTCOME_LINKS = ["tasktypeOutcomeRels", "dealTasks"]
OUTCOME_KEYS = ["title", "sentiment", "disabled", "created_by", "updated_by"]
OUTCOME_KEYS += ["created_utc_timestamp", "updated_utc_timestamp", "dealTasktype_ids"]
OUTCOME_KEYS += ["links", "id"]
OUTCOME_CREATED_KEYS = ["title", "sentiment", "created_by", "disabled", "links", "id"]
OUTCOME_UPDATED_KEYS = [k for k in OUTCOME_KEYS if k != "dealTasktype_ids"]
SENTIMENTS = {"positive": "POSITIVE", "neutral": "NEUTRAL", "negative": "NEGATIVE"}
# filters[sentiment] takes codes: 1 Negative, 2 Neutral, 3 Positive.
SENTIMENT_CODES = {"1": "NEGATIVE", "2": "NEUTRAL", "3": "POSITIVE"}

REL_KEYS = ["tasktype_id", "outcome_id", "display_order", "created_by"]
REL_KEYS += ["created_utc_timestamp", "updated_by", "updated_utc_timestamp", "links", "id"]
REL_KEYS += ["tasktype", "outcome", "createdBy"]


def _fail(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ApiError(422, {"errors": errors})


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _id_text(value: Any) -> str | None:
    """An id given as a number or a numeric string, as a string; None if it is not one."""
    text = _text(value).strip()
    return text if text.isdigit() else None


# Due dates ---------------------------------------------------------------------


def parse_moment(ctx: Ctx, value: Any) -> datetime | None:
    """An API date: ISO 8601 with or without offset, or a date; naive ones are account time."""
    try:
        moment = datetime.fromisoformat(_text(value).strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ctx.tz)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


# More than any UTC offset (-12:00 to +14:00): around a bound, the local part of a stored
# "2021-03-01T09:00:00-06:00" orders like the instant except within this margin.
MARGIN = timedelta(hours=15)
SECOND = timedelta(seconds=1)


def _naive(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def due_between(
    ctx: Ctx,
    qs: QuerySet[SandboxRecord],
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[SandboxRecord]:
    """Tasks due strictly after ``after`` and strictly before ``before``, as instants.

    Due dates are stored with the account's UTC offset, which changes with daylight saving,
    so text comparison alone is wrong near a bound. The database decides every task due
    clearly inside or outside the interval; the few within ``MARGIN`` of a bound are
    compared exactly here.
    """
    qs = qs.exclude(data__duedate=None)
    sure, loose = Q(), Q()
    if after is not None:
        sure &= Q(data__duedate__gte=_naive(after + MARGIN))
        loose &= Q(data__duedate__gte=_naive(after - MARGIN))
    if before is not None:
        sure &= Q(data__duedate__lt=_naive(before - MARGIN))
        loose &= Q(data__duedate__lt=_naive(before + MARGIN))

    def inside(moment: datetime | None) -> bool:
        return (
            moment is not None
            and (after is None or moment > after)
            and (before is None or moment < before)
        )

    band = qs.filter(loose).exclude(sure).only("rid", "data")
    exact = [r.rid for r in band if inside(parse_moment(ctx, r.data["duedate"]))]
    return qs.filter(sure | Q(rid__in=exact))


def _filter_moment(ctx: Ctx, name: str) -> tuple[datetime, bool] | None:
    """A date filter's value and whether it was a bare date; 400 if it is not a date."""
    raw = ctx.param(name)
    if raw is None:
        return None
    moment = parse_moment(ctx, raw)
    if moment is None:
        raise ApiError(400, {"message": f"{name} must be a date."})
    return moment, _is_date(raw)


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


def _task_404(rid: object) -> ApiError:
    return not_found("DealTask", rid)


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
                changes[name] = _text(attrs[name])
    if "outcomeInfo" in changes and attrs["outcomeInfo"] is None:
        changes["outcomeInfo"] = None

    kind_given = attrs.get("ownerType", attrs.get("reltype"))
    if creating or kind_given is not None:
        reltype = RELTYPES.get(_text(kind_given).strip().lower())
        if reltype is None:
            code = "field_missing" if kind_given in (None, "") else "field_invalid"
            errors.append(field_error("ownerType must be deal or contact.", "ownerType", code))
        else:
            changes["reltype"] = reltype
    if creating or "relid" in attrs or "reltype" in changes:
        relid = _id_text(attrs.get("relid", current.get("relid")))
        reltype = changes.get("reltype", current.get("reltype"))
        if relid is None:
            errors.append(field_error("relid is required.", "relid", "field_missing"))
        elif reltype and store.find(ctx.account, RELATED_KIND[reltype], relid) is None:
            errors.append(field_error(f"{OWNER_TYPES[reltype]} {relid} does not exist.", "relid"))
        else:
            changes["relid"] = relid

    if creating or "dealTasktype" in attrs:
        tasktype = _id_text(attrs.get("dealTasktype"))
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
        status = _text(attrs["status"]).strip()
        if status not in ("0", "1"):
            errors.append(field_error("status must be 0 (incomplete) or 1 (complete).", "status"))
        else:
            changes["status"] = status

    if "assignee" in attrs:
        assignee = _id_text(attrs["assignee"])
        if assignee is None or find_user(ctx, assignee) is None:
            errors.append(field_error(f"User {attrs['assignee']} does not exist.", "assignee"))
        else:
            changes["assignee"] = assignee

    if attrs.get("outcomeId") is not None:
        outcome_id = _id_text(attrs["outcomeId"])
        tasktype = changes.get("dealTasktype", current.get("dealTasktype"))
        if outcome_id is None:
            errors.append(field_error("outcomeId must be an id.", "outcomeId"))
        elif tasktype and (problem := _outcome_allowed(ctx, outcome_id, tasktype)):
            errors.append(problem)
        else:
            changes["outcomeId"] = int(outcome_id)
    elif "outcomeId" in attrs:
        changes["outcomeId"] = None
    _fail(errors)
    return changes


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
    return 201, {"dealTask": present_task(ctx, task, CREATED_KEYS)}


@route("GET", "dealTasks/{id}", "Deal_getTaskById")
def get_task(ctx: Ctx, id: str):
    task = store.get_or_404(ctx.account, TASK, id, _task_404(id))
    return {"dealTask": present_task_default(ctx, task)}


@route("PUT", "dealTasks/{id}", "Deal_updateTaskById")
def update_task(ctx: Ctx, id: str):
    task = store.get_or_404(ctx.account, TASK, id, _task_404(id))
    changes = _clean_task(ctx, ctx.envelope("dealTask"), task)
    if "status" in changes and changes["status"] != task.data["status"]:
        changes["donedate"] = store.iso(ctx.account) if changes["status"] == "1" else None
    if "relid" in changes:
        task.parent = int(changes["relid"])
    store.update(task, **changes, udate=store.iso(ctx.account))
    return {"dealTask": present_task(ctx, task, UPDATED_KEYS)}


@route("DELETE", "dealTasks/{id}", "Deal_deleteTask")
def delete_task(ctx: Ctx, id: str):
    task = store.get_or_404(ctx.account, TASK, id, _task_404(id))
    store.records(ctx.account, NOTIFICATION).filter(parent=task.rid).delete()
    task.delete()
    return {}


TASK_ORDERABLE = {
    "id": "rid",
    "duedate": "data__duedate",
    "cdate": "data__cdate",
    "udate": "data__udate",
    "title": "data__title",
    "status": "data__status",
}


def filter_tasks(ctx: Ctx) -> QuerySet[SandboxRecord]:
    qs = store.records(ctx.account, TASK)
    for name in ("title", "note"):
        if (value := ctx.param(f"filters[{name}]")) is not None:
            qs = qs.filter(**{f"data__{name}__icontains": value})
    if (raw := ctx.param("filters[reltype]")) is not None:
        reltype = RELTYPES.get(raw.strip().lower())
        qs = qs.filter(data__reltype=reltype) if reltype else qs.none()
    if (relid := ctx.int_param("filters[relid]")) is not None:
        qs = qs.filter(parent=relid)
    if (status := ctx.int_param("filters[status]")) is not None:
        qs = qs.filter(data__status=str(status))
    for name, attribute in (
        ("d_tasktypeid", "dealTasktype"),
        ("userid", "user"),
        ("assignee_userid", "assignee"),
    ):
        if (value := ctx.int_param(f"filters[{name}]")) is not None:
            qs = qs.filter(**{f"data__{attribute}": str(value)})
    if (outcome := ctx.int_param("filters[outcome_id]")) is not None:
        qs = qs.filter(data__outcomeId=outcome)

    # A bare date stands for midnight at its start, in the account's timezone. Due dates
    # have whole seconds, so "after t - 1s" is "at or after t".
    if given := _filter_moment(ctx, "filters[duedate]"):
        moment, whole_day = given
        end = moment + (timedelta(days=1) if whole_day else SECOND)
        qs = due_between(ctx, qs, after=moment - SECOND, before=end)
    if given := _filter_moment(ctx, "filters[due_after]"):
        qs = due_between(ctx, qs, after=given[0])
    # The published name is misspelt "Fitlers"; both spellings work.
    for name in ("Fitlers[due_before]", "filters[due_before]"):
        if given := _filter_moment(ctx, name):
            qs = due_between(ctx, qs, before=given[0])
    if (raw := ctx.param("filters[duedate_range]")) is not None:
        qs = _due_range(ctx, qs, raw)
    return qs


def _due_range(ctx: Ctx, qs: QuerySet[SandboxRecord], raw: str) -> QuerySet[SandboxRecord]:
    """``start,end``, both included; a bare end date includes that whole day."""
    parts = raw.split(",")
    bounds = [parse_moment(ctx, p) for p in parts]
    if len(parts) != 2 or bounds[0] is None or bounds[1] is None:
        raise ApiError(400, {"message": "filters[duedate_range] must be two dates: start,end."})
    start, end = bounds
    end += timedelta(days=1) if _is_date(parts[1]) else SECOND
    return due_between(ctx, qs, after=start - SECOND, before=end)


@route("GET", "dealTasks", "Deal_getAllTasks")
def list_tasks(ctx: Ctx):
    qs = store.order_by_param(ctx, filter_tasks(ctx), TASK_ORDERABLE)
    body, _ = store.paged(ctx, qs, "dealTasks", lambda c, r: present_task(c, r, LIST_KEYS))
    return body


# Task types --------------------------------------------------------------------


@store.presenter(TYPE)
def present_type(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project({**record.data, "id": record.id_str, "links": []}, TYPE_KEYS)


def _type_404(rid: object) -> ApiError:
    return not_found("DealTasktype", rid)


def _clean_type(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    if record is None or "title" in attrs:
        title = _text(attrs.get("title")).strip()
        others = store.records(ctx.account, TYPE).filter(data__title__iexact=title)
        if record is not None:
            others = others.exclude(pk=record.pk)
        if not title:
            errors.append(field_error("Task type title is required.", "title", "field_missing"))
        elif others.exists():
            errors.append(
                field_error("A task type with the same title already exists.", "title", "duplicate")
            )
        changes["title"] = title
    if "status" in attrs:
        changes["status"] = _text(attrs["status"]).strip()
        if changes["status"] not in ("0", "1"):
            errors.append(field_error("status must be 0 or 1.", "status"))
    if "defduration" in attrs:
        changes["defduration"] = _text(attrs["defduration"]).strip()
        if not changes["defduration"].isdigit():
            errors.append(field_error("defduration must be a number of minutes.", "defduration"))
    _fail(errors)
    return changes


@route("POST", "dealTasktypes", "Deal_createTaskType")
def create_type(ctx: Ctx):
    changes = _clean_type(ctx, ctx.envelope("dealTasktype"), None)
    now = store.iso(ctx.account)
    data = {"cdate": now, "defduration": "0", "status": "0", "title": "", "udate": now, **changes}
    return {"dealTasktype": present_type(ctx, store.create(ctx.account, TYPE, data))}


@route("GET", "dealTasktypes", "Deal_listAllTaskTypes")
def list_types(ctx: Ctx):
    qs = store.records(ctx.account, TYPE).order_by("rid")
    body, _ = store.paged(ctx, qs, "dealTasktypes", present_type)
    return body


@route("GET", "dealTasktypes/{id}", "Deal_getTaskType")
def get_type(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, TYPE, id, _type_404(id))
    return {"dealTasktype": present_type(ctx, record)}


@route("PUT", "dealTasktypes/{id}", "Deal_updateTaskType")
def update_type(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, TYPE, id, _type_404(id))
    changes = _clean_type(ctx, ctx.envelope("dealTasktype"), record)
    store.update(record, **changes, udate=store.iso(ctx.account))
    return {"dealTasktype": present_type(ctx, record)}


@route("DELETE", "dealTasktypes/{id}", "Deal_deleteTaskType")
def delete_type(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, TYPE, id, _type_404(id))
    if store.records(ctx.account, TASK).filter(data__dealTasktype=record.id_str).exists():
        raise invalid(
            "The task type still has tasks; move them to another task type first.", "dealTasks"
        )
    store.records(ctx.account, REL).filter(parent=record.rid).delete()
    record.delete()
    return {}


@route("PUT", "dealTasktypes/{id}/dealTasks", "Deal_moveTasksToAnotherTaskType")
def move_tasks(ctx: Ctx, id: str):
    source = store.get_or_404(ctx.account, TYPE, id, _type_404(id))
    given = ctx.envelope("dealTask").get("dealTasktype")
    target = store.find(ctx.account, TYPE, _id_text(given) or "")
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
        "deals": [store.present(ctx, d, "dealTasks") for d in deals],
    }


# Outcomes ----------------------------------------------------------------------


def _outcome_error(
    title: str, attribute: str, code: str = "field_invalid", error: str = ""
) -> dict[str, Any]:
    """Outcome errors carry an extra ``error`` key (a slug, often empty)."""
    return {
        "title": title,
        "detail": "",
        "code": code,
        "error": error,
        "source": {"pointer": f"/data/attributes/{attribute}"},
    }


def _outcome_404(rid: object) -> ApiError:
    return not_found("TaskOutcome", rid)


def full_outcome(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    rels = store.records(ctx.account, REL).filter(key=rid).order_by("parent")
    return {
        **record.data,
        "dealTasktype_ids": [str(parent) for parent in rels.values_list("parent", flat=True)],
        "links": {name: ctx.link(f"taskOutcomes/{rid}/{name}") for name in OUTCOME_LINKS},
        "id": rid,
    }


@store.presenter(OUTCOME)
def present_outcome(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project(full_outcome(ctx, record), OUTCOME_KEYS)


def _clean_outcome(
    ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None
) -> tuple[dict[str, Any], list[str] | None]:
    """Validated attributes and the task types to offer the outcome for (None: unchanged)."""
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    if record is None or "title" in attrs:
        title = _text(attrs.get("title")).strip()
        others = store.records(ctx.account, OUTCOME).filter(data__title__iexact=title)
        if record is not None:
            others = others.exclude(pk=record.pk)
        if not title:
            errors.append(
                _outcome_error(
                    "The taskOutcome title was not provided.",
                    "title",
                    "field_missing",
                    "taskOutcome_title_was_not_provided",
                )
            )
        elif others.exists():
            errors.append(
                _outcome_error("A task outcome with the same title already exists.", "title")
            )
        changes["title"] = title
    if record is None or "sentiment" in attrs:
        sentiment = SENTIMENTS.get(_text(attrs.get("sentiment")).strip().lower())
        if sentiment is None:
            errors.append(
                _outcome_error(
                    "Sentiment value must be one of Positive, Neutral, or Negative.", "sentiment"
                )
            )
        changes["sentiment"] = sentiment
    if "disabled" in attrs:
        changes["disabled"] = _text(attrs["disabled"]).strip()
        if changes["disabled"] not in ("0", "1"):
            errors.append(_outcome_error("disabled must be 0 or 1.", "disabled"))
    tasktypes = None
    if "dealTasktype_ids" in attrs:
        given = attrs["dealTasktype_ids"]
        tasktypes = [_id_text(t) for t in given] if isinstance(given, list) else [None]
        if any(t is None or store.find(ctx.account, TYPE, t) is None for t in tasktypes):
            errors.append(
                _outcome_error(
                    "dealTasktype_ids must list existing task types.", "dealTasktype_ids"
                )
            )
    _fail(errors)
    return changes, tasktypes


def _offer_for(ctx: Ctx, outcome: SandboxRecord, tasktypes: list[str]) -> None:
    """Make the outcome available for exactly these task types."""
    rels = store.records(ctx.account, REL).filter(key=outcome.id_str)
    rels.exclude(parent__in=[int(t) for t in tasktypes]).delete()
    existing = {str(p) for p in rels.values_list("parent", flat=True)}
    user = current_user(ctx).id_str
    for tasktype in dict.fromkeys(tasktypes):
        if tasktype in existing:
            continue
        order = store.records(ctx.account, REL).filter(parent=int(tasktype)).count()
        data = {
            "tasktype_id": tasktype,
            "outcome_id": outcome.id_str,
            "display_order": str(order),
            "created_by": user,
            "created_utc_timestamp": store.iso(ctx.account),
            "updated_by": None,
            "updated_utc_timestamp": store.plain(ctx.account),
            "tasktype": tasktype,
            "outcome": outcome.id_str,
            "createdBy": user,
        }
        store.create(ctx.account, REL, data, parent=int(tasktype), key=outcome.id_str)


@route("POST", "taskOutcomes", "Outcome_createTaskOutcome")
def create_outcome(ctx: Ctx):
    changes, tasktypes = _clean_outcome(ctx, ctx.envelope("taskOutcome"), None)
    now, user = store.iso(ctx.account), current_user(ctx).id_str
    data = {
        "title": "",
        "sentiment": "NEUTRAL",
        "disabled": "0",
        "created_by": user,
        "updated_by": user,
        "created_utc_timestamp": now,
        "updated_utc_timestamp": now,
        **changes,
    }
    outcome = store.create(ctx.account, OUTCOME, data)
    if tasktypes is not None:
        _offer_for(ctx, outcome, tasktypes)
    return {"taskOutcome": store.project(full_outcome(ctx, outcome), OUTCOME_CREATED_KEYS)}


@route("GET", "taskOutcomes", "List_taskOutcomes")
def list_outcomes(ctx: Ctx):
    qs = store.records(ctx.account, OUTCOME).order_by("rid")
    if (raw := ctx.param("filters[sentiment]")) is not None:
        raw = raw.strip()
        sentiment = SENTIMENT_CODES.get(raw, SENTIMENTS.get(raw.lower()))
        qs = qs.filter(data__sentiment=sentiment) if sentiment else qs.none()
    body, _ = store.paged(ctx, qs, "taskOutcomes", present_outcome)
    return body


@route("GET", "taskOutcomes/{id}", "Outcome_getTaskOutcome")
def get_outcome(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, OUTCOME, id, _outcome_404(id))
    return {"taskOutcome": present_outcome(ctx, record)}


def update_outcome(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, OUTCOME, id, _outcome_404(id))
    changes, tasktypes = _clean_outcome(ctx, ctx.envelope("taskOutcome"), record)
    store.update(
        record,
        **changes,
        updated_by=current_user(ctx).id_str,
        updated_utc_timestamp=store.iso(ctx.account),
    )
    if tasktypes is not None:
        _offer_for(ctx, record, tasktypes)
    return {"taskOutcome": store.project(full_outcome(ctx, record), OUTCOME_UPDATED_KEYS)}


def delete_outcome(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, OUTCOME, id, _outcome_404(id))
    # Tasks completed with it keep their outcomeId, as history.
    store.records(ctx.account, REL).filter(key=record.id_str).delete()
    record.delete()
    return {}


# The reference publishes PUT and DELETE under the misspelt "/taskOutccomes/{id}"; both
# spellings are served.
for _path in ("taskOutccomes/{id}", "taskOutcomes/{id}"):
    route("PUT", _path, "Outcome_updateTaskOutcome")(update_outcome)
    route("DELETE", _path, "Outcome_deleteTaskOutcome")(delete_outcome)


# Task type – outcome relations ------------------------------------------------


REL_LINKS = ["tasktype", "outcome", "createdBy"]


@store.presenter(REL)
def present_rel(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"tasktypeOutcomeRels/{rid}/{name}") for name in REL_LINKS}
    return store.project({**record.data, "links": links, "id": rid}, REL_KEYS)


def _rel_404(rid: object) -> ApiError:
    return not_found("TasktypeOutcomeRel", rid)


@route("GET", "tasktypeOutcomeRels", "List_taskTypeOutcomeRelations")
def list_rels(ctx: Ctx):
    qs = store.records(ctx.account, REL).order_by("rid")
    body, _ = store.paged(ctx, qs, "tasktypeOutcomeRels", present_rel)
    return body


@route("GET", "tasktypeOutcomeRels/{id}", "Outcome_getTaskTypeOutcome")
def get_rel(ctx: Ctx, id: str):
    record = store.get_or_404(ctx.account, REL, id, _rel_404(id))
    return {"tasktypeOutcomeRel": present_rel(ctx, record)}


@route("DELETE", "tasktypeOutcomeRels/{id}", "Outcome_deleteTaskTypeOutcomeRelation")
def delete_rel(ctx: Ctx, id: str):
    store.get_or_404(ctx.account, REL, id, _rel_404(id)).delete()
    return {}


# Task reminders ----------------------------------------------------------------


@route("POST", "taskNotifications", "Reminder_createTaskOutcome")
def create_notification(ctx: Ctx):
    attrs = ctx.envelope("taskNotification")
    task = store.find(ctx.account, TASK, _id_text(attrs.get("dealTask")) or "")
    interval = _id_text(attrs.get("interval"))
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
