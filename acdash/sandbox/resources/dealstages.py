"""Pipeline stages: ``/dealStages``, and moving a stage's deals to another stage
(``PUT /dealStages/{id}/deals``). Stages are ``dealStage`` records, parent = pipeline id.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .dealrecords import (
    DEAL,
    GROUP,
    LINKS_11,
    STAGE,
    as_id,
    as_text,
    echo,
    present,
    related_missing,
    save_all,
)

STAGE_KEYS = ["cardRegion1", "cardRegion2", "cardRegion3", "cardRegion4", "cardRegion5"]
STAGE_KEYS += ["cdate", "color", "dealOrder", "group", "id", "links", "order", "title", "udate"]
STAGE_KEYS += ["width"]

# A new stage's display settings.
STAGE_DEFAULTS = {
    "cardRegion1": "title",
    "cardRegion2": "next-action",
    "cardRegion3": "show-avatar",
    "cardRegion4": "contact-fullname-orgname",
    "cardRegion5": "value",
    "color": "32B0FC",
    "dealOrder": "next-action DESC",
    "width": "280",
}

# The deals as PUT /dealStages/{id}/deals answers with them.
MOVED_KEYS = ["activitycount", "cdate", "contact", "currency", "edate", "group", "hash", "id"]
MOVED_KEYS += ["links", "mdate", "nextTask", "nextdealid", "nexttaskid", "organization", "owner"]
MOVED_KEYS += ["percent", "stage", "status", "title", "value"]


def get_stage(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, STAGE, rid, not_found("DealStage", rid))


def _stage_sort(stage: SandboxRecord) -> tuple[int, int]:
    return as_id(stage.data.get("order")) or 0, stage.rid


def stages_of(ctx: Ctx, group_ids: Iterable[int]) -> dict[int, list[SandboxRecord]]:
    """The stages of several pipelines in one query, each list in board order."""
    found: dict[int, list[SandboxRecord]] = defaultdict(list)
    for stage in store.records(ctx.account, STAGE).filter(parent__in=list(group_ids)):
        found[stage.parent].append(stage)
    for stages in found.values():
        stages.sort(key=_stage_sort)
    return found


@store.presenter(STAGE)
def present_stage(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    body = {**record.data, "id": rid, "links": {"group": ctx.link(f"dealStages/{rid}/group")}}
    return store.project(body, STAGE_KEYS)


def _clean_stage(ctx: Ctx, attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if creating or "title" in attrs:
        if not (title := as_text(attrs.get("title"))):
            raise missing("The dealStage title was not provided.", "title")
        changes["title"] = title
    if creating or "group" in attrs:
        if as_text(attrs.get("group")) == "":
            raise missing("The dealStage group was not provided.", "group")
        group = store.find(ctx.account, GROUP, attrs["group"])
        if group is None:
            raise related_missing("group")
        changes["group"] = group.id_str
    for name in ("order", "width"):
        if name in attrs:
            if (number := as_id(attrs[name])) is None:
                raise invalid(f"The dealStage {name} must be a whole number.", name)
            changes[name] = str(number)
    for name in ("color", "dealOrder", *(f"cardRegion{n}" for n in range(1, 6))):
        if name in attrs:
            changes[name] = as_text(attrs[name])
    return changes


def _reorder(ctx: Ctx, group_id: int) -> None:
    """``reorder=1``: number the pipeline's stages 1..n; on equal orders the newest goes first."""
    stages = sorted(
        store.records(ctx.account, STAGE).filter(parent=group_id),
        key=lambda s: (as_id(s.data.get("order")) or 0, -s.rid),
    )
    for n, stage in enumerate(stages, start=1):
        stage.data["order"] = str(n)
    save_all(stages)


