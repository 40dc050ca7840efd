"""Deal tasks (``/dealTasks``), with the task types and outcomes they use (cached together).

A task belongs to a deal or to a contact (``related_type`` / ``related_id``). Validation
errors carry the API's attribute names: ``ownerType`` / ``relid`` (related_type /
related_id), ``dealTasktype`` (task_type_id), ``duedate`` (due), ``edate`` (end),
``assignee`` (assignee_id), ``status``, ``title``, ``note``, ``outcomeId`` (an outcome the
task type does not offer), ``outcomeInfo``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from . import metadata
from .client import Client
from .paging import TypedPage, fetch_page, iter_all
from .parsing import api_datetime, parse_datetime, parse_int, parse_optional_int

CACHE_NAME = "task_setup"
# Orders of GET /dealTasks: due date, creation, last change, title, status.
SORTS = ("duedate", "cdate", "udate", "title", "status")


class RelatedType(StrEnum):
    DEAL = "deal"
    CONTACT = "contact"


# The API's reltype of each related type (filters and task objects use it).
RELTYPES = {RelatedType.DEAL: "Deal", RelatedType.CONTACT: "Subscriber"}
# Tasks name it by owner.type ("deal", "contact"), ownerType or reltype ("Subscriber").
_BY_NAME = {
    "deal": RelatedType.DEAL,
    "contact": RelatedType.CONTACT,
    "subscriber": RelatedType.CONTACT,
}


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    title: str
    note: str
    related_type: RelatedType | None
    related_id: int | None
    task_type_id: int | None
    assignee_id: int | None
    user_id: int | None  # who created it
    due: datetime | None
    end: datetime | None
    done: bool
    done_at: datetime | None  # only single-task answers carry it
    outcome_id: int | None
    outcome_info: str
    created: datetime | None
    updated: datetime | None


TaskPage = TypedPage[Task]


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    id: int
    title: str
    sentiment: str  # "positive", "neutral" or "negative"
    disabled: bool


@dataclass(frozen=True, slots=True)
class TaskType:
    id: int
    title: str
    outcome_ids: list[int]  # the outcomes it offers, in display order


@dataclass(frozen=True, slots=True)
class TaskSetup:
    types: list[TaskType]
    outcomes: list[TaskOutcome]

    def outcomes_for(self, task_type_id: int) -> list[TaskOutcome]:
        """The enabled outcomes a task of this type can be completed with, in display order."""
        by_id = {o.id: o for o in self.outcomes if not o.disabled}
        task_type = next((t for t in self.types if t.id == task_type_id), None)
        ids = task_type.outcome_ids if task_type else []
        return [by_id[i] for i in ids if i in by_id]


def _moment(moment: datetime) -> str:
    # A naive datetime would be read in the account's timezone: take it as UTC instead.
    return api_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _related(raw: dict[str, Any]) -> tuple[RelatedType | None, int | None]:
    owner = raw.get("owner") if isinstance(raw.get("owner"), dict) else {}
    kind = str(owner.get("type") or raw.get("ownerType") or raw.get("reltype") or "").lower()
    return _BY_NAME.get(kind), parse_optional_int(raw.get("relid") or owner.get("id"))


def parse_task(raw: dict[str, Any]) -> Task:
    related_type, related_id = _related(raw)
    return Task(
        id=parse_int(raw.get("id")),
        title=str(raw.get("title") or ""),
        note=str(raw.get("note") or ""),
        related_type=related_type,
        related_id=related_id,
        task_type_id=parse_optional_int(raw.get("dealTasktype")),
        assignee_id=parse_optional_int(raw.get("assignee")),
        user_id=parse_optional_int(raw.get("user")),
        due=parse_datetime(raw.get("duedate")),
        end=parse_datetime(raw.get("edate")),
        done=parse_int(raw.get("status")) == 1,
        done_at=parse_datetime(raw.get("donedate")),
        outcome_id=parse_optional_int(raw.get("outcomeId")),
        outcome_info=str(raw.get("outcomeInfo") or ""),
        created=parse_datetime(raw.get("cdate")),
        updated=parse_datetime(raw.get("udate")),
    )


def _due_before(moment: datetime) -> dict[str, str]:
    """The reference publishes this filter as ``Fitlers[due_before]`` (a typo of its own);
    clients of the real API send ``filters[due_before]``, like every other filter. Both are
    sent, with the same value, so the filter applies whichever one a server reads."""
    value = _moment(moment)
    return {"filters[due_before]": value, "Fitlers[due_before]": value}


def overdue_task_count(client: Client, now: datetime) -> int:
    """Open tasks due before ``now``, in one call (``meta.total`` of a one-item page)."""
    params = {"filters[status]": 0, **_due_before(now)}
    return fetch_page(client, "/dealTasks", "dealTasks", limit=1, params=params).total or 0


def list_tasks(
    client: Client,
    *,
    related_type: RelatedType | None = None,
    related_id: int | None = None,
    done: bool | None = None,
    due_after: datetime | None = None,
    due_before: datetime | None = None,
    assignee_id: int | None = None,
    task_type_id: int | None = None,
    sort: str = "",
    offset: int = 0,
    limit: int = 20,
) -> TaskPage:
    """One page of tasks, in one call. ``sort`` is one of ``SORTS``, "-" first for newest or
    last first (``orders[...]``, which the reference does not list: see docs/api-notes.md);
    ties and an empty sort keep the API's own order (by id)."""
    params: dict[str, Any] = {}
    if sort.lstrip("-") in SORTS:
        params[f"orders[{sort.lstrip('-')}]"] = "DESC" if sort.startswith("-") else "ASC"
    if related_type is not None:
        params["filters[reltype]"] = RELTYPES[RelatedType(related_type)]
    for name, value in (
        ("relid", related_id),
        ("assignee_userid", assignee_id),
        ("d_tasktypeid", task_type_id),
    ):
        if value is not None:
            params[f"filters[{name}]"] = int(value)
    if done is not None:
        params["filters[status]"] = int(done)
    if due_after is not None:
        params["filters[due_after]"] = _moment(due_after)
    if due_before is not None:
        params |= _due_before(due_before)
    page = fetch_page(client, "/dealTasks", "dealTasks", offset=offset, limit=limit, params=params)
    items = [parse_task(raw) for raw in page.items]
    return TaskPage.of(items, page)


