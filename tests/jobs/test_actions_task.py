# ruff: noqa: F401, F811 (fixtures imported from bulk_fixtures)
"""Bulk actions on deal tasks, over HTTP against the sandbox: each action's preview and its
job's result in the sandbox; the server's refusals; and the task kind's methods (expand,
read by the cheaper path, describe, idempotent write) against the sandbox state."""

from datetime import UTC, datetime

from acdash.activecampaign import count_api_calls
from acdash.jobs.contract import KINDS, Selection
from tests.jobs.bulk_fixtures import (
    ac,
    acme,
    api,
    editor_client,
    new_url,
    records,
    run_started,
    writes_sent,
)

KIND = KINDS["task"]
POST_URL = "/a/acme/jobs/new/"


def tasks_where(**data) -> list[int]:
    return sorted(
        rid
        for rid, r in records("dealTask").items()
        if all(str(r.data.get(k)) == str(v) for k, v in data.items())
    )


def test_complete_with_an_outcome_every_open_call_of_the_filter(editor_client):
    calls = tasks_where(status=0, dealTasktype=1)
    assert len(calls) > 2
    query = "status=open&type=1"
    preview = editor_client.get(
        new_url(type="task", action="complete", query=query, outcome=1, preview=1)
    )
    html = preview.content.decode()
    assert preview.status_code == 200, html[:3000]
    assert f"<strong data-count>{len(calls)}</strong> tasks selected" in html
    assert "complete, outcome Interested" in html
    job = run_started(
        editor_client.post(
            POST_URL, {"type": "task", "action": "complete", "query": query, "outcome": 1}
        )
    )
    assert (job.done, job.failed) == (len(calls), 0)
    held = records("dealTask")
    assert all(held[i].data["status"] == "1" and held[i].data["outcomeId"] == 1 for i in calls)


def test_an_outcome_the_task_type_does_not_offer_fails_those_tasks_with_the_api_reason(
    editor_client,
):
    lunch = tasks_where(status=0, dealTasktype=3)[:2]  # "Lunch" offers no outcome
    job = run_started(
        editor_client.post(
            POST_URL,
            {"type": "task", "action": "complete", "ids": ",".join(map(str, lunch)), "outcome": 1},
        )
    )
    assert (job.done, job.failed) == (0, len(lunch))
    assert "is not an outcome of task type 3" in job.items.first().reason
    assert all(records("dealTask")[i].data["status"] == "0" for i in lunch)


