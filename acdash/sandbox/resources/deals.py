"""Deals: ``/deals`` create, read, update and delete, ``PATCH /deals/bulkUpdate`` (owners) and
``/dealActivities``. Listing (``GET /deals``) is in ``deallisting``; how a deal is presented, in
``dealrecords``.
"""

import secrets
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .dealrecords import (
    DEAL,
    GROUP,
    GROUP_USER,
    STAGE,
    as_id,
    as_text,
    delete_deals,
    echo,
    present,
    present_detail,
    related_missing,
    save_all,
)
from .dealstages import present_stage, stages_of

# The key set POST/PUT /deals answer with, from the reference's examples.
WRITE_KEYS = ["description", "currency", "percent", "status", "title", "value", "organization"]
WRITE_KEYS += ["contact", "group", "owner", "stage", "cdate", "mdate", "nextdate", "hash"]
WRITE_KEYS += ["winProbability", "winProbabilityMdate", "links", "fields", "id", "isDisabled"]
WRITE_KEYS += ["account", "customerAccount"]

# The primary contact as POST/PUT /deals side-load it.
DEAL_CONTACT_KEYS = ["adate", "bounced_date", "bounced_hard", "bounced_soft", "cdate", "deleted"]
DEAL_CONTACT_KEYS += ["edate", "email", "email_domain", "email_local", "firstName", "gravatar"]
DEAL_CONTACT_KEYS += ["hash", "id", "ip", "lastName", "links", "organization", "orgid", "phone"]
DEAL_CONTACT_KEYS += ["rating_tstamp", "segmentio_id", "sentcnt", "socialdata_lastcheck", "ua"]
DEAL_CONTACT_KEYS += ["udate"]

STATUSES = {"0", "1", "2"}  # open, won, lost


def get_deal(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, DEAL, rid, not_found("Deal", rid))


def _user_exists(ctx: Ctx, user_id: Any) -> bool:
    from .users import find_user  # creates the account's admin (user 1) on first use

    return find_user(ctx, user_id) is not None


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
            raise related_missing("group")
    if "stage" in attrs:
        stage = store.find(ctx.account, STAGE, attrs["stage"])
        if stage is None:
            raise related_missing("stage")
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
        if not (title := as_text(attrs.get("title"))):
            raise missing("The deal title was not provided.", "title")
        changes["title"] = title
    if "description" in attrs:
        changes["description"] = as_text(attrs["description"])
    if "account" in attrs and as_text(attrs["account"]) != "":
        if store.find(ctx.account, "account", attrs["account"]) is None:
            raise related_missing("account")
        changes["organization"] = str(as_id(attrs["account"]))
    if creating or "contact" in attrs:
        if as_text(attrs.get("contact")) == "":
            if not (changes.get("organization") or (deal and deal.data.get("organization"))):
                raise missing("The deal contact was not provided.", "contact")
            changes["contact"] = None
        elif store.find(ctx.account, "contact", attrs["contact"]) is None:
            raise related_missing("contact")
        else:
            changes["contact"] = str(as_id(attrs["contact"]))
    if creating or "value" in attrs:
        raw = attrs.get("value")
        if raw is None or as_text(raw) == "":
            raise missing("The deal value was not provided.", "value")
        if isinstance(raw, bool) or (value := as_id(raw)) is None:
            raise invalid("The deal value must be an integer of 0 or more (in cents).", "value")
        changes["value"] = str(value)
    if creating or "currency" in attrs:
        currency = as_text(attrs.get("currency")).lower()
        if not currency:
            raise missing("The deal currency was not provided.", "currency")
        if len(currency) != 3 or not currency.isalpha():
            raise invalid("The deal currency must be a 3-letter ISO code.", "currency")
        changes["currency"] = currency
    if "status" in attrs:
        if (status := as_text(attrs["status"])) not in STATUSES:
            raise invalid("The deal status must be 0 (open), 1 (won) or 2 (lost).", "status")
        changes["status"] = status
    if "percent" in attrs:
        if attrs["percent"] is not None and as_id(attrs["percent"]) is None:
            raise invalid("The deal percent must be a whole number.", "percent")
        changes["percent"] = str(as_id(attrs["percent"]) or 0)
    if "owner" in attrs and as_text(attrs["owner"]) != "":
        if not _user_exists(ctx, attrs["owner"]):
            raise related_missing("owner")
        changes["owner"] = str(as_id(attrs["owner"]))
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
    body = echo(body, attrs, ["title", "description", "currency", "percent", "status", "value"])
    body = echo(body, attrs, ["group", "owner", "stage"])
    # The API answers the contact and account ids it was given as numbers.
    if as_id(attrs.get("contact")) is not None:
        body["contact"] = as_id(attrs["contact"])
    if as_id(attrs.get("account")) is not None:
        for name in ("organization", "account", "customerAccount"):
            body[name] = as_id(attrs["account"])
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
    from .customfielddata import set_fields

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
    deal = store.create(ctx.account, DEAL, data, parent=as_id(data["contact"]))
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
        deal.parent = as_id(changes["contact"])
    if changes.get("status") in ("1", "2") and changes["status"] != deal.data["status"]:
        # Won or lost now: edate becomes the close date (docs/api-notes.md, "Deal close date").
        changes["edate"] = store.plain(ctx.account)
    store.update(deal, **changes, mdate=store.iso(ctx.account))
    fields = _set_fields(ctx, deal, attrs)
    return _write_response(ctx, deal, attrs, fields)


@route("DELETE", "deals/{id}", "Deal_removeById")
def delete_deal(ctx: Ctx, id: str):
    deal = get_deal(ctx, id)
    delete_deals(ctx, store.records(ctx.account, DEAL).filter(pk=deal.pk))
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
        if as_text(item.get("ownerId")) == "":
            raise _bulk_error(f"ownerId is required for a deal '{item.get('id')}'.")
    owners = {as_id(i["ownerId"]) for i in items}
    users = set(
        store.records(ctx.account, "user")
        .filter(rid__in=owners - {None})
        .values_list("rid", flat=True)
    )
    for item in items:
        if as_id(item["ownerId"]) not in users:
            owner, deal = item["ownerId"], item.get("id")
            raise _bulk_error(f"Owner(user) with id '{owner}' was not found for a deal '{deal}'.")
    wanted = {as_id(i.get("id")) for i in items} - {None}
    deals = {d.rid: d for d in store.records(ctx.account, DEAL).filter(rid__in=wanted)}
    result: dict[str, list[str]] = {"success": [], "nochange": [], "failed": []}
    changed: dict[int, SandboxRecord] = {}
    now = store.iso(ctx.account)
    for item in items:
        deal = deals.get(as_id(item.get("id")))  # type: ignore[arg-type]
        owner = str(as_id(item["ownerId"]))
        if deal is None:
            result["failed"].append(as_text(item.get("id")))
        elif deal.data.get("owner") == owner:
            result["nochange"].append(deal.id_str)
        else:
            deal.data.update(owner=owner, mdate=now)
            changed[deal.rid] = deal
            result["success"].append(deal.id_str)
    save_all(list(changed.values()))
    return result


@route("GET", "dealActivities", "Deal_listActivities")
def list_deal_activities(ctx: Ctx):
    # The sandbox records no deal activity.
    return {"dealActivities": [], "meta": {"total": "0"}}
