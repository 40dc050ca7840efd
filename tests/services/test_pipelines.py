"""Pipelines and stages over HTTP against the sandbox: typed, cached, invalidated on writes."""

from typing import Any

import pytest

from acdash.activecampaign import NotFound, ValidationError, assert_api_calls, count_api_calls
from acdash.activecampaign.deals import Deal
from acdash.activecampaign.pipelines import (
    Pipeline,
    Stage,
    create_pipeline,
    create_stage,
    delete_stage,
    get_pipeline,
    list_pipelines,
    move_stage_deals,
    rename_pipeline,
    reorder_stages,
    update_stage,
)
from tests.services import new_contact


def api_pipeline(sandbox, title: str, currency: str = "usd") -> dict[str, Any]:
    body = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": title, "currency": currency}})
    return body["dealGroup"]


def api_deal(sandbox, contact: int, stage: int, title: str = "Deal") -> int:
    deal = {"title": title, "contact": contact, "value": 1000, "currency": "usd", "stage": stage}
    return int(sandbox.ok("POST", "/deals", {"deal": {**deal, "owner": "1"}})["deal"]["id"])


def test_list_pipelines_is_typed_with_ordered_stages_and_cached(sandbox, client):
    sales = api_pipeline(sandbox, "Sales", "eur")
    api_pipeline(sandbox, "Renewals")
    # A stage added at the front (order 0) comes first on the board.
    sandbox.ok("POST", "/dealStages", {"dealStage": {"title": "Lead", "group": sales["id"]}})
    first = {"dealStage": {"title": "Inbox", "group": sales["id"], "order": 0}}
    inbox = sandbox.ok("POST", "/dealStages", first)["dealStage"]

    with count_api_calls() as calls:
        pipelines = list_pipelines(client)
    assert calls.count == 1
    assert [p.title for p in pipelines] == ["Sales", "Renewals"]
    sales_pipeline = pipelines[0]
    assert isinstance(sales_pipeline, Pipeline)
    assert sales_pipeline.id == int(sales["id"]) and sales_pipeline.currency == "EUR"
    titles = [s.title for s in sales_pipeline.stages]
    assert titles == ["Inbox", "To Contact", "In Contact", "Follow Up", "Lead"]
    stage = sales_pipeline.stages[0]
    assert stage == Stage(int(inbox["id"]), sales_pipeline.id, "Inbox", 0, "32B0FC")
    assert sales_pipeline.stage(stage.id) == stage and sales_pipeline.stage(999) is None
    assert [len(p.stages) for p in pipelines] == [5, 3]

    with assert_api_calls(max=0):
        assert list_pipelines(client) == pipelines
        assert get_pipeline(client, sales_pipeline.id) == sales_pipeline
        with pytest.raises(NotFound):
            get_pipeline(client, 999)


def test_list_pipelines_pages_past_one_hundred(sandbox, client):
    for n in range(101):
        sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": f"P{n:03}", "currency": "usd"}})
    with count_api_calls() as calls:
        pipelines = list_pipelines(client)
    assert calls.count == 2
    assert len(pipelines) == 101 and all(len(p.stages) == 3 for p in pipelines)


def test_create_pipeline_answers_it_with_default_stages_and_invalidates(sandbox, client):
    assert list_pipelines(client) == []
    with assert_api_calls(max=1):
        pipeline = create_pipeline(client, "Partners", "gbp")
    assert pipeline.title == "Partners" and pipeline.currency == "GBP"
    assert [s.title for s in pipeline.stages] == ["To Contact", "In Contact", "Follow Up"]
    assert [s.order for s in pipeline.stages] == [1, 2, 3]
    with count_api_calls() as calls:
        assert list_pipelines(client) == [pipeline]
    assert calls.count == 1  # the write invalidated the cached empty list


def test_create_pipeline_validation_names_the_attribute(client):
    with pytest.raises(ValidationError) as caught:
        create_pipeline(client, "")
    assert list(caught.value.field_errors) == ["title"]