def get_task(client: Client, task_id: int) -> Task:
    return parse_task(client.get(f"/dealTasks/{task_id}")["dealTask"])


def _load_setup(client: Client) -> TaskSetup:
    """Three calls (types, outcomes, type–outcome relations), each one per 100 items."""
    rels = sorted(
        iter_all(client, "/tasktypeOutcomeRels", "tasktypeOutcomeRels"),
        key=lambda r: (parse_int(r.get("display_order")), parse_int(r.get("id"))),
    )
    offered: dict[int, list[int]] = {}
    for rel in rels:
        task_type = parse_int(rel.get("tasktype_id") or rel.get("tasktype"))
        offered.setdefault(task_type, []).append(
            parse_int(rel.get("outcome_id") or rel.get("outcome"))
        )
    types = [
        TaskType(
            id=parse_int(raw.get("id")),
            title=str(raw.get("title") or ""),
            outcome_ids=offered.get(parse_int(raw.get("id")), []),
        )
        for raw in iter_all(client, "/dealTasktypes", "dealTasktypes")
    ]
    outcomes = [
        TaskOutcome(
            id=parse_int(raw.get("id")),
            title=str(raw.get("title") or ""),
            sentiment=str(raw.get("sentiment") or "").lower(),
            disabled=parse_int(raw.get("disabled")) == 1,
        )
        for raw in iter_all(client, "/taskOutcomes", "taskOutcomes")
    ]
    return TaskSetup(types=types, outcomes=outcomes)


def task_setup(client: Client) -> TaskSetup:
    """Task types, outcomes and which outcomes each type offers (cached; 3 calls on a miss)."""
    return metadata.cached(client, CACHE_NAME, lambda: _load_setup(client))


def _attributes(**values: Any) -> dict[str, Any]:
    """API attributes of a task write from typed arguments; None means "not sent"."""
    body: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = _moment(value)
        elif isinstance(value, bool):
            value = int(value)
        body[name] = value
    return body


