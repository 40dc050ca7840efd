"""Every filter and order the deal and task screens send, as the service module sends it:
the sandbox applies it with the reference's semantics and answers the reference's shape.

Each case names the service function (acdash/activecampaign/) that sends it."""

from typing import Any

import pytest

from acdash.sandbox import store
from tests.conformance.shapes import assert_conforms, checked, mismatches
from tests.sandbox.test_deals import fill_contact
from tests.sandbox.test_pipelines import fill_computed, make_contact, make_deal, make_pipeline
from tests.sandbox.test_pipelines import make_user as make_owner
from tests.sandbox.test_tasks import LISTED_TASKS, make_task, make_type


def deals_conform(body: dict[str, Any]) -> None:
    """``meta.currencies`` is keyed by currency code; the example's only key is USD."""
    for code, totals in body["meta"]["currencies"].items():
        assert totals["currency"] == code
        currencies = {"USD": totals}
        assert_conforms(
            body | {"meta": body["meta"] | {"currencies": currencies}}, "GET", "/deals", 200
        )


@pytest.fixture
def deals(sandbox) -> dict[str, Any]:
    """Five deals over two pipelines, two owners, two contacts (one in an organisation)."""
    owner, other = make_owner(sandbox), make_owner(sandbox, "other")
    ann = make_contact(sandbox, "ann@example.com", firstName="Ann", lastName="Archer")
    bob = make_contact(sandbox, "bob@example.com", firstName="Bob", lastName="Baker")
    account = store.create(sandbox.account, "account", {"name": "Acme"}).id_str
    for contact in (ann, bob):
        fill_contact(sandbox, contact, account)
    group, stages = make_pipeline(sandbox)
    second, second_stages = make_pipeline(sandbox, "Second")
    made = {}
    for title, contact, stage, attrs in (
        ("Roof", ann, stages[0], {"value": 50000, "owner": owner}),
        ("wall", ann, stages[1], {"value": 1000, "owner": owner, "status": 1}),
        ("Gate", bob, stages[1], {"value": 250000, "owner": other}),
        ("Door", bob, stages[1], {"value": 7000, "owner": other, "status": 2}),
        ("Attic", bob, second_stages[0], {"value": 7500, "owner": owner, "currency": "eur"}),
    ):
        deal = make_deal(sandbox, contact, stage, title=title, account=account, **attrs)
        made[title] = deal["id"]
        fill_computed(sandbox, made[title])
        # Created a day apart, in this order (within one second they would tie).
        created = f"2021-0{len(made)}-01T10:00:00-06:00"
        store.update(store.find(sandbox.account, "deal", deal["id"]), cdate=created)
    return {"owner": owner, "other": other, "group": group, "stage": stages[1]} | {
        "second": second,
        "ids": made,
    }


# (query, expected titles in order; None: any order). "{name}" is a value from the fixture.
DEAL_CASES = [
    # deals.list_deals(pipeline_id=): the deals list's pipeline filter.
    ("filters[group]={second}", ["Attic"]),
    # dealboard.stage_page / board_columns: a column is its stage's deals.
    ("filters[stage]={stage}", ["wall", "Gate", "Door"]),
    # deals.open_deals_summary and the board / list status filter: 0 open, 1 won, 2 lost.
    ("filters[status]=0", ["Roof", "Gate", "Attic"]),
    ("filters[status]=1", ["wall"]),
    ("filters[status]=2", ["Door"]),
    # The board and list owner filter.
    ("filters[owner]={other}", ["Gate", "Door"]),
    # The board and list search: title, primary contact's name (first, last, both).
    ("filters[search]=roof", ["Roof"]),
    ("filters[search]=baker", ["Gate", "Door", "Attic"]),
    ("filters[search]=Ann Archer", ["Roof", "wall"]),
    # A board column with every filter at once, as stage_page sends them.
    (
        "filters[stage]={stage}&filters[owner]={other}&filters[status]=0&filters[search]=ga",
        ["Gate"],
    ),
    # deals.list_deals(sort=): the list's sortable columns, both ways (title ignores case).
    ("orders[title]=ASC", ["Attic", "Door", "Gate", "Roof", "wall"]),
    ("orders[title]=DESC", ["wall", "Roof", "Gate", "Door", "Attic"]),
    ("orders[value]=ASC", ["wall", "Door", "Attic", "Roof", "Gate"]),
    ("orders[value]=DESC", ["Gate", "Roof", "Attic", "Door", "wall"]),
    ("orders[cdate]=ASC", ["Roof", "wall", "Gate", "Door", "Attic"]),
    ("orders[cdate]=DESC", ["Attic", "Door", "Gate", "wall", "Roof"]),
    # deals.deal_titles: the task list's deals by id (not in the reference for deals).
    ("ids[]={ids[Gate]}&ids[]={ids[Roof]}", None),
]


@pytest.mark.parametrize(("query", "expected"), DEAL_CASES)
def test_deal_filters_and_orders_the_screens_send(sandbox, deals, query, expected):
    body = sandbox.ok("GET", "/deals?" + query.format(**deals))
    deals_conform(body)
    titles = [d["title"] for d in body["deals"]]
    if expected is None:
        assert sorted(titles) == ["Gate", "Roof"]
    else:
        assert titles == expected
    # meta counts every matching deal, per currency too, whatever the page size.
    assert body["meta"]["total"] == len(titles)
    per_currency = {c: int(t["total"]) for c, t in body["meta"]["currencies"].items()}
    assert sum(per_currency.values()) == len(titles)


