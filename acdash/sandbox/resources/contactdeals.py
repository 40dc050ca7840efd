"""Secondary contacts of deals (``/contactDeals``, ``GET /contacts/{id}/contactDeals``) and
the roles they can have (``/dealRoles``). Records: ``contactDeal`` (parent = deal id, key =
contact id) and ``dealRole`` (key = lower-cased title).
"""

from typing import Any

from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, invalid, missing, not_found, route
from .contacts import get_contact
from .dealrecords import (
    CONTACT_DEAL,
    DEAL,
    LINKS_12,
    LIST_KEYS,
    ROLE,
    SECONDARY_KEYS,
    as_id,
    as_text,
    echo,
    present,
    related_missing,
    save_all,
)

CONTACT_DEAL_KEYS = ["deal", "contact", "cdate", "links", "id"]
CONTACT_DEAL_UPDATED_KEYS = ["deal", "contact", "role", "cdate", "links", "id"]
CONTACT_DEAL_FULL_KEYS = ["deal", "contact", "role", "cdate", "created_timestamp"]
CONTACT_DEAL_FULL_KEYS += ["updated_timestamp", "created_by", "updated_by", "links", "id"]
ROLE_KEYS = ["title", "created_timestamp", "updated_timestamp", "links", "id"]

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
            if as_text(attrs.get(name)) == "":
                raise missing(f"The contactDeal {name} was not provided.", name)
            if store.find(ctx.account, kind, attrs[name]) is None:
                raise related_missing(name)
            changes[name] = str(as_id(attrs[name]))
    if "role" in attrs:
        role = attrs["role"]
        if as_text(role) != "" and store.find(ctx.account, ROLE, role) is None:
            raise related_missing("role")
        changes["role"] = str(as_id(role)) if as_text(role) else None
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
    body = echo(present_contact_deal(ctx, record, keys), attrs, ["deal", "contact", "role"])
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
    if not (title := as_text(attrs.get("title"))):
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
    save_all(rows)
    role.delete()
    return {}
