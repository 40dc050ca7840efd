"""Deals, pipelines and stages: ``/deals``, ``/dealGroups``, ``/dealStages``, secondary
contacts (``/contactDeals``) and deal roles (``/dealRoles``).

Records: ``deal`` (parent = primary contact id), ``dealGroup`` (a pipeline), ``dealStage``
(parent = pipeline id), ``dealGroupUser``/``dealGroupGroup`` (parent = pipeline id, key = user
or group id), ``contactDeal`` (parent = deal id, key = contact id) and ``dealRole``.
Money: ``value`` is in cents, kept and answered as a string.
"""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .contacts import get_contact

DEAL = "deal"
GROUP = "dealGroup"
STAGE = "dealStage"
GROUP_USER = "dealGroupUser"
GROUP_GROUP = "dealGroupGroup"
CONTACT_DEAL = "contactDeal"
ROLE = "dealRole"

# Deal links: the current set, and the older sets some operations still answer with.
LINKS = ["dealActivities", "contact", "contactDeals", "group", "nextTask", "notes", "account"]
LINKS += ["customerAccount", "organization", "owner", "scoreValues", "stage", "tasks"]
LINKS += ["dealCustomFieldData"]
LINKS_12 = [n for n in LINKS if n not in ("account", "customerAccount")]
LINKS_11 = LINKS_12[:-1]
CONTACT_LINKS = ["activities", *LINKS_11[1:]]

# The key sets each operation returns, from the reference's examples.
_CORE = ["owner", "contact", "organization", "group", "stage", "title", "description", "percent"]
_CORE += ["cdate", "mdate", "nextdate", "nexttaskid", "value", "currency", "winProbability"]
_CORE += ["winProbabilityMdate", "status", "activitycount", "nextdealid", "edate", "links", "id"]
_CORE += ["isDisabled"]
DETAIL_KEYS = [*_CORE, "account", "customerAccount"]
LIST_KEYS = ["hash", *_CORE, "nextTask", "account", "customerAccount"]
CONTACT_DEALS_KEYS = ["hash", *DETAIL_KEYS]
SECONDARY_KEYS = ["hash", *[k for k in _CORE if k != "nextdate"]]
SIDE_KEYS = ["owner", "contact", "organization", "group", "title", "nexttaskid", "currency"]
SIDE_KEYS += ["status", "links", "id", "nextTask"]
WRITE_KEYS = ["description", "currency", "percent", "status", "title", "value", "organization"]
WRITE_KEYS += ["contact", "group", "owner", "stage", "cdate", "mdate", "nextdate", "hash"]
WRITE_KEYS += ["winProbability", "winProbabilityMdate", "links", "fields", "id", "isDisabled"]
WRITE_KEYS += ["account", "customerAccount"]
MOVED_KEYS = ["activitycount", "cdate", "contact", "currency", "edate", "group", "hash", "id"]
MOVED_KEYS += ["links", "mdate", "nextTask", "nextdealid", "nexttaskid", "organization", "owner"]
MOVED_KEYS += ["percent", "stage", "status", "title", "value"]
# The primary contact as POST/PUT /deals side-load it.
DEAL_CONTACT_KEYS = ["adate", "bounced_date", "bounced_hard", "bounced_soft", "cdate", "deleted"]
DEAL_CONTACT_KEYS += ["edate", "email", "email_domain", "email_local", "firstName", "gravatar"]
DEAL_CONTACT_KEYS += ["hash", "id", "ip", "lastName", "links", "organization", "orgid", "phone"]
DEAL_CONTACT_KEYS += ["rating_tstamp", "segmentio_id", "sentcnt", "socialdata_lastcheck", "ua"]
DEAL_CONTACT_KEYS += ["udate"]

GROUP_KEYS = ["allgroups", "allusers", "autoassign", "cdate", "currency", "id", "links", "stages"]
GROUP_KEYS += ["title", "udate"]
GROUP_CREATED_KEYS = [*GROUP_KEYS[:5], "dealGroupGroups", "dealGroupUsers", *GROUP_KEYS[5:]]
GROUP_UPDATED_KEYS = [k for k in GROUP_CREATED_KEYS if k != "stages"]
STAGE_KEYS = ["cardRegion1", "cardRegion2", "cardRegion3", "cardRegion4", "cardRegion5"]
STAGE_KEYS += ["cdate", "color", "dealOrder", "group", "id", "links", "order", "title", "udate"]
STAGE_KEYS += ["width"]
CONTACT_DEAL_KEYS = ["deal", "contact", "cdate", "links", "id"]
CONTACT_DEAL_UPDATED_KEYS = ["deal", "contact", "role", "cdate", "links", "id"]
CONTACT_DEAL_FULL_KEYS = ["deal", "contact", "role", "cdate", "created_timestamp"]
CONTACT_DEAL_FULL_KEYS += ["updated_timestamp", "created_by", "updated_by", "links", "id"]
ROLE_KEYS = ["title", "created_timestamp", "updated_timestamp", "links", "id"]

