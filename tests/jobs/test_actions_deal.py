# ruff: noqa: F401, F811 (fixtures imported from bulk_fixtures)
"""Bulk actions on deals, over HTTP against the sandbox: each action's preview (counts, skip
reasons) and its job's result in the sandbox; the server's refusals; and the deal kind's
methods (expand, batched read, describe, idempotent write) against the sandbox state."""

import pytest
from django.core.cache import cache

from acdash.activecampaign import count_api_calls
from acdash.jobs.contract import KINDS, Record, Selection
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

KIND = KINDS["deal"]


def deals_where(**data) -> list[int]:
    return sorted(
        rid
        for rid, r in records("deal").items()
        if all(r.data.get(k) == v for k, v in data.items())
    )


def confirm(client, **params):
    return client.post(new_url()[: new_url().index("?")], params)


def test_move_to_a_stage_previews_then_moves_every_deal_of_the_filter(editor_client):
    in_lead = deals_where(stage="1")
    assert len(in_lead) > 3
    query = "pipeline=1&stage=1"
    page = editor_client.get(new_url(type="deal", action="move_stage", query=query))
    assert page.status_code == 200
    assert "Pipeline and stage" in page.content.decode()  # the form first: nothing planned

    preview = editor_client.get(
        new_url(type="deal", action="move_stage", query=query, stage=2, preview=1)
    )
    html = preview.content.decode()
    assert preview.status_code == 200, html[:3000]
    assert f"<strong data-count>{len(in_lead)}</strong> deals selected" in html
    assert "stage Lead In (Sales Pipeline)" in html and "stage Qualified (Sales Pipeline)" in html
    assert deals_where(stage="1") == in_lead  # a preview writes nothing

    job = run_started(
        confirm(editor_client, type="deal", action="move_stage", query=query, stage=2)
    )
    assert (job.total, job.done, job.failed) == (len(in_lead), len(in_lead), 0)
    assert deals_where(stage="1") == []
    assert set(in_lead) <= set(deals_where(stage="2"))


def test_a_deal_already_in_the_stage_is_skipped_and_says_why(editor_client):
    moved, other = deals_where(stage="2")[0], deals_where(stage="1")[0]
    preview = editor_client.get(
        new_url(type="deal", action="move_stage", ids=[moved, other], stage=2, preview=1)
    )
    html = preview.content.decode()
    assert "<strong>1</strong> will change" in html and "<strong>1</strong> will be skipped" in html
    assert "already stage Qualified (Sales Pipeline)" in html
    gone = editor_client.get(
        new_url(type="deal", action="set_status", ids=[other, 99999], status=1, preview=1)
    ).content.decode()
    assert "no longer exists" in gone and "<strong>1</strong> will be skipped" in gone


