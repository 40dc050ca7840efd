"""What the task screens rely on the sandbox doing as the real API does: a deal won or lost
gets its close date (``edate``); a deal's next task follows its open tasks; moving tasks to
another type answers the reference's shape (tests/sandbox/test_tasks.py checks it)."""

import re

from tests.sandbox.test_tasks import make_contact, make_deal, make_task, make_type

PLAIN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def _deal(sandbox, deal: str) -> dict:
    return sandbox.ok("GET", f"/deals/{deal}")["deal"]


def test_winning_or_losing_a_deal_sets_its_close_date(sandbox):
    contact = make_contact(sandbox)
    won, lost = make_deal(sandbox, contact), make_deal(sandbox, contact)
    assert _deal(sandbox, won)["edate"] is None
    for deal, status in ((won, 1), (lost, 2)):
        sandbox.ok("PUT", f"/deals/{deal}", {"deal": {"status": status}})
        assert PLAIN.match(_deal(sandbox, deal)["edate"]), _deal(sandbox, deal)
    closed = _deal(sandbox, won)["edate"]
    sandbox.ok("PUT", f"/deals/{won}", {"deal": {"status": 0}})  # reopened: the date stays
    assert _deal(sandbox, won)["edate"] == closed


def test_a_deals_next_task_is_its_soonest_open_task(sandbox):
    contact = make_contact(sandbox)
    deal = make_deal(sandbox, contact)
    kind = make_type(sandbox)
    later = make_task(sandbox, deal, kind, "2030-01-05T10:00:00Z", ownerType="deal")
    sooner = make_task(sandbox, deal, kind, "2030-01-02T10:00:00Z", ownerType="deal")
    found = _deal(sandbox, deal)
    assert found["nexttaskid"] == sooner["id"] and found["nextdate"] == sooner["duedate"]
    sandbox.ok("PUT", f"/dealTasks/{sooner['id']}", {"dealTask": {"status": 1}})
    assert _deal(sandbox, deal)["nexttaskid"] == later["id"]
    sandbox.ok("DELETE", f"/dealTasks/{later['id']}")
    found = _deal(sandbox, deal)
    assert found["nexttaskid"] == "0" and found["nextdate"] is None