def create_task(
    client: Client,
    *,
    related_type: RelatedType,
    related_id: int,
    task_type_id: int,
    due: datetime,
    title: str = "",
    note: str = "",
    end: datetime | None = None,
    assignee_id: int | None = None,
) -> Task:
    """Create a task on a deal or a contact; without an assignee it is the API user's."""
    attributes = _attributes(
        ownerType=RelatedType(related_type).value,
        relid=related_id,
        dealTasktype=task_type_id,
        duedate=due,
        edate=end,
        title=title,
        note=note,
        assignee=assignee_id,
    )
    return parse_task(client.post("/dealTasks", {"dealTask": attributes})["dealTask"])


def update_task(
    client: Client,
    task_id: int,
    *,
    title: str | None = None,
    note: str | None = None,
    due: datetime | None = None,
    end: datetime | None = None,
    task_type_id: int | None = None,
    assignee_id: int | None = None,
    done: bool | None = None,
    clear_outcome: bool = False,
) -> Task:
    """Change a task; None leaves an attribute as it is. ``clear_outcome`` sends
    ``outcomeId: null`` (reopening keeps the outcome otherwise; undoing a completion clears it)."""
    attributes = _attributes(
        title=title,
        note=note,
        duedate=due,
        edate=end,
        dealTasktype=task_type_id,
        assignee=assignee_id,
        status=done,
    )
    if clear_outcome:
        attributes["outcomeId"] = None
    return parse_task(client.put(f"/dealTasks/{task_id}", {"dealTask": attributes})["dealTask"])


def complete_task(
    client: Client, task_id: int, outcome_id: int | None = None, note: str | None = None
) -> Task:
    """Mark a task done, with an outcome its type offers (``TaskSetup.outcomes_for``) and a
    note on that outcome (``outcomeInfo``)."""
    attributes = _attributes(status=True, outcomeId=outcome_id, outcomeInfo=note)
    return parse_task(client.put(f"/dealTasks/{task_id}", {"dealTask": attributes})["dealTask"])


def delete_task(client: Client, task_id: int) -> None:
    client.delete(f"/dealTasks/{task_id}")


# Task types and outcomes: each write invalidates the cached setup ---------------------

SENTIMENTS = ("positive", "neutral", "negative")


def _type(raw: dict[str, Any]) -> TaskType:
    return TaskType(id=parse_int(raw.get("id")), title=str(raw.get("title") or ""), outcome_ids=[])


def save_task_type(client: Client, title: str, task_type_id: int | None = None) -> TaskType:
    """Create a task type, or rename one (one call). The title must be unique (422)."""
    body = {"dealTasktype": {"title": title}}
    try:
        if task_type_id is None:
            return _type(client.post("/dealTasktypes", body)["dealTasktype"])
        return _type(client.put(f"/dealTasktypes/{task_type_id}", body)["dealTasktype"])
    finally:
        metadata.invalidate(client, CACHE_NAME)


def delete_task_type(client: Client, task_type_id: int, move_to: int | None = None) -> int:
    """Delete a task type; the API refuses while it has tasks, so they are first moved to
    ``move_to`` (one call more). Returns how many tasks were moved."""
    moved = 0
    try:
        if move_to is not None:
            body = {"dealTask": {"dealTasktype": str(move_to)}}
            answer = client.put(f"/dealTasktypes/{task_type_id}/dealTasks", body) or {}
            moved = len(answer.get("dealTasks") or [])
        client.delete(f"/dealTasktypes/{task_type_id}")
    finally:
        metadata.invalidate(client, CACHE_NAME)
    return moved


def save_outcome(
    client: Client,
    *,
    title: str,
    sentiment: str,
    task_type_ids: list[int],
    disabled: bool = False,
    outcome_id: int | None = None,
) -> int:
    """Create or change an outcome and the task types that offer it (one call); its id."""
    attributes = {
        "title": title,
        "sentiment": sentiment.capitalize(),
        "disabled": int(disabled),
        "dealTasktype_ids": [str(i) for i in task_type_ids],
    }
    body = {"taskOutcome": attributes}
    try:
        if outcome_id is None:
            answer = client.post("/taskOutcomes", body)
        else:
            answer = client.put(f"/taskOutcomes/{outcome_id}", body)
    finally:
        metadata.invalidate(client, CACHE_NAME)
    return parse_int(answer["taskOutcome"].get("id"))


def delete_outcome(client: Client, outcome_id: int) -> None:
    """Tasks completed with it keep it as their recorded outcome."""
    try:
        client.delete(f"/taskOutcomes/{outcome_id}")
    finally:
        metadata.invalidate(client, CACHE_NAME)