def test_change_owner_mark_won_and_set_a_field(editor_client, ac):
    ids = deals_where(status="0")[:4]
    others = [i for i in ids if records("deal")[i].data.get("owner") != "5"]
    owner = run_started(
        confirm(
            editor_client, type="deal", action="change_owner", ids=",".join(map(str, ids)), owner=5
        )
    )
    assert (owner.done, owner.skipped) == (len(others), len(ids) - len(others))
    assert all(records("deal")[i].data["owner"] == "5" for i in ids)

    won = run_started(
        confirm(
            editor_client, type="deal", action="set_status", ids=",".join(map(str, ids)), status=1
        )
    )
    assert won.done == len(ids)
    assert all(records("deal")[i].data["status"] == "1" for i in ids)

    run_started(
        confirm(
            editor_client,
            type="deal",
            action="set_field",
            ids=",".join(map(str, ids)),
            field=1,
            value="Partner",
        )
    )
    cache.clear()
    held = KIND.read(ac, [str(i) for i in ids], ["field:1"])
    assert {r.values["field:1"] for r in held.values()} == {"Partner"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (1, "Nope", "is not one of the field&#x27;s options"),  # dropdown
        (2, "Plus plan, Gold plan", "Choose among the field&#x27;s options"),  # multiselect
        (3, "31/12/2026", "Write the date as YYYY-MM-DD"),  # date
        (5, "many", "is not a number"),  # number
        (4, "1.234", "at most two decimals"),  # currency
        (999, "x", "not one of this account&#x27;s choices"),  # no such field
    ],
)
def test_a_field_value_the_field_refuses_is_refused_and_nothing_is_written(
    editor_client, api, field, value, message
):
    response = editor_client.post(
        new_url()[: new_url().index("?")],
        {"type": "deal", "action": "set_field", "ids": "1,2", "field": field, "value": value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert writes_sent(api) == []


def test_an_unknown_stage_or_owner_is_refused(editor_client):
    for action, params in (("move_stage", {"stage": 999}), ("change_owner", {"owner": 999})):
        response = editor_client.get(
            new_url(type="deal", action=action, ids=[1], preview=1, **params)
        )
        assert response.status_code == 400
        assert "That is not one of this account" in response.content.decode()


def test_deleting_deals_needs_their_count_typed_back(editor_client):
    ids = deals_where(status="2")[:3]
    params = {"type": "deal", "action": "delete", "ids": ",".join(map(str, ids))}
    preview = editor_client.get(new_url(**params))
    assert "Type the number of deals, 3, to confirm" in preview.content.decode()
    wrong = confirm(editor_client, **params, confirm_count="30")
    assert wrong.status_code == 400
    assert "Type the number of records, 3, to confirm" in wrong.content.decode()
    assert all(i in records("deal") for i in ids)
    job = run_started(confirm(editor_client, **params, confirm_count="3"))
    assert job.done == 3 and not any(i in records("deal") for i in ids)


# The kind itself ---------------------------------------------------------------------


def test_expand_runs_the_list_filter_and_keeps_ticked_ids(ac):
    assert KIND.expand(ac, Selection("deal", ids=("5", "3", "5"))) == ["5", "3"]
    won = KIND.expand(ac, Selection("deal", query="status=1&sort=title"))
    assert sorted(map(int, won)) == deals_where(status="1")
    with pytest.raises(ValueError, match="Stage"):
        KIND.expand(ac, Selection("deal", query="stage=9999"))


def test_read_asks_for_100_deals_per_call_and_values_as_text(ac):
    ids = [str(i) for i in range(1, 151)] + ["99999"]
    KIND.read(ac, ["1"], ["stage"])  # metadata cached
    with count_api_calls() as calls:
        found = KIND.read(ac, ids, ["stage", "owner", "status", "exists"])
    assert calls.count == 2
    assert len(found) == 150 and "99999" not in found
    deal = records("deal")[7].data
    assert found["7"].values == {
        "stage": int(deal["stage"]),
        "owner": int(deal["owner"]),
        "status": int(deal["status"]),
        "exists": True,
    }
    fields = KIND.read(ac, ["1", "2"], ["field:2", "field:3", "field:5"])
    for record in fields.values():
        assert set(record.values) == {"field:2", "field:3", "field:5"}
        products = record.values["field:2"]
        assert products == "" or (products.startswith("||") and products.endswith("||"))


def test_describe_names_stages_owners_status_and_fields(ac):
    assert KIND.describe(ac, "stage", 2) == "stage Qualified (Sales Pipeline)"
    assert KIND.describe(ac, "owner", 5) == "owner Casey Okafor"
    assert KIND.describe(ac, "status", 2) == "Lost"
    assert KIND.describe(ac, "field:2", "||SSO||API access||") == "Products: SSO, API access"
    assert KIND.describe(ac, "field:6", "") == "Competitor empty"
    assert KIND.describe(ac, "exists", False) == "deleted"


def test_write_is_idempotent_and_reports_what_the_deal_holds(ac, api):
    record = KIND.read(ac, ["9"], ["stage", "field:6"])["9"]
    target = {"stage": 12, "field:6": "Acme Rival"}
    assert KIND.calls_per_record(target) == 3
    assert KIND.write(ac, record, target) == target
    assert records("deal")[9].data["stage"] == "12"
    assert records("deal")[9].data["group"] == "3"  # the stage's pipeline came with it
    with count_api_calls() as again:
        assert KIND.write(ac, record, target) == target
    assert [c.method for c in again.calls] == ["PUT", "GET"]  # the field is already set
    assert KIND.write(ac, record, {"exists": False}) == {"exists": False}
    assert KIND.write(ac, record, {"exists": False}) == {"exists": False}  # gone: still done
    assert 9 not in records("deal")


def test_owners_and_field_values_go_through_the_bulk_updates(editor_client, api, ac):
    open_deals = deals_where(status="0")
    assert len(open_deals) > 100
    preview = editor_client.get(
        new_url(type="deal", action="change_owner", query="status=0", owner=4, preview=1)
    ).content.decode()
    assert "bulk update" in preview
    job = run_started(
        confirm(editor_client, type="deal", action="change_owner", query="status=0", owner=4)
    )
    assert job.failed == 0 and job.done + job.skipped == len(open_deals)
    assert all(records("deal")[i].data["owner"] == "4" for i in open_deals)
    sent = writes_sent(api)
    assert sent.count("PATCH /deals/bulkUpdate") == -(-job.done // 100)
    assert not [line for line in sent if line.startswith("PUT")]  # no call per deal

    before = writes_sent(api)
    job = run_started(
        confirm(
            editor_client, type="deal", action="set_field", query="status=0", field=6, value="Rival"
        )
    )
    assert job.failed == 0
    cache.clear()
    held = KIND.read(ac, [str(i) for i in open_deals], ["field:6"])
    assert {r.values["field:6"] for r in held.values()} == {"Rival"}
    sent = writes_sent(api)[len(before) :]
    assert "PATCH /dealCustomFieldData/bulkUpdate" in sent
    # Deals without a value yet get one each; every other value was replaced in bulk.
    assert len(sent) < job.done


def test_a_refused_bulk_update_gives_each_deal_its_own_reason(ac):
    records_ = KIND.read(ac, ["1", "2"], ["owner"])
    answer = KIND.write_many(ac, [(records_[i], {"owner": 999}) for i in ("1", "2")])
    assert set(answer) == {"1", "2"} and all(answer.values())  # a reason each, nothing applied
    gone = KIND.write_many(
        ac, [(records_["1"], {"owner": 3}), (Record("99999", "x"), {"owner": 3})]
    )
    assert gone == {"1": None}  # a deal that no longer exists is left out of the answer


def test_undo_of_a_stage_move_and_a_field_change_restores_every_deal(editor_client, ac):
    ids = deals_where(stage="3")[:3]
    stages = {i: records("deal")[i].data["stage"] for i in ids}
    cache.clear()
    before = {
        r.id: r.values["field:8"]
        for r in KIND.read(ac, [str(i) for i in ids], ["field:8"]).values()
    }
    moved = run_started(
        confirm(
            editor_client, type="deal", action="move_stage", ids=",".join(map(str, ids)), stage=13
        )
    )
    priority = run_started(
        confirm(
            editor_client,
            type="deal",
            action="set_field",
            ids=",".join(map(str, ids)),
            field=8,
            value="Low",
        )
    )
    for job in (priority, moved):  # the later job first
        assert editor_client.get(f"{job.get_absolute_url()}undo/").status_code == 200
        run_started(editor_client.post(f"{job.get_absolute_url()}undo/"))
    assert {i: records("deal")[i].data["stage"] for i in ids} == stages
    cache.clear()
    after = {
        r.id: r.values["field:8"]
        for r in KIND.read(ac, [str(i) for i in ids], ["field:8"]).values()
    }
    assert after == before