def test_rename_pipeline_takes_two_calls_and_recaches(sandbox, client):
    pipeline = create_pipeline(client, "Sales")
    list_pipelines(client)
    with count_api_calls() as calls:
        renamed = rename_pipeline(client, pipeline.id, "New business")
    assert calls.count == 2
    assert renamed.title == "New business" and renamed.stages == pipeline.stages
    with assert_api_calls(max=0):
        assert list_pipelines(client) == [renamed]
    with pytest.raises(NotFound):
        rename_pipeline(client, 999, "Nope")


def test_create_stage_appends_or_inserts_at_a_position(sandbox, client):
    pipeline = create_pipeline(client, "Sales")
    list_pipelines(client)
    with assert_api_calls(max=1):  # the order comes from the cached pipelines
        last = create_stage(client, pipeline.id, "Won", color="00FF00")
    assert last.title == "Won" and last.color == "00FF00" and last.pipeline_id == pipeline.id
    with assert_api_calls(max=1):
        first = create_stage(client, pipeline.id, "Inbox", position=1)
    with count_api_calls() as calls:
        stages = get_pipeline(client, pipeline.id).stages
    assert calls.count == 1  # each write invalidated the cache
    titles = [s.title for s in stages]
    assert titles == ["Inbox", "To Contact", "In Contact", "Follow Up", "Won"]
    assert [s.order for s in stages] == [1, 2, 3, 4, 5]
    assert stages[0].id == first.id


def test_create_stage_in_an_unknown_pipeline_is_a_validation_error(client):
    with pytest.raises(ValidationError) as caught:
        create_stage(client, 999, "Lost", position=1)
    assert list(caught.value.field_errors) == ["group"]


def test_update_stage_changes_title_and_color_and_invalidates(client):
    pipeline = create_pipeline(client, "Sales")
    stage = pipeline.stages[1]
    list_pipelines(client)
    with assert_api_calls(max=1):
        updated = update_stage(client, stage.id, title="Talking", color="696969")
    assert (updated.id, updated.title, updated.color, updated.order) == (
        stage.id,
        "Talking",
        "696969",
        stage.order,
    )
    assert get_pipeline(client, pipeline.id).stages[1] == updated
    with pytest.raises(NotFound):
        update_stage(client, 999, title="Nope")


def test_reorder_stages_puts_only_moved_stages_and_recaches(client):
    pipeline = create_pipeline(client, "Sales")
    a, b, c = (s.id for s in pipeline.stages)
    list_pipelines(client)
    with count_api_calls() as calls:
        reordered = reorder_stages(client, pipeline.id, [c, a, b])
    assert calls.count == 3 + 1  # every stage moved, then the pipelines re-cached
    assert [s.id for s in reordered.stages] == [c, a, b]
    assert [s.order for s in reordered.stages] == [1, 2, 3]
    with count_api_calls() as calls:
        reorder_stages(client, pipeline.id, [c, b, a])
    assert calls.count == 2 + 1  # c stays first
    with assert_api_calls(max=0), pytest.raises(ValueError):
        reorder_stages(client, pipeline.id, [a, b])


def test_move_stage_deals_then_delete_the_empty_stage(sandbox, client):
    contact = new_contact(sandbox, "jane@example.com")
    pipeline = create_pipeline(client, "Sales")
    source, target, _ = pipeline.stages
    deal_ids = [api_deal(sandbox, contact, source.id, f"Deal {n}") for n in range(2)]
    with pytest.raises(ValidationError) as caught:
        delete_stage(client, source.id)
    assert list(caught.value.field_errors) == ["stage"]

    other = create_pipeline(client, "Other")
    with pytest.raises(ValidationError) as caught:
        move_stage_deals(client, source.id, other.stages[0].id)
    assert list(caught.value.field_errors) == ["stage"]

    with assert_api_calls(max=1):
        moved = move_stage_deals(client, source.id, target.id)
    assert all(isinstance(d, Deal) for d in moved)
    assert [d.id for d in moved] == deal_ids
    assert {d.stage_id for d in moved} == {target.id}

    list_pipelines(client)
    with assert_api_calls(max=1):
        delete_stage(client, source.id)
    assert [s.id for s in get_pipeline(client, pipeline.id).stages] == [
        s.id for s in pipeline.stages[1:]
    ]
    with pytest.raises(NotFound):
        delete_stage(client, source.id)
