"""Deal sub-resources the reference links from every deal (``links.contactDeals``,
``links.notes``) without documenting them as operations: ``GET /deals/{id}/contactDeals``
and ``GET /deals/{id}/notes``, answered in the shapes of their documented list siblings
(``GET /contactDeals``, ``GET /contacts/{id}/notes``). See docs/api-notes.md.
"""

from .. import store
from ..routing import Ctx, route
from .contactdeals import present_contact_deal_default
from .dealrecords import CONTACT_DEAL
from .deals import get_deal


@route("GET", "deals/{id}/contactDeals", "Deal_getDealContactDeals")
def deal_contact_deals(ctx: Ctx, id: str):
    deal = get_deal(ctx, id)
    rows = store.records(ctx.account, CONTACT_DEAL).filter(parent=deal.rid).order_by("rid")
    items = [present_contact_deal_default(ctx, r) for r in rows]
    return {"contactDeals": items, "meta": {"total": str(len(items))}}


@route("GET", "deals/{id}/notes", "Deal_getDealNotes")
def deal_notes(ctx: Ctx, id: str):
    deal = get_deal(ctx, id)
    rows = (
        store.records(ctx.account, "note")
        .filter(parent=deal.rid, data__reltype="Deal")
        .order_by("rid")
    )
    return {"notes": [store.present(ctx, r) for r in rows]}
