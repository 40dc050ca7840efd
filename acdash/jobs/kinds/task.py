"""Deal tasks as a job's records (``KINDS["task"]``): keys "status", "outcome",
"assignee", "duedate" (ISO 8601, UTC) and "exists" (see acdash/jobs/contract.py).

``GET /dealTasks`` cannot filter by ids, so reading asks for each task alone, or pages
through every task of the account when that takes fewer calls.
"""

from collections.abc import Collection, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from math import ceil
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils import timezone

from acdash.activecampaign import Client, NotFound, users
from acdash.activecampaign import tasks as task_api
from acdash.activecampaign.paging import MAX_LIMIT
from acdash.tasks.forms import TaskFilterForm

from ..contract import KINDS, Record, Selection, Target
from .deal import QueryProblem, filter_problems, listed_ids

SORTS = {"due": "duedate", "title": "title", "status": "status"}


def task_filters(client: Client, query: str) -> tuple[dict[str, Any], str]:
    """The task list's own filter parsing of ``query``: ``list_tasks`` keyword arguments and
    sort. QueryProblem names each value the list would not apply."""
    choices = [(u.id, u.name) for u in users.list_users(client)]
    form = TaskFilterForm(
        QueryDict(query), action="", setup=task_api.task_setup(client), users=choices
    )
    form.is_valid()
    if problems := filter_problems(form):
        raise QueryProblem("; ".join(problems))
    sort = QueryDict(query).get("sort", "").split(",")[0]
    name = SORTS.get(sort.removeprefix("-"), "duedate")
    return form.api_filters(timezone.now()), f"-{name}" if sort.startswith("-") else name


def due_text(moment: datetime | None) -> str:
    """A due date as the job's text: ISO 8601 in UTC, whole seconds ("" when none)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment else ""


def _values(task: task_api.Task, keys: Collection[str]) -> dict[str, Any]:
    held = {
        "status": int(task.done),
        "outcome": task.outcome_id,
        "assignee": task.assignee_id,
        "duedate": due_text(task.due),
        "exists": True,
    }
    return {key: held[key] for key in keys if key in held}


def _label(task: task_api.Task) -> str:
    title = task.title or task.note[:60] or f"Task {task.id}"
    return f"{title} (due {task.due.astimezone(UTC):%Y-%m-%d})" if task.due else title


class TaskKind:
    object_type: ClassVar[str] = "task"
    noun: ClassVar[str] = "task"
    plural: ClassVar[str] = "tasks"

    def expand(self, client: Client, selection: Selection) -> list[str]:
        """The ids ticked, or the list query's tasks page by page (one call per 100)."""
        if selection.ids:
            return list(dict.fromkeys(selection.ids))
        filters, sort = task_filters(client, selection.query)
        return listed_ids(
            lambda offset: task_api.list_tasks(
                client, offset=offset, limit=MAX_LIMIT, sort=sort, **filters
            )
        )

    def read(self, client: Client, ids: Sequence[str], keys: Collection[str]) -> dict[str, Record]:
        """A first page of every task (one call, which tells the total); then the rest of the
        list if that is fewer calls than the tasks still missing, else those one by one."""
        wanted = {int(i) for i in ids}
        listed, complete = self._scan(client, wanted)
        found = {t.id: t for t in listed if t.id in wanted}
        for task_id in () if complete else sorted(wanted - found.keys()):
            try:
                found[task_id] = task_api.get_task(client, task_id)
            except NotFound:
                continue
        return {
            str(t.id): Record(id=str(t.id), label=_label(t), values=_values(t, keys))
            for t in found.values()
        }

    def _scan(self, client: Client, wanted: set[int]) -> tuple[list[task_api.Task], bool]:
        """Tasks of the list in id order, and whether that is all of them."""
        if len(wanted) <= 1:
            return [], False
        page = task_api.list_tasks(client, limit=MAX_LIMIT)
        seen = list(page.items)
        missing = wanted - {t.id for t in seen}
        if ceil((page.total - len(seen)) / MAX_LIMIT) > len(missing):
            return seen, False  # the rest, one call each, is cheaper
        while page.has_more and page.items:
            page = task_api.list_tasks(client, offset=len(seen), limit=MAX_LIMIT)
            seen += page.items
        return seen, True

    def describe(self, client: Client, key: str, value: Any) -> str:
        if key == "exists":
            return "exists" if value else "deleted"
        if key == "status":
            return "complete" if value else "open"
        if key == "outcome":
            setup = task_api.task_setup(client)
            outcome = next((o for o in setup.outcomes if o.id == value), None)
            return f"outcome {outcome.title}" if outcome else "no outcome"
        if key == "assignee":
            user = users.users_by_id(client).get(int(value or 0))
            return f"assigned to {user.name}" if user else "unassigned"
        if key == "duedate":
            moment = datetime.fromisoformat(value) if value else None
            return f"due {moment:%Y-%m-%d %H:%M} UTC" if moment else "no due date"
        return f"{key} {value}"

    def write(self, client: Client, record: Record, target: Target) -> Target:
        """One call: DELETE, or one PUT setting every key (completing with the outcome)."""
        task_id = int(record.id)
        if target.get("exists") is False:
            # Gone already counts as done: deleted by this very call, retried after a lost answer.
            with suppress(NotFound):
                task_api.delete_task(client, task_id)
            return {"exists": False}
        due = target.get("duedate")
        moment = datetime.fromisoformat(due) if due else None
        if target.get("status") == 1:
            task = task_api.complete_task(client, task_id, outcome_id=target.get("outcome"))
            if "assignee" in target or moment:
                task = task_api.update_task(
                    client, task_id, assignee_id=target.get("assignee"), due=moment
                )
        else:
            task = task_api.update_task(
                client,
                task_id,
                assignee_id=target.get("assignee"),
                due=moment,
                done=False if "status" in target else None,
                clear_outcome="outcome" in target and target["outcome"] is None,
            )
        return _values(task, target)

    def calls_per_record(self, target: Target) -> int:
        both = target.get("status") == 1 and ("assignee" in target or "duedate" in target)
        return 2 if both else 1


KINDS["task"] = TaskKind()
