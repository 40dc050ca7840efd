"""Pipelines: ``/dealGroups``, with their auto-assign users (``dealGroupUser``) and permitted
groups (``dealGroupGroup``). A new pipeline gets three default stages; deleting one takes its
stages and deals along.
"""

from typing import Any

from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .dealrecords import (
    DEAL,
    GROUP,
    GROUP_GROUP,
    GROUP_USER,
    STAGE,
    as_id,
    as_text,
    delete_deals,
    echo,
)
from .dealstages import STAGE_DEFAULTS, present_stage, stages_of

GROUP_KEYS = ["allgroups", "allusers", "autoassign", "cdate", "currency", "id", "links", "stages"]
GROUP_KEYS += ["title", "udate"]
GROUP_CREATED_KEYS = [*GROUP_KEYS[:5], "dealGroupGroups", "dealGroupUsers", *GROUP_KEYS[5:]]
GROUP_UPDATED_KEYS = [k for k in GROUP_CREATED_KEYS if k != "stages"]

# A new pipeline's stages, as POST /dealGroups shows them.
DEFAULT_STAGES = [("To Contact", "18D499"), ("In Contact", "32B0FC"), ("Follow Up", "E6CE4B")]


def get_group(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, GROUP, rid, not_found("DealGroup", rid))


