"""Pipelines (the API's ``dealGroups``) and their stages, cached per account as one list.

Every write here invalidates the cache (``CACHE_NAME``). Validation errors carry the API's
attribute names: ``title``, ``currency`` (pipelines); ``title``, ``group``, ``order``,
``color``, ``stage`` (stages: a stage that still has deals cannot be deleted).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import metadata
from .client import Client
from .deals import Deal, parse_deal
from .errors import NotFound
from .paging import fetch_page
from .parsing import parse_int

CACHE_NAME = "pipelines"


@dataclass(frozen=True, slots=True)
class Stage:
    id: int
    pipeline_id: int
    title: str
    order: int
    color: str  # hex without "#", e.g. "32B0FC"


@dataclass(frozen=True, slots=True)
class Pipeline:
    id: int
    title: str
    currency: str  # upper-case ISO code
    stages: list[Stage]  # board order

    def stage(self, stage_id: int) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


def _stage(raw: dict[str, Any]) -> Stage:
    return Stage(
        id=parse_int(raw.get("id")),
        pipeline_id=parse_int(raw.get("group")),
        title=str(raw.get("title") or ""),
        order=parse_int(raw.get("order")),
        color=str(raw.get("color") or ""),
    )


def _pipeline(raw: dict[str, Any], stages: list[Stage]) -> Pipeline:
    pipeline_id = parse_int(raw.get("id"))
    own = [s for s in stages if s.pipeline_id == pipeline_id]
    return Pipeline(
        id=pipeline_id,
        title=str(raw.get("title") or ""),
        currency=str(raw.get("currency") or "").upper(),
        stages=sorted(own, key=lambda s: (s.order, s.id)),
    )


def _load(client: Client) -> list[Pipeline]:
    """``GET /dealGroups`` side-loads the listed pipelines' stages: one call per 100."""
    pipelines: list[Pipeline] = []
    offset = 0
    while True:
        page = fetch_page(client, "/dealGroups", "dealGroups", offset=offset)
        stages = [_stage(raw) for raw in page.body.get("dealStages") or []]
        pipelines += [_pipeline(raw, stages) for raw in page.items]
        if not page.items or not page.has_more:
            return pipelines
        offset += len(page.items)


def list_pipelines(client: Client) -> list[Pipeline]:
    """Every pipeline with its stages in board order (cached; on a miss one call per 100)."""
    return metadata.cached(client, CACHE_NAME, lambda: _load(client))


def get_pipeline(client: Client, pipeline_id: int) -> Pipeline:
    """One pipeline from ``list_pipelines`` (cached); NotFound if the account has none such."""
    for pipeline in list_pipelines(client):
        if pipeline.id == pipeline_id:
            return pipeline
    raise NotFound(
        f"No pipeline with id {pipeline_id}", status=404, path=f"/dealGroups/{pipeline_id}"
    )


def create_pipeline(
    client: Client,
    title: str,
    currency: str = "usd",
    *,
    all_groups: bool = True,
    all_users: bool = True,
) -> Pipeline:
    """A pipeline with the API's three default stages, in one call.

    ``all_groups``: every user group may use it; ``all_users``: new deals without an owner
    are assigned round-robin among all users.
    """
    attributes = {
        "title": title,
        "currency": currency.lower(),
        "allgroups": int(all_groups),
        "allusers": int(all_users),
        "autoassign": 1,
    }
    body = client.post("/dealGroups", {"dealGroup": attributes})
    metadata.invalidate(client, CACHE_NAME)
    stages = [_stage(raw) for raw in body.get("dealStages") or []]
    return _pipeline(body["dealGroup"], stages)


def rename_pipeline(client: Client, pipeline_id: int, title: str) -> Pipeline:
    """2 calls: the update (which answers without stages), then the pipelines, re-cached."""
    client.put(f"/dealGroups/{pipeline_id}", {"dealGroup": {"title": title}})
    metadata.invalidate(client, CACHE_NAME)
    return get_pipeline(client, pipeline_id)


def delete_pipeline(client: Client, pipeline_id: int) -> None:
    """Delete a pipeline: the API deletes its stages and their deals with it (one call)."""
    client.delete(f"/dealGroups/{pipeline_id}")
    metadata.invalidate(client, CACHE_NAME)


def create_stage(
    client: Client,
    pipeline_id: int,
    title: str,
    *,
    position: int | None = None,
    color: str | None = None,
) -> Stage:
    """Add a stage at ``position`` (1-based; default last), in one call.

    With ``reorder=1`` the API renumbers the pipeline's stages and, of two with the same
    order, puts the newer first: the new stage lands at ``position``, the rest shift.
    Without a position the order comes from the cached pipelines (one more call on a miss).
    """
    if position is None:
        position = len(get_pipeline(client, pipeline_id).stages) + 1
    attributes: dict[str, Any] = {"title": title, "group": str(pipeline_id), "order": position}
    if color is not None:
        attributes["color"] = color
    body = client.request(
        "POST", "/dealStages", params={"reorder": 1}, json={"dealStage": attributes}
    )
    metadata.invalidate(client, CACHE_NAME)
    return _stage(body["dealStage"])


def update_stage(
    client: Client, stage_id: int, *, title: str | None = None, color: str | None = None
) -> Stage:
    attributes = {
        name: value for name, value in (("title", title), ("color", color)) if value is not None
    }
    body = client.put(f"/dealStages/{stage_id}", {"dealStage": attributes})
    metadata.invalidate(client, CACHE_NAME)
    return _stage(body["dealStage"])


def reorder_stages(client: Client, pipeline_id: int, stage_ids: Sequence[int]) -> Pipeline:
    """Put the pipeline's stages in the order of ``stage_ids`` (all of them, each once).

    The API has no bulk reorder, and its ``reorder=1`` breaks ties by id, not by intent, so
    each stage whose position changes gets its own ``PUT`` (pipelines have a handful of
    stages). Calls: one per moved stage, plus one to load the pipelines when not cached and
    one to re-cache them after.
    """
    current = get_pipeline(client, pipeline_id)
    if sorted(stage_ids) != sorted(s.id for s in current.stages):
        raise ValueError(f"stage_ids must list each stage of pipeline {pipeline_id} once")
    orders = {s.id: s.order for s in current.stages}
    for position, stage_id in enumerate(stage_ids, start=1):
        if orders[stage_id] != position:
            client.put(f"/dealStages/{stage_id}", {"dealStage": {"order": position}})
    metadata.invalidate(client, CACHE_NAME)
    return get_pipeline(client, pipeline_id)


def delete_stage(client: Client, stage_id: int) -> None:
    """Delete an empty stage (move its deals first: ``move_stage_deals``)."""
    client.delete(f"/dealStages/{stage_id}")
    metadata.invalidate(client, CACHE_NAME)


def move_stage_deals(client: Client, from_stage_id: int, to_stage_id: int) -> list[Deal]:
    """Move every deal of a stage to another stage of the same pipeline, in one call.

    Returns the moved deals; 422 on ``stage`` for a stage of another pipeline.
    """
    body = client.put(f"/dealStages/{from_stage_id}/deals", {"deal": {"stage": str(to_stage_id)}})
    return [parse_deal(raw) for raw in (body or {}).get("deals") or []]