def test_a_column_page_keeps_the_totals_of_the_whole_stage(sandbox, deals):
    """dealboard.stage_page(offset=, limit=): "Show more" pages a column."""
    body = sandbox.ok("GET", f"/deals?filters[stage]={deals['stage']}&limit=1&offset=1")
    deals_conform(body)
    assert [d["title"] for d in body["deals"]] == ["Gate"]
    assert body["meta"]["total"] == 3
    assert body["meta"]["currencies"]["USD"] == {"currency": "USD", "total": "3", "value": "258000"}


@pytest.fixture
def tasks(sandbox) -> dict[str, Any]:
    """Four tasks on a deal and a contact, of two types and two assignees, one complete."""
    contact = make_contact(sandbox, "task@example.com")
    _, stages = make_pipeline(sandbox)
    deal = make_deal(sandbox, contact, stages[0])["id"]
    call, email = make_type(sandbox, "Call"), make_type(sandbox, "Email")
    second = sandbox.ok(
        "POST",
        "/users",
        {"user": {"username": "u2", "email": "u2@example.com", "password": "x", "group": 1}},
    )["user"]["id"]
    made = {
        "a": make_task(sandbox, contact, call, "2030-01-03T09:00:00-06:00", title="Bravo"),
        "b": make_task(sandbox, contact, email, "2030-01-01T09:00:00-06:00", title="alpha"),
        "c": make_task(
            sandbox, deal, call, "2030-01-02T09:00:00-06:00", ownerType="deal", title="Delta"
        ),
        "d": make_task(
            sandbox,
            deal,
            email,
            "2030-01-04T09:00:00-06:00",
            ownerType="deal",
            title="Charlie",
            assignee=second,
        ),
    }
    sandbox.ok("PUT", f"/dealTasks/{made['b']['id']}", {"dealTask": {"status": 1}})
    # Created a day apart in this order; last changed in another (b, completed, last).
    for day, name in enumerate("abcd", start=1):
        changed = {"a": 3, "b": 4, "c": 1, "d": 2}[name]
        store.update(
            store.find(sandbox.account, "dealTask", made[name]["id"]),
            cdate=f"2021-03-0{day}T10:00:00-06:00",
            udate=f"2021-04-0{changed}T10:00:00-06:00",
        )
    return {"deal": deal, "contact": contact, "call": call, "email": email, "second": second} | {
        name: task["id"] for name, task in made.items()
    }


# (query, expected task names in order). Dates are sent as tasks._moment sends them (UTC).
TASK_CASES = [
    # tasks.list_tasks(related_type=, related_id=): the deal page's tasks and the
    # list's "related deal or contact" filter.
    ("filters[reltype]=Deal&filters[relid]={deal}", "cd"),
    ("filters[reltype]=Subscriber&filters[relid]={contact}", "ab"),
    # The list's status filter; My tasks (done=False).
    ("filters[status]=0", "acd"),
    ("filters[status]=1", "b"),
    # The list's assignee and task type filters; My tasks by assignee.
    ("filters[assignee_userid]={second}", "d"),
    ("filters[d_tasktypeid]={email}", "bd"),
    # The list's due range, due today and overdue; the overview's overdue count
    # (tasks._due_before sends both spellings).
    ("filters[due_after]=2030-01-02T15:00:00Z", "ad"),
    ("filters[due_before]=2030-01-02T15:00:00Z&Fitlers[due_before]=2030-01-02T15:00:00Z", "b"),
    (
        "filters[due_after]=2030-01-02T00:00:00Z"
        "&filters[due_before]=2030-01-04T00:00:00Z&Fitlers[due_before]=2030-01-04T00:00:00Z",
        "ac",
    ),
    # My tasks: open tasks of one assignee, soonest first.
    ("filters[assignee_userid]=1&filters[status]=0&orders[duedate]=ASC", "ca"),
    # tasks.list_tasks(sort=): SORTS, both ways (title ignores case).
    ("orders[duedate]=ASC", "bcad"),
    ("orders[duedate]=DESC", "dacb"),
    ("orders[title]=ASC", "badc"),
    ("orders[title]=DESC", "cdab"),
    ("orders[status]=DESC", "bacd"),
    ("orders[cdate]=DESC", "dcba"),
    ("orders[udate]=DESC", "badc"),
]


@pytest.mark.parametrize(("query", "expected"), TASK_CASES)
def test_task_filters_and_orders_the_screens_send(sandbox, tasks, query, expected):
    body = sandbox.ok("GET", "/dealTasks?" + query.format(**tasks))
    # The reference files its GET /dealTasks example under 201 (see test_tasks.py).
    checked("GET", "/dealTasks", 201)
    problems = mismatches(body, LISTED_TASKS)
    assert not problems, "\n".join(problems)
    by_id = {task_id: name for name, task_id in tasks.items() if len(name) == 1}
    assert "".join(by_id[t["id"]] for t in body["dealTasks"]) == expected
    assert body["meta"]["total"] == str(len(expected))


def test_tasks_order_by_due_instant_across_the_daylight_saving_change(sandbox):
    """tasks.list_tasks' default order: 01:30 CDT comes before 01:15 CST on 2021-11-07,
    although its text sorts after."""
    contact, tasktype = make_contact(sandbox, "dst@example.com"), make_type(sandbox)
    cst = make_task(sandbox, contact, tasktype, "2021-11-07T07:15:00Z")["id"]
    cdt = make_task(sandbox, contact, tasktype, "2021-11-07T06:30:00Z")["id"]
    for direction, expected in (("ASC", [cdt, cst]), ("DESC", [cst, cdt])):
        body = sandbox.ok("GET", f"/dealTasks?orders[duedate]={direction}")
        assert [t["id"] for t in body["dealTasks"]] == expected
