"""Creating, editing, completing (with an outcome), reopening and deleting a task over HTTP:
what the user sees and what the sandbox then holds; every write audited."""

import re
from datetime import UTC, datetime

from acdash.audit.models import AuditEntry

from .conftest import records, task_record

LIST = "/a/acme/tasks/"


def _open_task_with_outcomes():
    """An open task whose type offers outcomes, with the ids of those outcomes."""
    offered: dict[str, list[int]] = {}
    for rel in records("tasktypeOutcomeRel"):
        offered.setdefault(str(rel.parent), []).append(int(rel.key))
    enabled = {r.rid for r in records("taskOutcome") if r.data.get("disabled") != "1"}
    for task in records("dealTask"):
        outcomes = [o for o in offered.get(task.data["dealTasktype"], []) if o in enabled]
        if task.data["status"] == "0" and outcomes:
            return task, outcomes
    raise AssertionError("the seed has no open task with outcomes")


def _valid(**changes) -> dict:
    deal = records("deal")[0]
    return {
        "title": "Call about the renewal",
        "task_type": records("dealTasktype")[0].rid,
        "due_date": "2026-03-02",
        "due_time": "14:30",
        "assignee": records("user")[1].rid,
        "note": "Ask about seats",
        "related_type": "deal",
        "related_id": deal.rid,
        **changes,
    }


