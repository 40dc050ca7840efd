"""The board's reads over HTTP against the sandbox: a stage's page with the figures of all
its deals in one call, every column concurrently, contacts' names by the hundred."""

from acdash.activecampaign import count_api_calls
from acdash.activecampaign.dealboard import (
    BoardFilters,
    board_columns,
    contact_names,
    read_deal,
    stage_page,
)
from acdash.activecampaign.deals import DealStatus
from acdash.activecampaign.pipelines import delete_pipeline, get_pipeline, list_pipelines
from tests.services import new_contact


def _deal(sandbox, contact: int, stage: int, cents: int, currency: str = "usd", status: int = 0):
    attributes = {"title": f"D{cents}", "value": cents, "currency": currency, "contact": contact}
    attributes |= {"stage": stage, "owner": 1, "status": status}
    return int(sandbox.ok("POST", "/deals", {"deal": attributes})["deal"]["id"])


def _pipeline(sandbox):
    body = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "P", "currency": "usd"}})
    return int(body["dealGroup"]["id"]), [int(s["id"]) for s in body["dealStages"]]


def test_a_stage_page_carries_the_count_and_value_of_all_its_deals(sandbox, client):
    _, (first, *_) = _pipeline(sandbox)
    contact = new_contact(sandbox, "a@example.com")
    for cents in (100, 200, 300):
        _deal(sandbox, contact, first, cents)
    _deal(sandbox, contact, first, 5000, currency="eur")
    with count_api_calls() as calls:
        page = stage_page(client, first, limit=1)
    assert calls.count == 1
    assert len(page.items) == 1 and page.total == 4 and page.has_more
    assert {(t.currency, t.count, t.value_cents) for t in page.by_currency} == {
        ("USD", 3, 600),
        ("EUR", 1, 5000),
    }
    won = stage_page(client, first, BoardFilters(status=DealStatus.WON))
    assert won.total == 0


def test_a_small_pipelines_columns_cost_one_listing_cut_into_stages(sandbox, client):
    pipeline_id, stages = _pipeline(sandbox)
    contact = new_contact(sandbox, "a@example.com")
    _deal(sandbox, contact, stages[1], 700)
    pipeline = get_pipeline(client, pipeline_id)
    with count_api_calls() as calls:
        columns = board_columns(client, pipeline, limit=20)
    # Its deals fit in one page of 100: one listing of the pipeline, not one call per stage
    # (tests/deals/test_board.py has the large pipeline's call per stage).
    assert calls.count == 1 < len(stages)
    assert [c.stage.id for c in columns] == stages
    assert [c.page.total for c in columns] == [0, 1, 0]
    assert columns[1].value_cents == 700 and not columns[1].other_currencies


def test_contact_names_by_the_hundred(sandbox, client):
    ids = [new_contact(sandbox, f"c{n}@example.com", firstName=f"N{n}") for n in range(102)]
    ids.append(new_contact(sandbox, "no-name@example.com"))
    with count_api_calls() as calls:
        names = contact_names(client, [*ids, 0, ids[0]])
    assert calls.count == 2
    assert names[ids[0]] == "N0" and names[ids[-1]] == "no-name@example.com"
    assert len(names) == len(ids)
    assert contact_names(client, []) == {}


def test_read_deal_and_delete_pipeline(sandbox, client):
    pipeline_id, stages = _pipeline(sandbox)
    deal_id = _deal(sandbox, new_contact(sandbox, "a@example.com"), stages[0], 100)
    assert read_deal(client, deal_id).stage_id == stages[0]
    delete_pipeline(client, pipeline_id)
    assert pipeline_id not in [p.id for p in list_pipelines(client)]
    assert sandbox.get(f"/deals/{deal_id}").status_code == 404