def _written(ctx: Ctx, stage: SandboxRecord, attrs: dict[str, Any]) -> dict[str, Any]:
    """POST/PUT /dealStages: renumber the pipeline's stages if asked, answer the stage."""
    if ctx.int_param("reorder") == 1:
        _reorder(ctx, stage.parent)
        stage.refresh_from_db()
    return {"dealStage": echo(present_stage(ctx, stage), attrs, ["order", "width"])}


@route("POST", "dealStages", "Deal_createStage")
def create_stage(ctx: Ctx):
    attrs = ctx.envelope("dealStage")
    changes = _clean_stage(ctx, attrs, creating=True)
    group_id = int(changes["group"])
    if "order" not in changes:
        changes["order"] = str(len(stages_of(ctx, [group_id])[group_id]) + 1)
    now = store.iso(ctx.account)
    stage = store.create(
        ctx.account, STAGE, {**STAGE_DEFAULTS, **changes, "cdate": now, "udate": now}, group_id
    )
    return _written(ctx, stage, attrs)


@route("GET", "dealStages", "Deal_listAllStages")
def list_stages(ctx: Ctx):
    qs = store.records(ctx.account, STAGE)
    if title := ctx.param("filters[title]"):
        qs = qs.filter(data__title__icontains=title)
    if (group := ctx.int_param("filters[d_groupid]")) is not None:
        qs = qs.filter(parent=group)
    qs = store.order_by_param(ctx, qs, {"title": "data__title"})
    body, _ = store.paged(ctx, qs, "dealStages", present_stage)
    return body


@route("GET", "dealStages/{id}", "Deal_getStageById")
def get_stage_detail(ctx: Ctx, id: str):
    return {"dealStage": present_stage(ctx, get_stage(ctx, id))}


@route("PUT", "dealStages/{id}", "Deal_updateStage")
def update_stage(ctx: Ctx, id: str):
    stage = get_stage(ctx, id)
    attrs = ctx.envelope("dealStage")
    changes = _clean_stage(ctx, attrs, creating=False)
    if "group" in changes and changes["group"] != stage.data["group"]:
        # A stage moved to another pipeline takes its deals along.
        deals = list(store.records(ctx.account, DEAL).filter(data__stage=stage.id_str))
        for deal in deals:
            deal.data["group"] = changes["group"]
        save_all(deals)
        stage.parent = int(changes["group"])
    store.update(stage, **changes, udate=store.iso(ctx.account))
    return _written(ctx, stage, attrs)


@route("DELETE", "dealStages/{id}", "Deal_deleteStageById")
def delete_stage(ctx: Ctx, id: str):
    stage = get_stage(ctx, id)
    if store.records(ctx.account, DEAL).filter(data__stage=stage.id_str).exists():
        raise invalid(
            "The stage still has deals; move them to another stage first.",
            "stage",
            detail="PUT /dealStages/{id}/deals moves them.",
        )
    stage.delete()
    return {}


def _stage_error(detail: str) -> ApiError:
    """The 422 body PUT /dealStages/{id}/deals answers with."""
    error = {"detail": detail, "source": {"pointer": "/data/attributes/stage"}, "status": 422}
    return ApiError(422, {"errors": [{**error, "title": "Invalid attribute"}]})


@route("PUT", "dealStages/{id}/deals", "Deal_moveDealsToAnotherStage")
def move_stage_deals(ctx: Ctx, id: str):
    stage = get_stage(ctx, id)
    target = store.find(ctx.account, STAGE, ctx.envelope("deal").get("stage"))
    if target is None:
        raise _stage_error("Target stage does not exist")
    if target.parent != stage.parent:
        raise _stage_error("Target stage does not belong to same pipeline")
    deals = list(store.records(ctx.account, DEAL).filter(data__stage=stage.id_str).order_by("rid"))
    now = store.iso(ctx.account)
    for deal in deals:
        deal.data.update(stage=target.id_str, mdate=now)
    save_all(deals)
    return {"deals": [present(ctx, d, MOVED_KEYS, LINKS_11) for d in deals]}
