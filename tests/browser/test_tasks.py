"""Completing a deal's task in a real browser: from the deal page's tasks to the deal's
task list, "Complete" with an outcome and a note, back to the list with a toast naming
it, and the deal page now shows the task done. (Completing in place from My tasks:
tests/tasks/test_browser.py.)"""

import re

import pytest
from playwright.sync_api import expect

from acdash.sandbox.models import SandboxRecord
from tests.contacts import SLUG
from tests.tasks.conftest import records, task_record

from .conftest import editor, log_in, seeded_account

__all__ = ["editor"]


@pytest.fixture
def account(live_server, transactional_db):
    return seeded_account(live_server.url)


def _open_task_with_an_outcome() -> tuple[SandboxRecord, SandboxRecord]:
    enabled = {r.rid: r for r in records("taskOutcome") if r.data["disabled"] == "0"}
    offered: dict[str, list[SandboxRecord]] = {}
    for rel in records("tasktypeOutcomeRel"):
        if int(rel.key) in enabled:
            offered.setdefault(str(rel.parent), []).append(enabled[int(rel.key)])
    for task in records("dealTask"):
        data = task.data
        if data["status"] == "0" and data["title"] and data["dealTasktype"] in offered:
            return task, offered[data["dealTasktype"]][0]
    raise AssertionError(f"the seed of {SLUG} has no open titled task with an outcome")


def test_complete_a_deals_task_with_an_outcome(chromium, live_server, account, editor):
    task, outcome = _open_task_with_an_outcome()
    deal_url = f"{live_server.url}/a/acme/deals/{task.data['relid']}/"
    page = log_in(chromium, live_server.url, editor(account))
    page.goto(deal_url)
    on_deal = page.locator("#tasks li").filter(has=page.locator(f'a[href$="/tasks/{task.rid}/"]'))
    expect(on_deal.locator(".badge")).to_have_text("Open")

    page.get_by_role("link", name="This deal's tasks in the task list").click()
    expect(page).to_have_url(re.compile(rf"/a/acme/tasks/\?deal={task.data['relid']}$"))
    row = page.locator(f'tr[data-task-id="{task.rid}"]')
    expect(row.locator(".col-status")).to_have_text(re.compile("Open|Overdue"))
    row.get_by_role("link", name=f"Complete {task.data['title']}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Complete task")
    page.get_by_label("Outcome", exact=True).select_option(label=outcome.data["title"])
    page.get_by_label("Outcome note").fill("Signed on the call.")
    page.get_by_role("button", name="Complete task").click()
    expect(page.locator("#toasts")).to_contain_text(
        re.compile(rf"Completed task .*: {re.escape(outcome.data['title'])}\.")
    )
    expect(page).to_have_url(f"{live_server.url}/a/acme/tasks/")

    page.goto(deal_url)
    expect(on_deal.locator(".badge")).to_have_text("Done")
    done = task_record(task.rid).data
    assert (done["status"], done["outcomeId"]) == ("1", outcome.rid)
    assert done["outcomeInfo"] == "Signed on the call."
