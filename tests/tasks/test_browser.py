"""In a real browser: complete a task from My tasks with an outcome (in place, then gone
after a reload); the task list and My tasks at 390 px wide scroll nothing sideways.
Chromium as in tests/browser (never skipped: a missing browser fails and says why)."""

import pytest
from playwright.sync_api import expect

from acdash.accounts.models import Membership
from acdash.sandbox.models import SandboxRecord
from tests.browser.conftest import PASSWORD, chromium, chromium_process, log_in  # noqa: F401

from .conftest import records, task_record

EMAIL = "sam@acme.example.com"  # the seeded user "sam"


@pytest.fixture
def sam(acme, django_user_model):
    user = django_user_model.objects.create_user("sam", email=EMAIL, password=PASSWORD)
    Membership.objects.create(user=user, account=acme, role="editor")
    return user


def _task_with_outcomes() -> tuple[SandboxRecord, int, str]:
    sam = SandboxRecord.objects.get(account__slug="acme", kind="user", key="sam").id_str
    offered: dict[str, list[int]] = {}
    for rel in records("tasktypeOutcomeRel"):
        offered.setdefault(str(rel.parent), []).append(int(rel.key))
    titles = {r.rid: r.data["title"] for r in records("taskOutcome")}
    for task in records("dealTask"):
        data = task.data
        if data["assignee"] == sam and data["status"] == "0" and data["dealTasktype"] in offered:
            outcome = offered[data["dealTasktype"]][0]
            return task, outcome, titles[outcome]
    raise AssertionError("the seed gives sam no open task with outcomes")


def test_complete_a_task_from_my_tasks(chromium, live_server, sam):  # noqa: F811
    task, outcome, title = _task_with_outcomes()
    page = log_in(chromium, live_server.url, sam)
    page.get_by_role("link", name="My tasks").click()
    row = page.locator(f"#my-task-acme-{task.rid}")
    row.get_by_label("Outcome").select_option(str(outcome))
    row.get_by_role("button", name="Complete").click()
    expect(page.locator(f"#my-task-acme-{task.rid} .my-task-done")).to_contain_text(title)
    assert task_record(task.rid).data["outcomeId"] == outcome
    page.reload()
    expect(page.locator(f"#my-task-acme-{task.rid}")).to_have_count(0)


@pytest.mark.parametrize("path", ["/a/acme/tasks/?status=open", "/tasks/", "/a/acme/tasks/types/"])
def test_nothing_scrolls_sideways_at_phone_width(chromium, live_server, sam, path):  # noqa: F811
    page = log_in(chromium, live_server.url, sam, viewport={"width": 390, "height": 800})
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
