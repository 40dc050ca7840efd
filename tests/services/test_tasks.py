"""Deal tasks, task types and outcomes over HTTP against the sandbox."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from acdash.activecampaign import NotFound, ValidationError, assert_api_calls, count_api_calls
from acdash.activecampaign.tasks import (
    RelatedType,
    Task,
    TaskOutcome,
    complete_task,
    create_task,
    delete_task,
    get_task,
    list_tasks,
    overdue_task_count,
    task_setup,
    update_task,
)
from tests.services import new_contact

NOW = datetime.now(UTC).replace(microsecond=0)


def api_id(sandbox, path: str, key: str, attributes: dict[str, Any]) -> int:
    return int(sandbox.ok("POST", path, {key: attributes})[key]["id"])


@pytest.fixture
def crm(sandbox, client) -> dict[str, Any]:
    """A contact with a deal, a second user, two task types and three outcomes: "Call"
    offers Reached then Voicemail, "Email" offers Reached only; Retired is disabled."""
    contact = new_contact(sandbox, "jane@example.com")
    group = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "S", "currency": "usd"}})
    deal = {"title": "D", "contact": contact, "value": 1, "currency": "usd", "owner": 1}
    deal_id = api_id(sandbox, "/deals", "deal", deal | {"stage": group["dealGroup"]["stages"][0]})
    user = {"username": "sam", "email": "sam@example.com", "password": "pw", "group": 1}
    call = api_id(sandbox, "/dealTasktypes", "dealTasktype", {"title": "Call"})
    email = api_id(sandbox, "/dealTasktypes", "dealTasktype", {"title": "Email"})

    def outcome(title: str, sentiment: str, types: list[int], **more: Any) -> int:
        attributes = {"title": title, "sentiment": sentiment, "dealTasktype_ids": types}
        return api_id(sandbox, "/taskOutcomes", "taskOutcome", attributes | more)

    reached = outcome("Reached", "Positive", [call, email])
    voicemail = outcome("Voicemail", "Neutral", [call])
    retired = outcome("Retired", "Negative", [call], disabled=1)
    return {
        "contact": contact,
        "deal": deal_id,
        "user": api_id(sandbox, "/users", "user", user),
        "call": call,
        "email": email,
        "reached": reached,
        "voicemail": voicemail,
        "retired": retired,
    }


def api_task(sandbox, crm: dict[str, Any], due: datetime, **attrs: Any) -> int:
    task = {"ownerType": "deal", "relid": crm["deal"], "dealTasktype": crm["call"]}
    return api_id(sandbox, "/dealTasks", "dealTask", task | {"duedate": due.isoformat()} | attrs)


def test_overdue_task_count_is_one_call(sandbox, crm, client):
    api_task(sandbox, crm, NOW - timedelta(days=2))
    api_task(sandbox, crm, NOW - timedelta(minutes=5), ownerType="contact", relid=crm["contact"])
    api_task(sandbox, crm, NOW + timedelta(days=1))
    done = api_task(sandbox, crm, NOW - timedelta(days=1))
    sandbox.ok("PUT", f"/dealTasks/{done}", {"dealTask": {"status": 1}})
    with count_api_calls() as calls:
        assert overdue_task_count(client, NOW) == 2
    assert calls.count == 1
    assert overdue_task_count(client, NOW - timedelta(days=3)) == 0
    # A naive moment is taken as UTC.
    assert overdue_task_count(client, NOW.replace(tzinfo=None) + timedelta(days=2)) == 3


def test_list_tasks_is_typed_and_filters_in_one_call_each(sandbox, crm, client):
    late = api_task(sandbox, crm, NOW - timedelta(days=1), title="Late", note="Call back")
    soon = api_task(
        sandbox, crm, NOW + timedelta(hours=3), dealTasktype=crm["email"], assignee=crm["user"]
    )
    contact_task = api_task(
        sandbox, crm, NOW + timedelta(days=3), ownerType="contact", relid=crm["contact"]
    )

    with count_api_calls() as calls:
        page = list_tasks(client, limit=2)
    assert calls.count == 1
    assert ([t.id for t in page.items], page.total, page.has_more) == ([late, soon], 3, True)
    task = page.items[0]
    assert isinstance(task, Task)
    assert (task.title, task.note, task.related_type, task.related_id) == (
        "Late",
        "Call back",
        RelatedType.DEAL,
        crm["deal"],
    )
    assert (task.task_type_id, task.assignee_id, task.user_id, task.done) == (
        crm["call"],
        1,
        1,
        False,
    )
    assert task.due == NOW - timedelta(days=1) and task.outcome_id is None

    def ids(**filters: Any) -> list[int]:
        with assert_api_calls(max=1):
            return [t.id for t in list_tasks(client, **filters).items]

    assert ids(offset=2) == [contact_task]
    assert ids(related_type=RelatedType.DEAL, related_id=crm["deal"]) == [late, soon]
    assert ids(related_type=RelatedType.CONTACT, related_id=crm["contact"]) == [contact_task]
    assert ids(due_before=NOW) == [late]
    assert ids(due_after=NOW, due_before=NOW + timedelta(days=1)) == [soon]
    assert ids(assignee_id=crm["user"]) == [soon]
    assert ids(task_type_id=crm["email"]) == [soon]
    assert ids(done=True) == []
    assert ids(done=False) == [late, soon, contact_task]
    contact_tasks = list_tasks(client, related_type=RelatedType.CONTACT).items
    assert contact_tasks[0].related_type is RelatedType.CONTACT


def test_task_setup_is_cached_with_the_outcomes_each_type_offers(crm, client):
    with count_api_calls() as calls:
        setup = task_setup(client)
    assert calls.count == 3
    assert [t.title for t in setup.types] == ["Call", "Email"]
    assert setup.types[0].outcome_ids == [crm["reached"], crm["voicemail"], crm["retired"]]
    reached = TaskOutcome(crm["reached"], "Reached", "positive", False)
    assert setup.outcomes[0] == reached
    assert setup.outcomes[2].disabled
    voicemail = TaskOutcome(crm["voicemail"], "Voicemail", "neutral", False)
    assert setup.outcomes_for(crm["call"]) == [reached, voicemail]
    assert setup.outcomes_for(crm["email"]) == [reached]
    assert setup.outcomes_for(999) == []
    with assert_api_calls(max=0):
        assert task_setup(client) == setup


def test_create_update_complete_and_delete_a_task(crm, client):
    due = NOW + timedelta(days=1)
    with assert_api_calls(max=1):
        task = create_task(
            client,
            related_type=RelatedType.DEAL,
            related_id=crm["deal"],
            task_type_id=crm["call"],
            due=due,
            title="Follow up",
            note="Ask about budget",
            end=due + timedelta(minutes=30),
            assignee_id=crm["user"],
        )
    assert (task.title, task.note, task.related_type, task.related_id) == (
        "Follow up",
        "Ask about budget",
        RelatedType.DEAL,
        crm["deal"],
    )
    assert (task.due, task.end, task.assignee_id, task.done) == (
        due,
        due + timedelta(minutes=30),
        crm["user"],
        False,
    )

    later = due + timedelta(days=2)
    with assert_api_calls(max=1):
        moved = update_task(client, task.id, due=later, note="", task_type_id=crm["email"])
    assert (moved.due, moved.note, moved.task_type_id, moved.title) == (
        later,
        "",
        crm["email"],
        "Follow up",
    )

    with pytest.raises(ValidationError) as caught:
        complete_task(client, task.id, crm["voicemail"])  # not an outcome of Email
    assert list(caught.value.field_errors) == ["outcomeId"]
    with assert_api_calls(max=1):
        done = complete_task(client, task.id, crm["reached"], "Budget approved")
    assert (done.done, done.outcome_id, done.outcome_info) == (
        True,
        crm["reached"],
        "Budget approved",
    )
    detail = get_task(client, task.id)
    assert detail.done and detail.done_at is not None
    assert update_task(client, task.id, done=False).done is False

    with assert_api_calls(max=1):
        delete_task(client, task.id)
    with pytest.raises(NotFound):
        get_task(client, task.id)
    with pytest.raises(NotFound):
        complete_task(client, task.id)


def test_complete_task_without_outcome(sandbox, crm, client):
    task_id = api_task(sandbox, crm, NOW)
    task = complete_task(client, task_id)
    assert task.done and task.outcome_id is None and task.outcome_info == ""


def test_task_errors_name_the_attributes(crm, client):
    base = {"related_type": RelatedType.CONTACT, "due": NOW, "task_type_id": crm["call"]}
    with pytest.raises(ValidationError) as caught:
        create_task(client, related_id=999, **base)
    assert list(caught.value.field_errors) == ["relid"]
    with pytest.raises(ValidationError) as caught:
        create_task(client, related_id=crm["contact"], **base | {"task_type_id": 999})
    assert list(caught.value.field_errors) == ["dealTasktype"]
    with pytest.raises(ValidationError) as caught:
        create_task(client, related_id=crm["contact"], assignee_id=999, **base)
    assert list(caught.value.field_errors) == ["assignee"]