def test_create_a_task_on_a_deal(acme, admin_client):
    before = {r.rid for r in records("dealTask")}
    response = admin_client.post(LIST + "new/", _valid(), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Task “Call about the renewal”, due 2026-03-02 14:30 created." in html
    (created,) = [r for r in records("dealTask") if r.rid not in before]
    assert created.data["title"] == "Call about the renewal"
    assert created.data["reltype"] == "Deal"
    assert created.data["relid"] == str(_valid()["related_id"])
    due = datetime.fromisoformat(created.data["duedate"])
    assert due == datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    assert created.data["assignee"] == str(_valid()["assignee"])
    entry = AuditEntry.objects.get(object_type="task", action="create")
    assert entry.object_id == str(created.rid) and entry.after["title"] == "Call about the renewal"


def test_create_on_a_contact_preselected_from_the_url(acme, admin_client):
    contact = records("contact")[0]
    html = admin_client.get(LIST + f"new/?contact={contact.rid}").content.decode()
    assert '<option value="contact" selected>' in html
    assert f'name="related_id" value="{contact.rid}"' in html
    admin_client.post(LIST + "new/", _valid(related_type="contact", related_id=contact.rid))
    assert any(
        r.data["reltype"] == "Subscriber" and r.data["relid"] == str(contact.rid)
        for r in records("dealTask")
    )


def test_bad_values_get_a_message_by_their_field_and_change_nothing(acme, admin_client):
    before = [(r.rid, r.data) for r in records("dealTask")]
    cases = [
        ({"due_date": "2026-02-30"}, "due_date", "Enter a real date as YYYY-MM-DD"),
        ({"task_type": "99999"}, "task_type", "Select a valid choice"),
        ({"assignee": "99999"}, "assignee", "Select a valid choice"),
        ({"due_time": "25:99"}, "due_time", "Enter a time as HH:MM"),
        # Only the API knows whether the deal exists: its 422 is shown by the field.
        ({"related_id": "999999"}, "related_id", "deal 999999 does not exist."),
    ]
    for change, field, message in cases:
        response = admin_client.post(LIST + "new/", _valid(**change))
        assert response.status_code == 200
        html = response.content.decode()
        block = html.split(f'id="field-{field}"')[1].split('class="field"')[0]
        assert message in block, (field, block)
    assert [(r.rid, r.data) for r in records("dealTask")] == before
    assert not AuditEntry.objects.exists()


def test_edit_a_task(acme, admin_client):
    task = records("dealTask")[0]
    url = f"{LIST}{task.rid}/"
    html = admin_client.get(url).content.decode()
    assert f'value="{task.data["title"]}"' in html or not task.data["title"]
    payload = _valid(title="Renamed", due_date="2026-04-01", due_time="08:15")
    del payload["related_type"], payload["related_id"]
    response = admin_client.post(url, payload, follow=True)
    assert "Task “Renamed”, due 2026-04-01 08:15 saved." in response.content.decode()
    stored = task_record(task.rid).data
    assert stored["title"] == "Renamed" and stored["note"] == "Ask about seats"
    assert datetime.fromisoformat(stored["duedate"]) == datetime(2026, 4, 1, 8, 15, tzinfo=UTC)
    entry = AuditEntry.objects.get(action="update")
    assert entry.before["title"] == task.data["title"] and entry.after["title"] == "Renamed"


def test_edit_with_an_impossible_date_changes_nothing(acme, admin_client):
    task = records("dealTask")[0]
    payload = _valid(due_date="2026-02-30")
    html = admin_client.post(f"{LIST}{task.rid}/", payload).content.decode()
    assert "Enter a real date as YYYY-MM-DD" in html.split('id="field-due_date"')[1]
    assert task_record(task.rid).data == task.data


def test_complete_a_task_with_an_outcome(acme, admin_client):
    task, outcomes = _open_task_with_outcomes()
    url = f"{LIST}{task.rid}/complete/"
    html = admin_client.get(url).content.decode()
    titles = {r.rid: r.data["title"] for r in records("taskOutcome")}
    for outcome in outcomes:
        assert f'<option value="{outcome}">{titles[outcome]}</option>' in html
    payload = {"outcome": outcomes[0], "outcome_note": "Spoke with the buyer"}
    html = admin_client.post(url, payload, follow=True).content.decode()
    assert f": {titles[outcomes[0]]}." in html  # the toast names the outcome
    stored = task_record(task.rid).data
    assert stored["status"] == "1" and stored["outcomeId"] == outcomes[0]
    assert stored["outcomeInfo"] == "Spoke with the buyer" and stored["donedate"]
    assert AuditEntry.objects.get(action="complete").after["outcome_id"] == outcomes[0]


def test_an_outcome_the_type_does_not_offer_is_refused(acme, admin_client):
    task, outcomes = _open_task_with_outcomes()
    other = next(r.rid for r in records("taskOutcome") if r.rid not in outcomes)
    url = f"{LIST}{task.rid}/complete/"
    html = admin_client.post(url, {"outcome": other}).content.decode()
    assert "Select a valid choice" in html.split('id="field-outcome"')[1]
    assert task_record(task.rid).data["status"] == "0"


def test_reopen_a_completed_task(acme, admin_client):
    task = next(r for r in records("dealTask") if r.data["status"] == "1")
    url = f"{LIST}{task.rid}/reopen/"
    html = admin_client.get(url).content.decode()
    assert "Reopen the task <strong>" in html and "<form" in html
    admin_client.post(url)
    assert task_record(task.rid).data["status"] == "0"
    assert AuditEntry.objects.filter(action="reopen", object_id=str(task.rid)).exists()


def test_delete_asks_naming_the_task_then_deletes_it(acme, admin_client):
    task = next(r for r in records("dealTask") if r.data["title"])
    url = f"{LIST}{task.rid}/delete/"
    html = admin_client.get(url).content.decode()
    assert re.search(rf"Delete the task <strong>“{re.escape(task.data['title'])}”, due ", html)
    assert task_record(task.rid) is not None  # the GET changed nothing
    response = admin_client.post(url, follow=True)
    assert "Deleted task “" in response.content.decode()
    assert task_record(task.rid) is None
    assert AuditEntry.objects.get(action="delete").before["id"] == task.rid


def test_a_task_deleted_meanwhile_is_reported_not_an_error(acme, admin_client):
    response = admin_client.get(f"{LIST}999999/delete/", follow=True)
    assert "Task 999999 does not exist (any more)." in response.content.decode()