def _member_presenter(attribute: str):
    def present_member(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
        rid = record.id_str
        path = f"{GROUP}{attribute.capitalize()}s/{rid}"
        links = {name: ctx.link(f"{path}/{name}") for name in ("dealGroup", attribute)}
        body = {**record.data, "id": rid, "links": links}
        return store.project(body, ["cdate", "dealGroup", "id", "links", attribute])

    return present_member


store.presenter(GROUP_USER)(_member_presenter("user"))
store.presenter(GROUP_GROUP)(_member_presenter("group"))


def _group_full(
    ctx: Ctx, record: SandboxRecord, stages: list[SandboxRecord], members: dict[str, list]
) -> dict[str, Any]:
    rid = record.id_str
    links = ["dealGroupGroups", "dealGroupUsers", "stages"]
    return {
        **record.data,
        "dealGroupGroups": [m.id_str for m in members.get(GROUP_GROUP, [])],
        "dealGroupUsers": [m.id_str for m in members.get(GROUP_USER, [])],
        "id": rid,
        "links": {name: ctx.link(f"dealGroups/{rid}/{name}") for name in links},
        "stages": [s.id_str for s in stages],
    }


def _members(ctx: Ctx, group: SandboxRecord) -> dict[str, list[SandboxRecord]]:
    return {
        kind: list(store.records(ctx.account, kind).filter(parent=group.rid).order_by("rid"))
        for kind in (GROUP_USER, GROUP_GROUP)
    }


def _flag(attrs: dict[str, Any], name: str, allowed: set[str]) -> str:
    value = as_text(attrs[name])
    if value not in allowed:
        raise invalid(f"The dealGroup {name} must be one of {', '.join(sorted(allowed))}.", name)
    return value


def _clean_group(ctx: Ctx, attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("title", "currency"):
        if creating or name in attrs:
            value = as_text(attrs.get(name))
            if not value:
                raise missing(f"The dealGroup {name} was not provided.", name)
            changes[name] = value.lower() if name == "currency" else value
    for name, allowed in (
        ("allgroups", {"0", "1"}),
        ("allusers", {"0", "1"}),
        ("autoassign", {"0", "1", "2"}),
    ):
        if name in attrs:
            changes[name] = _flag(attrs, name, allowed)
    return changes


def _set_members(ctx: Ctx, group: SandboxRecord, attrs: dict[str, Any]) -> None:
    """Replace the pipeline's auto-assign users (``users``) and permitted groups (``groups``)."""
    for attribute, kind, related in (
        ("users", GROUP_USER, "user"),
        ("groups", GROUP_GROUP, "group"),
    ):
        if attribute not in attrs:
            continue
        raw = attrs[attribute] or []
        ids = [as_id(v) for v in raw] if isinstance(raw, list) else [None]
        if None in ids:
            raise invalid(f"The dealGroup {attribute} must be a list of ids.", attribute)
        known = set(
            store.records(ctx.account, related).filter(rid__in=ids).values_list("rid", flat=True)
        )
        if unknown := [i for i in ids if i not in known]:
            raise invalid(
                f"The related {related} with id {unknown[0]} does not exist.",
                attribute,
                code="related_missing",
            )
        current = store.records(ctx.account, kind).filter(parent=group.rid)
        current.exclude(key__in=[str(i) for i in ids]).delete()
        kept = set(current.values_list("key", flat=True))
        for member in dict.fromkeys(ids):
            if str(member) not in kept:
                data = {"dealGroup": group.id_str, related: str(member), "cdate": None}
                store.create(ctx.account, kind, data, parent=group.rid, key=str(member))


def _written(
    ctx: Ctx, body: dict[str, Any], attrs: dict[str, Any], members: dict[str, list]
) -> dict[str, Any]:
    """POST/PUT /dealGroups: the pipeline as written, with its members."""
    return {
        "dealGroup": echo(body, attrs, ["allgroups", "allusers", "autoassign"]),
        "dealGroupGroups": [store.present(ctx, m) for m in members[GROUP_GROUP]],
        "dealGroupUsers": [store.present(ctx, m) for m in members[GROUP_USER]],
    }


@route("POST", "dealGroups", "Deal_createPipeline")
def create_group(ctx: Ctx):
    attrs = ctx.envelope("dealGroup")
    now = store.iso(ctx.account)
    data = {"allgroups": "1", "allusers": "0", "autoassign": "1", "cdate": now, "udate": now}
    data.update(_clean_group(ctx, attrs, creating=True))
    group = store.create(ctx.account, GROUP, data)
    _set_members(ctx, group, attrs)
    stages = [
        store.create(
            ctx.account,
            STAGE,
            {**STAGE_DEFAULTS, "color": color, "group": group.id_str, "order": str(n)}
            | {"title": title, "cdate": None, "udate": None},
            parent=group.rid,
        )
        for n, (title, color) in enumerate(DEFAULT_STAGES, start=1)
    ]
    members = _members(ctx, group)
    body = store.project(_group_full(ctx, group, stages, members), GROUP_CREATED_KEYS)
    return {
        **_written(ctx, body, attrs, members),
        "dealStages": [present_stage(ctx, s) for s in stages],
    }


def _group_order(ctx: Ctx, groups: list[SandboxRecord]) -> list[SandboxRecord]:
    """``orders[title]`` and ``orders[popular]`` (deal count, ties by creation), else by id."""
    for name in ("popular", "title"):
        direction = ctx.param(f"orders[{name}]")
        if direction is None:
            continue
        if direction.upper() not in {"ASC", "DESC"}:
            raise ApiError(400, {"message": f"orders[{name}] must be ASC or DESC."})
        if name == "title":
            keys = {g.rid: (g.data["title"].lower(), g.rid) for g in groups}
        else:
            counts = dict(
                store.records(ctx.account, DEAL)
                .values(g=KeyTextTransform("group", "data"))
                .annotate(n=Count("id"))
                .values_list("g", "n")
            )
            keys = {
                g.rid: (counts.get(g.id_str, 0), g.data.get("cdate") or "", g.rid) for g in groups
            }
        return sorted(groups, key=lambda g: keys[g.rid], reverse=direction.upper() == "DESC")
    return groups


@route("GET", "dealGroups", "Deal_getAllPipelines")
def list_groups(ctx: Ctx):
    qs = store.records(ctx.account, GROUP).order_by("rid")
    if title := ctx.param("filters[title]"):
        qs = qs.filter(data__title__icontains=title)
    have_stages = ctx.int_param("filters[have_stages]")
    if have_stages is not None:
        with_stages = store.records(ctx.account, STAGE).values("parent")
        qs = qs.filter(rid__in=with_stages) if have_stages else qs.exclude(rid__in=with_stages)
    # Pipelines are few: order and page them in memory.
    groups = _group_order(ctx, list(qs))
    limit, offset = store.page_bounds(ctx)
    page = groups[offset : offset + limit]
    stages = stages_of(ctx, [g.rid for g in page])
    return {
        "dealGroups": [
            store.project(_group_full(ctx, g, stages[g.rid], {}), GROUP_KEYS) for g in page
        ],
        "dealStages": [present_stage(ctx, s) for g in page for s in stages[g.rid]],
        "meta": {"total": str(len(groups))},
    }


@route("GET", "dealGroups/{id}", "Deal_getPipeline")
def get_group_detail(ctx: Ctx, id: str):
    group = get_group(ctx, id)
    stages = stages_of(ctx, [group.rid])[group.rid]
    return {
        "dealGroup": store.project(_group_full(ctx, group, stages, {}), GROUP_KEYS),
        "dealStages": [present_stage(ctx, s) for s in stages],
    }


@route("PUT", "dealGroups/{id}", "Deal_updatePipeline")
def update_group(ctx: Ctx, id: str):
    group = get_group(ctx, id)
    attrs = ctx.envelope("dealGroup")
    changes = _clean_group(ctx, attrs, creating=False)
    store.update(group, **changes, udate=store.iso(ctx.account))
    _set_members(ctx, group, attrs)
    members = _members(ctx, group)
    body = store.project(_group_full(ctx, group, [], members), GROUP_UPDATED_KEYS)
    return _written(ctx, body, attrs, members)


@route("DELETE", "dealGroups/{id}", "Deal_deletePipeline")
def delete_group(ctx: Ctx, id: str):
    group = get_group(ctx, id)
    # The pipeline's stages and deals go with it.
    delete_deals(ctx, store.records(ctx.account, DEAL).filter(data__group=group.id_str))
    for kind in (STAGE, GROUP_USER, GROUP_GROUP):
        store.records(ctx.account, kind).filter(parent=group.rid).delete()
    group.delete()
    return {}