# A new pipeline's stages, as POST /dealGroups shows them.
DEFAULT_STAGES = [("To Contact", "18D499"), ("In Contact", "32B0FC"), ("Follow Up", "E6CE4B")]
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
STATUSES = {"0", "1", "2"}  # open, won, lost


def _echo(body: dict[str, Any], attrs: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Write responses repeat the request's values with their JSON types, as the API does."""
    for name in names:
        if name in attrs and name in body:
            body[name] = attrs[name]
    return body


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _id(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() else None


def _user_exists(ctx: Ctx, user_id: Any) -> bool:
    from .users import find_user  # creates the account's admin (user 1) on first use

    return find_user(ctx, user_id) is not None


def _delete_deals(ctx: Ctx, deals: QuerySet[SandboxRecord]) -> None:
    """Delete deals with what hangs off them (secondary contacts, field values, tasks, notes)."""
    ids = deals.values("rid")
    for kind in (CONTACT_DEAL, "dealCustomFieldDatum"):
        store.records(ctx.account, kind).filter(parent__in=ids).delete()
    # Task parents are deal or contact ids: only the deals' own tasks go.
    store.records(ctx.account, "dealTask").filter(parent__in=ids, data__reltype="Deal").delete()
    store.records(ctx.account, "note").filter(parent__in=ids, data__reltype="Deal").delete()
    deals.delete()


def _save_all(records: list[SandboxRecord]) -> None:
    """One UPDATE per batch, not per record."""
    SandboxRecord.objects.bulk_update(records, ["data", "parent", "key"], batch_size=500)


# Presenting deals ----------------------------------------------------------------------


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    data = record.data
    task = data.get("nexttaskid")
    return {
        "hash": data.get("hash") or f"{record.rid:08x}",
        "isDisabled": False,
        "account": data.get("organization"),
        "customerAccount": data.get("organization"),
        **data,
        "links": {name: ctx.link(f"deals/{rid}/{name}") for name in [*LINKS, "activities"]},
        "id": rid,
        "nextTask": task if task not in (None, "", "0") else None,
    }


def present(
    ctx: Ctx, record: SandboxRecord, keys: list[str], links: list[str] = LINKS
) -> dict[str, Any]:
    body = store.project(full(ctx, record), keys)
    if "links" in body:
        body["links"] = {name: body["links"][name] for name in links}
    return body


@store.presenter(DEAL)
def present_detail(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /deals/{id} answers it."""
    return present(ctx, record, DETAIL_KEYS)


@store.presenter(DEAL, "contact")
def present_for_contact(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /contacts/{id} side-loads it."""
    return present(ctx, record, SIDE_KEYS, CONTACT_LINKS)


@store.presenter(DEAL, "contactDeals")
def present_for_contact_deals(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /contacts/{id}/deals lists it."""
    return present(ctx, record, CONTACT_DEALS_KEYS)


def present_listed(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /deals lists it: ``nextTask`` only when the deal has one (as the examples show)."""
    body = present(ctx, record, LIST_KEYS)
    if body["nextTask"] is None:
        del body["nextTask"]
    return body


def get_deal(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, DEAL, rid, not_found("Deal", rid))


# Pipelines and stages --------------------------------------------------------------------


def get_group(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, GROUP, rid, not_found("DealGroup", rid))


def get_stage(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, STAGE, rid, not_found("DealStage", rid))


def _stage_sort(stage: SandboxRecord) -> tuple[int, int]:
    return _id(stage.data.get("order")) or 0, stage.rid


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
    value = _text(attrs[name])
    if value not in allowed:
        raise invalid(f"The dealGroup {name} must be one of {', '.join(sorted(allowed))}.", name)
    return value


def _clean_group(ctx: Ctx, attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("title", "currency"):
        if creating or name in attrs:
            value = _text(attrs.get(name))
            if not value:
                raise missing(f"The dealGroup {name} was not provided.", name)
            changes[name] = value.lower() if name == "currency" else value
    for name, allowed in (("allgroups", {"0", "1"}), ("allusers", {"0", "1"})):
        if name in attrs:
            changes[name] = _flag(attrs, name, allowed)
    if "autoassign" in attrs:
        changes["autoassign"] = _flag(attrs, "autoassign", {"0", "1", "2"})
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
        ids = [_id(v) for v in raw] if isinstance(raw, list) else [None]
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
        "dealGroup": _echo(body, attrs, ["allgroups", "allusers", "autoassign"]),
        "dealGroupGroups": [store.present(ctx, m) for m in members[GROUP_GROUP]],
        "dealGroupUsers": [store.present(ctx, m) for m in members[GROUP_USER]],
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
    return {
        "dealGroup": _echo(body, attrs, ["allgroups", "allusers", "autoassign"]),
        "dealGroupGroups": [store.present(ctx, m) for m in members[GROUP_GROUP]],
        "dealGroupUsers": [store.present(ctx, m) for m in members[GROUP_USER]],
    }


@route("DELETE", "dealGroups/{id}", "Deal_deletePipeline")
def delete_group(ctx: Ctx, id: str):
    group = get_group(ctx, id)
    # The pipeline's stages and deals go with it.
    _delete_deals(ctx, store.records(ctx.account, DEAL).filter(data__group=group.id_str))
    for kind in (STAGE, GROUP_USER, GROUP_GROUP):
        store.records(ctx.account, kind).filter(parent=group.rid).delete()
    group.delete()
    return {}


def _clean_stage(ctx: Ctx, attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if creating or "title" in attrs:
        if not (title := _text(attrs.get("title"))):
            raise missing("The dealStage title was not provided.", "title")
        changes["title"] = title
    if creating or "group" in attrs:
        if _text(attrs.get("group")) == "":
            raise missing("The dealStage group was not provided.", "group")
        group = store.find(ctx.account, GROUP, attrs["group"])
        if group is None:
            raise invalid("The related group does not exist.", "group", code="related_missing")
        changes["group"] = group.id_str
    for name in ("order", "width"):
        if name in attrs:
            if (number := _id(attrs[name])) is None:
                raise invalid(f"The dealStage {name} must be a whole number.", name)
            changes[name] = str(number)
    for name in ("color", "dealOrder", *(f"cardRegion{n}" for n in range(1, 6))):
        if name in attrs:
            changes[name] = _text(attrs[name])
    return changes


def _reorder(ctx: Ctx, group_id: int) -> None:
    """``reorder=1``: number the pipeline's stages 1..n; on equal orders the newest goes first."""
    stages = sorted(
        store.records(ctx.account, STAGE).filter(parent=group_id),
        key=lambda s: (_id(s.data.get("order")) or 0, -s.rid),
    )
    for n, stage in enumerate(stages, start=1):
        stage.data["order"] = str(n)
    _save_all(stages)


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
    if ctx.int_param("reorder") == 1:
        _reorder(ctx, group_id)
        stage.refresh_from_db()
    return {"dealStage": _echo(present_stage(ctx, stage), attrs, ["order", "width"])}


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
        _save_all(deals)
        stage.parent = int(changes["group"])
    store.update(stage, **changes, udate=store.iso(ctx.account))
    if ctx.int_param("reorder") == 1:
        _reorder(ctx, stage.parent)
        stage.refresh_from_db()
    return {"dealStage": _echo(present_stage(ctx, stage), attrs, ["order", "width"])}


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
    _save_all(deals)
    return {"deals": [present(ctx, d, MOVED_KEYS, LINKS_11) for d in deals]}


# Deals -----------------------------------------------------------------------------------


def _owner_for(ctx: Ctx, group: SandboxRecord) -> str:
    """Auto-assign (round robin over the pipeline's users, or all users) when no owner is given."""
    if group.data.get("autoassign", "1") == "0":
        raise missing("The deal owner was not provided.", "owner")
    if group.data.get("allusers") == "1":
        pool = list(
            store.records(ctx.account, "user").order_by("rid").values_list("rid", flat=True)
        )
    else:
        members = store.records(ctx.account, GROUP_USER).filter(parent=group.rid)
        pool = sorted(int(k) for k in members.values_list("key", flat=True))
    if not pool:
        raise missing("The deal owner was not provided.", "owner")
    assigned = store.records(ctx.account, DEAL).filter(data__group=group.id_str).count()
    return str(pool[assigned % len(pool)])


def _placement(
    ctx: Ctx, attrs: dict[str, Any], deal: SandboxRecord | None
) -> tuple[SandboxRecord, SandboxRecord]:
    """The deal's pipeline and stage; the stage must belong to the pipeline."""
    group = stage = None
    if "group" in attrs:
        group = store.find(ctx.account, GROUP, attrs["group"])
        if group is None:
            raise invalid("The related group does not exist.", "group", code="related_missing")
    if "stage" in attrs:
        stage = store.find(ctx.account, STAGE, attrs["stage"])
        if stage is None:
            raise invalid("The related stage does not exist.", "stage", code="related_missing")
    if deal is None and group is None and stage is None:
        raise missing("The deal group was not provided.", "group")
    if deal is not None:
        group = group or store.find(ctx.account, GROUP, deal.data.get("group"))
        if stage is None and "group" in attrs:
            stage = store.find(ctx.account, STAGE, deal.data.get("stage"))
    if group is None:
        group = store.find(ctx.account, GROUP, stage.parent)
    if stage is None:
        stages = stages_of(ctx, [group.rid])[group.rid]
        if not stages:
            raise invalid("The deal's pipeline has no stages.", "stage")
        stage = stages[0]
    if stage.parent != group.rid:
        raise invalid(
            "The deal stage does not belong to the deal's pipeline.",
            "stage",
            detail=f"Stage {stage.rid} belongs to pipeline {stage.parent}, not {group.rid}.",
        )
    return group, stage


def _clean_deal(ctx: Ctx, attrs: dict[str, Any], deal: SandboxRecord | None) -> dict[str, Any]:
    """Validate a deal payload; 422 on the first bad attribute."""
    creating = deal is None
    changes: dict[str, Any] = {}
    if creating or "title" in attrs:
        if not (title := _text(attrs.get("title"))):
            raise missing("The deal title was not provided.", "title")
        changes["title"] = title
    if "description" in attrs:
        changes["description"] = _text(attrs["description"])
    if "account" in attrs and _text(attrs["account"]) != "":
        if store.find(ctx.account, "account", attrs["account"]) is None:
            raise invalid("The related account does not exist.", "account", code="related_missing")
        changes["organization"] = str(_id(attrs["account"]))
    if creating or "contact" in attrs:
        if _text(attrs.get("contact")) == "":
            if not (changes.get("organization") or (deal and deal.data.get("organization"))):
                raise missing("The deal contact was not provided.", "contact")
            changes["contact"] = None
        elif store.find(ctx.account, "contact", attrs["contact"]) is None:
            raise invalid("The related contact does not exist.", "contact", code="related_missing")
        else:
            changes["contact"] = str(_id(attrs["contact"]))
    if creating or "value" in attrs:
        raw = attrs.get("value")
        if raw is None or _text(raw) == "":
            raise missing("The deal value was not provided.", "value")
        if isinstance(raw, bool) or (value := _id(raw)) is None:
            raise invalid("The deal value must be an integer of 0 or more (in cents).", "value")
        changes["value"] = str(value)
    if creating or "currency" in attrs:
        currency = _text(attrs.get("currency")).lower()
        if not currency:
            raise missing("The deal currency was not provided.", "currency")
        if len(currency) != 3 or not currency.isalpha():
            raise invalid("The deal currency must be a 3-letter ISO code.", "currency")
        changes["currency"] = currency
    if "status" in attrs:
        if (status := _text(attrs["status"])) not in STATUSES:
            raise invalid("The deal status must be 0 (open), 1 (won) or 2 (lost).", "status")
        changes["status"] = status
    if "percent" in attrs:
        if attrs["percent"] is not None and _id(attrs["percent"]) is None:
            raise invalid("The deal percent must be a whole number.", "percent")
        changes["percent"] = str(_id(attrs["percent"]) or 0)
    if "owner" in attrs and _text(attrs["owner"]) != "":
        if not _user_exists(ctx, attrs["owner"]):
            raise invalid("The related owner does not exist.", "owner", code="related_missing")
        changes["owner"] = str(_id(attrs["owner"]))
    if creating or "group" in attrs or "stage" in attrs:
        group, stage = _placement(ctx, attrs, deal)
        changes.update(group=group.id_str, stage=stage.id_str)
        if creating and "owner" not in changes:
            changes["owner"] = _owner_for(ctx, group)
    return changes


def _write_response(
    ctx: Ctx, deal: SandboxRecord, attrs: dict[str, Any], fields: list[SandboxRecord]
) -> dict[str, Any]:
    """POST/PUT /deals: the deal as written, its primary contact and its stage."""
    body = present(ctx, deal, [k for k in WRITE_KEYS if k != "fields"])
    body = _echo(body, attrs, ["title", "description", "currency", "percent", "status", "value"])
    body = _echo(body, attrs, ["group", "owner", "stage"])
    # The API answers the contact and account ids it was given as numbers.
    if _id(attrs.get("contact")) is not None:
        body["contact"] = _id(attrs["contact"])
    if _id(attrs.get("account")) is not None:
        for name in ("organization", "account", "customerAccount"):
            body[name] = _id(attrs["account"])
    body["fields"] = [store.present(ctx, f, "field") for f in fields]
    body = store.project(body, WRITE_KEYS)
    contact = store.find(ctx.account, "contact", deal.data.get("contact"))
    stage = store.find(ctx.account, STAGE, deal.data.get("stage"))
    return {
        "contacts": [store.project(store.present(ctx, contact), DEAL_CONTACT_KEYS)]
        if contact
        else [],
        "deal": body,
        "dealStages": [present_stage(ctx, stage)] if stage else [],
    }


def _set_fields(ctx: Ctx, deal: SandboxRecord, attrs: dict[str, Any]) -> list[SandboxRecord]:
    from .customfields import set_fields

    return set_fields(ctx, "deal", deal.rid, attrs.get("fields"))


@route("POST", "deals", "Deal_newDealCreation")
def create_deal(ctx: Ctx):
    attrs = ctx.envelope("deal")
    changes = _clean_deal(ctx, attrs, None)
    now = store.iso(ctx.account)
    data = {
        "hash": secrets.token_hex(4),
        "owner": None,
        "contact": None,
        "organization": None,
        "group": None,
        "stage": None,
        "title": "",
        "description": "",
        "percent": "0",
        "cdate": now,
        "mdate": now,
        "nextdate": None,
        "nexttaskid": "0",
        "value": "0",
        "currency": "usd",
        "winProbability": None,
        "winProbabilityMdate": None,
        "status": "0",
        "activitycount": "0",
        "nextdealid": None,
        "edate": None,
        "isDisabled": False,
    }
    data.update(changes)
    data["account"] = data["customerAccount"] = data["organization"]
    deal = store.create(ctx.account, DEAL, data, parent=_id(data["contact"]))
    store.update(deal, nextdealid=deal.id_str)
    fields = _set_fields(ctx, deal, attrs)
    return 201, _write_response(ctx, deal, attrs, fields)


@route("GET", "deals/{id}", "Deal_getDeal")
def get_deal_detail(ctx: Ctx, id: str):
    return {"deal": present_detail(ctx, get_deal(ctx, id))}


@route("PUT", "deals/{id}", "Deal_updateExistingDeal")
def update_deal(ctx: Ctx, id: str):
    deal = get_deal(ctx, id)
    attrs = ctx.envelope("deal")
    changes = _clean_deal(ctx, attrs, deal)
    if "organization" in changes:
        changes["account"] = changes["customerAccount"] = changes["organization"]
    if "contact" in changes:
        deal.parent = _id(changes["contact"])
    store.update(deal, **changes, mdate=store.iso(ctx.account))
    fields = _set_fields(ctx, deal, attrs)
    return _write_response(ctx, deal, attrs, fields)


@route("DELETE", "deals/{id}", "Deal_removeById")
def delete_deal(ctx: Ctx, id: str):
    deal = get_deal(ctx, id)
    _delete_deals(ctx, store.records(ctx.account, DEAL).filter(pk=deal.pk))
    return {}


def _bulk_error(title: str) -> ApiError:
    return ApiError(422, {"errors": [{"status": 422, "title": title}]})


@route("PATCH", "deals/bulkUpdate", "Deal_bulkUpdateOwners")
def bulk_update_owners(ctx: Ctx):
    """Reassign owners of many deals: one query for the deals, one for the users, one UPDATE
    per 500 deals. A bad owner rejects the whole request; unknown deals are listed as failed."""
    body = ctx.body
    items = body.get("deals") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _bulk_error("deals must be a list of {id, ownerId} objects.")
    for item in items:
        if _text(item.get("ownerId")) == "":
            raise _bulk_error(f"ownerId is required for a deal '{item.get('id')}'.")
    owners = {_id(i["ownerId"]) for i in items}
    users = set(
        store.records(ctx.account, "user")
        .filter(rid__in=owners - {None})
        .values_list("rid", flat=True)
    )
    for item in items:
        if _id(item["ownerId"]) not in users:
            owner, deal = item["ownerId"], item.get("id")
            raise _bulk_error(f"Owner(user) with id '{owner}' was not found for a deal '{deal}'.")
    wanted = {_id(i.get("id")) for i in items} - {None}
    deals = {d.rid: d for d in store.records(ctx.account, DEAL).filter(rid__in=wanted)}
    result: dict[str, list[str]] = {"success": [], "nochange": [], "failed": []}
    changed: dict[int, SandboxRecord] = {}
    now = store.iso(ctx.account)
    for item in items:
        deal = deals.get(_id(item.get("id")))  # type: ignore[arg-type]
        owner = str(_id(item["ownerId"]))
        if deal is None:
            result["failed"].append(_text(item.get("id")))
        elif deal.data.get("owner") == owner:
            result["nochange"].append(deal.id_str)
        else:
            deal.data.update(owner=owner, mdate=now)
            changed[deal.rid] = deal
            result["success"].append(deal.id_str)
    _save_all(list(changed.values()))
    return result


@route("GET", "dealActivities", "Deal_listActivities")
def list_deal_activities(ctx: Ctx):
    # The sandbox records no deal activity.
    return {"dealActivities": [], "meta": {"total": "0"}}


# Listing deals -----------------------------------------------------------------------------


def _contacts(ctx: Ctx, query: Q) -> QuerySet:
    return store.records(ctx.account, "contact").filter(query).values("rid")


def _search(ctx: Ctx, qs: QuerySet[SandboxRecord], text: str) -> QuerySet[SandboxRecord]:
    """``filters[search]`` over ``filters[search_field]``: all (default), title, contact, org."""
    field = ctx.param("filters[search_field]", "all")
    if field not in {"all", "title", "contact", "org"}:
        raise ApiError(
            400, {"message": "filters[search_field] must be all, title, contact or org."}
        )
    first, _, rest = text.strip().partition(" ")
    name = Q(data__firstName__icontains=first)
    if rest.strip():
        name &= Q(data__lastName__icontains=rest.strip())
    elif field == "all":
        name |= Q(data__lastName__icontains=first)
    matches = {
        "title": Q(data__title__icontains=text),
        "contact": Q(parent__in=_contacts(ctx, name)),
        "org": Q(parent__in=_contacts(ctx, Q(data__orgname__icontains=text))),
    }
    if field != "all":
        return qs.filter(matches[field])
    return qs.filter(matches["title"] | matches["contact"] | matches["org"])


def _nextdate_range(ctx: Ctx, qs: QuerySet[SandboxRecord], kind: str) -> QuerySet[SandboxRecord]:
    """Deals by their next task's due date: upcoming (24 h), scheduled, overdue, no-task."""
    no_task = Q(data__nextdate=None) | Q(data__nextdate__isnull=True)
    if kind == "no-task":
        return qs.filter(no_task)
    if kind not in {"upcoming", "scheduled", "overdue"}:
        raise ApiError(400, {"message": "filters[nextdate_range] is not a known range."})
    now = timezone.now()
    soon = now + timedelta(hours=24)
    keep = []
    dues = qs.exclude(no_task).values_list("rid", KeyTextTransform("nextdate", "data"))
    for rid, due in dues:
        moment = datetime.fromisoformat(due)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, ctx.tz)
        if (
            (kind == "overdue" and moment < now)
            or (kind == "upcoming" and now <= moment < soon)
            or (kind == "scheduled" and moment >= soon)
        ):
            keep.append(rid)
    return qs.filter(rid__in=keep)


def _score_filter(ctx: Ctx, name: str) -> bool:
    """``<score_id>:<value>`` filters; the sandbox keeps no deal scores, so nothing matches."""
    value = ctx.param(f"filters[{name}]")
    if value is None:
        return False
    score_id, _, score = value.partition(":")
    if not score_id.isdigit() or not score.strip():
        raise ApiError(400, {"message": f"filters[{name}] must be <score_id>:<score_value>."})
    return True


def filter_deals(ctx: Ctx) -> QuerySet[SandboxRecord]:
    qs = store.records(ctx.account, DEAL)
    if search := ctx.param("filters[search]"):
        qs = _search(ctx, qs, search)
    if title := ctx.param("filters[title]"):
        qs = qs.filter(data__title__icontains=title)
    for name in ("stage", "group", "status", "owner"):
        if (value := ctx.int_param(f"filters[{name}]")) is not None:
            qs = qs.filter(**{f"data__{name}": str(value)})
    if nextdate_range := ctx.param("filters[nextdate_range]"):
        qs = _nextdate_range(ctx, qs, nextdate_range)
    if (tag := ctx.int_param("filters[tag]")) is not None:
        tagged = store.records(ctx.account, "contactTag")
        if tag > 0:
            qs = qs.filter(parent__in=tagged.filter(key=str(tag)).values("parent"))
        elif tag == -1:
            qs = qs.filter(parent__in=tagged.values("parent"))
        elif tag == -2:
            qs = qs.exclude(parent__in=tagged.values("parent"))
    if tasktype := ctx.param("filters[tasktype]"):
        tasks = store.records(ctx.account, "dealTask").filter(
            data__dealTasktype=tasktype, data__reltype="Deal"
        )
        qs = qs.filter(rid__in=tasks.values("parent"))
    for name, lookup in (
        ("created_before", "data__cdate__lt"),
        ("created_after", "data__cdate__gte"),
        ("updated_before", "data__mdate__lt"),
        ("updated_after", "data__mdate__gte"),
    ):
        if value := ctx.param(f"filters[{name}]"):
            qs = qs.filter(**{lookup: value})
    if (organization := ctx.int_param("filters[organization]")) is not None:
        members = store.records(ctx.account, "accountContact").filter(key=str(organization))
        qs = qs.filter(
            Q(data__organization=str(organization)) | Q(parent__in=members.values("parent"))
        )
    cents = Cast(KeyTextTransform("value", "data"), BigIntegerField())
    qs = qs.annotate(cents=cents)
    # Bounds are whole dollars; values are cents.
    if (minimum := ctx.int_param("filters[minimum_value]")) is not None:
        qs = qs.filter(cents__gte=minimum * 100)
    if (maximum := ctx.int_param("filters[maximum_value]")) is not None:
        qs = qs.filter(cents__lte=maximum * 100)
    if any(_score_filter(ctx, n) for n in ("score_greater_than", "score_less_than", "score")):
        qs = qs.none()
    return qs


def _contact_attribute(ctx: Ctx, name: str) -> Subquery:
    contact = store.records(ctx.account, "contact").filter(rid=OuterRef("parent"))
    return Subquery(contact.annotate(v=Lower(KeyTextTransform(name, "data"))).values("v")[:1])


def order_deals(ctx: Ctx, qs: QuerySet[SandboxRecord]) -> QuerySet[SandboxRecord]:
    """``orders[...]`` in the order the query string gives them, then by id."""
    now = store.iso(ctx.account)
    sortable = {
        "title": Lower(KeyTextTransform("title", "data")),
        "value": "cents",
        "cdate": KeyTextTransform("cdate", "data"),
        "contact_name": _contact_attribute(ctx, "firstName"),
        "contact_orgname": _contact_attribute(ctx, "orgname"),
    }
    ordering: list[Any] = []
    for param in ctx.query:
        if not (param.startswith("orders[") and param.endswith("]")):
            continue
        name = param[7:-1]
        direction = (ctx.param(param) or "ASC").upper()
        if name not in {*sortable, "next-action"} or direction not in {"ASC", "DESC"}:
            raise ApiError(400, {"message": f"{param} is not a known order or not ASC/DESC."})
        if name == "next-action":
            # Due tasks by date first, then deals with no task, then overdue ones.
            nextdate = KeyTextTransform("nextdate", "data")
            bucket = Case(
                When(Q(data__nextdate=None) | Q(data__nextdate__isnull=True), then=Value(1)),
                When(data__nextdate__lt=now, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            )
            qs = qs.annotate(next_bucket=bucket, next_due=nextdate)
            terms: list[Any] = ["next_bucket", "next_due"]
        else:
            alias = f"order_{name}"
            expression = sortable[name]
            qs = qs.annotate(**{alias: expression}) if not isinstance(expression, str) else qs
            terms = [expression if isinstance(expression, str) else alias]
        ordering += [f"-{t}" if direction == "DESC" else t for t in terms]
    return qs.order_by(*ordering, "rid")


def _currencies(qs: QuerySet[SandboxRecord]) -> dict[str, dict[str, str]]:
    """``meta.currencies``: count and summed value per currency of the whole result."""
    rows = (
        qs.order_by()
        .values(code=KeyTextTransform("currency", "data"))
        .annotate(n=Count("id"), total=Sum("cents"))
    )
    return {
        (row["code"] or "").upper(): {
            "currency": (row["code"] or "").upper(),
            "total": str(row["n"]),
            "value": str(row["total"] or 0),
        }
        for row in rows
    }


@route("GET", "deals", "Deal_getAll")
def list_deals(ctx: Ctx):
    qs = filter_deals(ctx)
    body, _ = store.paged(ctx, order_deals(ctx, qs), "deals", present_listed, meta=False)
    # This operation's example gives meta.total as a number.
    body["meta"] = {"currencies": _currencies(qs), "total": qs.count()}
    return body


# Secondary contacts ------------------------------------------------------------------------


def get_contact_deal(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, CONTACT_DEAL, rid, not_found("SubscriberDeal", rid))


def _contact_deal_full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"contactDeals/{rid}/{name}") for name in ("deal", "contact", "role")}
    return {**record.data, "links": links, "id": rid}


def present_contact_deal(ctx: Ctx, record: SandboxRecord, keys: list[str]) -> dict[str, Any]:
    body = store.project(_contact_deal_full(ctx, record), keys)
    if "created_timestamp" not in keys:
        del body["links"]["role"]
    return body


@store.presenter(CONTACT_DEAL)
def present_contact_deal_default(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return present_contact_deal(ctx, record, CONTACT_DEAL_KEYS)


def _clean_contact_deal(
    ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, kind in (("deal", DEAL), ("contact", "contact")):
        if record is None or name in attrs:
            if _text(attrs.get(name)) == "":
                raise missing(f"The contactDeal {name} was not provided.", name)
            if store.find(ctx.account, kind, attrs[name]) is None:
                raise invalid(f"The related {name} does not exist.", name, code="related_missing")
            changes[name] = str(_id(attrs[name]))
    if "role" in attrs:
        role = attrs["role"]
        if _text(role) != "" and store.find(ctx.account, ROLE, role) is None:
            raise invalid("The related role does not exist.", "role", code="related_missing")
        changes["role"] = str(_id(role)) if _text(role) else None
    deal_id = changes.get("deal") or record.data["deal"]  # type: ignore[union-attr]
    contact_id = changes.get("contact") or record.data["contact"]  # type: ignore[union-attr]
    deal = store.find(ctx.account, DEAL, deal_id)
    clash = store.records(ctx.account, CONTACT_DEAL).filter(parent=int(deal_id), key=contact_id)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    # The primary contact counts as associated too.
    if clash.exists() or deal.data.get("contact") == contact_id:  # type: ignore[union-attr]
        raise invalid("The given contact is already associated to the deal", "contact")
    return changes


def _contact_deal_response(
    ctx: Ctx, record: SandboxRecord, attrs: dict[str, Any], keys: list[str]
) -> dict[str, Any]:
    deal = store.find(ctx.account, DEAL, record.data["deal"])
    body = _echo(present_contact_deal(ctx, record, keys), attrs, ["deal", "contact", "role"])
    return {"deals": [present(ctx, deal, SECONDARY_KEYS, LINKS_12)], "contactDeal": body}


@route("POST", "contactDeals", "Deal_createSecondaryContact")
def create_contact_deal(ctx: Ctx):
    attrs = ctx.envelope("contactDeal")
    changes = _clean_contact_deal(ctx, attrs, None)
    data = {"deal": changes["deal"], "contact": changes["contact"], "role": changes.get("role")}
    data |= {
        "cdate": store.iso(ctx.account),
        "created_timestamp": store.plain(ctx.account),
        "updated_timestamp": store.plain(ctx.account),
        "created_by": None,
        "updated_by": None,
    }
    record = store.create(
        ctx.account, CONTACT_DEAL, data, parent=int(data["deal"]), key=data["contact"]
    )
    return _contact_deal_response(ctx, record, attrs, CONTACT_DEAL_KEYS)


@route("GET", "contactDeals", "Deal_listAllSecondaryContacts")
def list_contact_deals(ctx: Ctx):
    qs = store.records(ctx.account, CONTACT_DEAL).order_by("rid")
    body, _ = store.paged(ctx, qs, "contactDeals", present_contact_deal_default)
    return body


@route("GET", "contactDeals/{id}", "Deal_getSecondaryContact")
def get_contact_deal_detail(ctx: Ctx, id: str):
    return {"contactDeal": present_contact_deal_default(ctx, get_contact_deal(ctx, id))}


@route("PUT", "contactDeals/{id}", "Deal_updateSecondaryContact")
def update_contact_deal(ctx: Ctx, id: str):
    record = get_contact_deal(ctx, id)
    attrs = ctx.envelope("contactDeal")
    changes = _clean_contact_deal(ctx, attrs, record)
    record.parent = int(changes.get("deal", record.data["deal"]))
    record.key = changes.get("contact", record.data["contact"])
    store.update(record, **changes, updated_timestamp=store.plain(ctx.account))
    return _contact_deal_response(ctx, record, attrs, CONTACT_DEAL_UPDATED_KEYS)


@route("DELETE", "contactDeals/{id}", "Deal_deleteSecondaryContact")
def delete_contact_deal(ctx: Ctx, id: str):
    get_contact_deal(ctx, id).delete()
    return {}


@route("GET", "contacts/{id}/contactDeals", "Deal_getContactDeals")
def contact_contact_deals(ctx: Ctx, id: str):
    """The contact's secondary-contact rows, their deals and those deals' primary contacts."""
    contact = get_contact(ctx, id)
    rows = list(store.records(ctx.account, CONTACT_DEAL).filter(key=contact.id_str).order_by("rid"))
    deals = list(store.records(ctx.account, DEAL).filter(rid__in=[r.parent for r in rows]))
    primaries = store.records(ctx.account, "contact").filter(rid__in=[d.parent for d in deals])
    return {
        "contacts": [store.present(ctx, c, "contactDeals") for c in primaries.order_by("rid")],
        "deals": [present(ctx, d, LIST_KEYS) for d in sorted(deals, key=lambda d: d.rid)],
        "contactDeals": [present_contact_deal(ctx, r, CONTACT_DEAL_FULL_KEYS) for r in rows],
    }


# Deal roles --------------------------------------------------------------------------------


@store.presenter(ROLE)
def present_role(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {"contactDeals": ctx.link(f"dealRoles/{rid}/contactDeals")}
    return store.project({**record.data, "links": links, "id": rid}, ROLE_KEYS)


@route("GET", "dealRoles", "Deal_listAllRoles")
def list_roles(ctx: Ctx):
    qs = store.records(ctx.account, ROLE)
    if search := ctx.param("search"):
        qs = qs.filter(data__title__icontains=search)
    qs = qs.annotate(lower_title=Lower(KeyTextTransform("title", "data"))).order_by(
        "lower_title", "rid"
    )
    body, _ = store.paged(ctx, qs, "dealRoles", present_role)
    return body


@route("POST", "dealRoles", "Deal_roleCreation")
def create_role(ctx: Ctx):
    body = ctx.body if isinstance(ctx.body, dict) else {}
    # The documented body is {"title": …}; the usual {"dealRole": {…}} envelope works too.
    attrs = body["dealRole"] if isinstance(body.get("dealRole"), dict) else body
    if not (title := _text(attrs.get("title"))):
        raise missing("The dealRole title was not provided.", "title")
    if store.records(ctx.account, ROLE).filter(key=title.lower()).exists():
        raise invalid("A deal role with this title already exists.", "title", code="duplicate")
    now = store.iso(ctx.account)
    data = {"title": title, "created_timestamp": now, "updated_timestamp": now}
    return {"dealRole": present_role(ctx, store.create(ctx.account, ROLE, data, key=title.lower()))}


@route("DELETE", "dealRoles/{id}", "Deal_deleteRole")
def delete_role(ctx: Ctx, id: str):
    role = store.get_or_404(ctx.account, ROLE, id, not_found("DealRole", id))
    # Secondary contacts keep their association, without the role.
    rows = list(store.records(ctx.account, CONTACT_DEAL).filter(data__role=role.id_str))
    for row in rows:
        row.data["role"] = None
    _save_all(rows)
    role.delete()
    return {}