def test_a_disabled_or_unknown_outcome_is_refused(editor_client, api):
    for outcome, message in ((6, "That outcome is disabled"), (77, "not one of this account")):
        response = editor_client.post(
            POST_URL, {"type": "task", "action": "complete", "ids": "1", "outcome": outcome}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert writes_sent(api) == []


def test_reassign_skips_the_tasks_already_assigned_to_that_user(editor_client):
    mine, others = tasks_where(assignee=3)[:1], tasks_where(assignee=2)[:3]
    ids = ",".join(map(str, mine + others))
    preview = editor_client.get(
        new_url(type="task", action="reassign", ids=ids, owner=3, preview=1)
    ).content.decode()
    assert "<strong>3</strong> will change" in preview
    assert "already assigned to Sam Rivera" in preview
    job = run_started(
        editor_client.post(POST_URL, {"type": "task", "action": "reassign", "ids": ids, "owner": 3})
    )
    assert (job.done, job.skipped) == (3, 1)
    assert all(records("dealTask")[i].data["assignee"] == "3" for i in others)


def test_change_the_due_date_of_ticked_tasks(editor_client, ac):
    ids = tasks_where(status=0)[:3]
    job = run_started(
        editor_client.post(
            POST_URL,
            {
                "type": "task",
                "action": "change_due",
                "ids": ",".join(map(str, ids)),
                "due_date": "2027-01-15",
                "due_time": "10:30",
            },
        )
    )
    assert job.done == 3
    due = datetime(2027, 1, 15, 10, 30, tzinfo=UTC)
    for task in KIND.read(ac, [str(i) for i in ids], ["duedate"]).values():
        assert datetime.fromisoformat(task.values["duedate"]) == due


def test_a_bad_due_date_is_refused(editor_client):
    for day in ("2027-02-30", "tomorrow", "1900-01-01"):
        response = editor_client.get(
            new_url(type="task", action="change_due", ids=[1], due_date=day, preview=1)
        )
        assert response.status_code == 400, day


def test_deleting_tasks_needs_their_count_typed_back(editor_client):
    ids = tasks_where(status=1)[:2]
    params = {"type": "task", "action": "delete", "ids": ",".join(map(str, ids))}
    assert editor_client.post(POST_URL, {**params, "confirm_count": ""}).status_code == 400
    assert all(i in records("dealTask") for i in ids)
    job = run_started(editor_client.post(POST_URL, {**params, "confirm_count": "2"}))
    assert job.done == 2 and not any(i in records("dealTask") for i in ids)


# The kind itself ---------------------------------------------------------------------


def test_expand_runs_the_task_list_filter(ac):
    done = KIND.expand(ac, Selection("task", query="status=complete"))
    assert sorted(map(int, done)) == tasks_where(status=1)
    assert KIND.expand(ac, Selection("task", ids=("4", "2", "4"))) == ["4", "2"]


def test_read_takes_the_cheaper_path_one_by_one_or_the_whole_list(ac):
    KIND.read(ac, ["1"], ["status"])  # metadata cached
    with count_api_calls() as few:
        found = KIND.read(ac, ["1", "250", "99999"], ["status", "assignee"])
    assert few.count == 1 + 2  # a first page tells the total: the two missing one by one
    assert set(found) == {"1", "250"}
    total = len(records("dealTask"))
    with count_api_calls() as many:
        found = KIND.read(ac, [str(i) for i in range(1, total + 1)], ["status"])
    assert many.count == -(-total // 100)  # the whole list, 100 a call
    assert len(found) == total
    task = records("dealTask")[250].data
    assert found["250"].values == {"status": int(task["status"])}


def test_describe_names_status_outcomes_users_and_due_dates(ac):
    assert KIND.describe(ac, "status", 1) == "complete"
    assert KIND.describe(ac, "outcome", 4) == "outcome Meeting booked"
    assert KIND.describe(ac, "assignee", 5) == "assigned to Casey Okafor"
    assert KIND.describe(ac, "duedate", "2027-01-15T10:30:00+00:00") == "due 2027-01-15 10:30 UTC"


def test_write_is_idempotent_and_undoing_a_completion_clears_its_outcome(ac):
    task_id = tasks_where(status=0, dealTasktype=1)[0]
    record = KIND.read(ac, [str(task_id)], ["status", "outcome"])[str(task_id)]
    assert record.values == {"status": 0, "outcome": None}
    done = {"status": 1, "outcome": 2}
    assert KIND.calls_per_record(done) == 1
    assert KIND.write(ac, record, done) == done
    assert KIND.write(ac, record, done) == done
    assert KIND.write(ac, record, record.values) == {"status": 0, "outcome": None}
    assert records("dealTask")[task_id].data["outcomeId"] is None


def test_undo_of_completing_tasks_reopens_them_without_the_outcome(editor_client):
    tasks = tasks_where(status=0, dealTasktype=1)[:3]
    ids = ",".join(map(str, tasks))
    done = run_started(
        editor_client.post(
            POST_URL, {"type": "task", "action": "complete", "ids": ids, "outcome": 5}
        )
    )
    assert done.done == 3
    undo = run_started(editor_client.post(f"{done.get_absolute_url()}undo/"))
    assert undo.done == 3 and undo.undo_of_id == done.pk
    held = records("dealTask")
    assert all(held[i].data["status"] == "0" and held[i].data["outcomeId"] is None for i in tasks)
