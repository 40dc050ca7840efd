"""What the deal modules share: the record kinds of deals (``deals``, ``deallisting``),
pipelines (``pipelines``), stages (``dealstages``), secondary contacts and roles
(``contactdeals``); value helpers; deleting deals with what hangs off them; presenting a deal.

Records: ``deal`` (parent = primary contact id), ``dealGroup`` (a pipeline), ``dealStage``
(parent = pipeline id), ``dealGroupUser``/``dealGroupGroup`` (parent = pipeline id, key = user
or group id), ``contactDeal`` (parent = deal id, key = contact id) and ``dealRole``.
Money: ``value`` is in cents, kept and answered as a string.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid

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


def echo(body: dict[str, Any], attrs: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Write responses repeat the request's values with their JSON types, as the API does."""
    for name in names:
        if name in attrs and name in body:
            body[name] = attrs[name]
    return body


def as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def as_id(value: Any) -> int | None:
    text = as_text(value)
    return int(text) if text.isdigit() else None


def delete_deals(ctx: Ctx, deals: QuerySet[SandboxRecord]) -> None:
    """Delete deals with what hangs off them (secondary contacts, field values, tasks, notes)."""
    ids = deals.values("rid")
    for kind in (CONTACT_DEAL, "dealCustomFieldDatum"):
        store.records(ctx.account, kind).filter(parent__in=ids).delete()
    # Task parents are deal or contact ids: only the deals' own tasks go.
    store.records(ctx.account, "dealTask").filter(parent__in=ids, data__reltype="Deal").delete()
    store.records(ctx.account, "note").filter(parent__in=ids, data__reltype="Deal").delete()
    deals.delete()


def save_all(records: list[SandboxRecord]) -> None:
    """One UPDATE per batch, not per record."""
    SandboxRecord.objects.bulk_update(records, ["data", "parent", "key"], batch_size=500)


def related_missing(attribute: str) -> ApiError:
    """The 422 for an id that names no record of the attribute's kind."""
    return invalid(f"The related {attribute} does not exist.", attribute, code="related_missing")


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
