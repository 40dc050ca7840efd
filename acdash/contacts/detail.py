"""One contact's page, and the responses its sections answer with.

The page costs what ``contact_detail.get_contact`` costs (≤ 3 calls with metadata cached);
notes and recent activity load by their own htmx requests (1 call each, panels.py).
Editors open without an API call: the read-only sections carry what they show (``orig_*``
hidden inputs) and the page keeps the contact's version in ``#contact-version``, which
every save that moves it refreshes out of band.
The sections are edited in place: the core details and custom fields (field_editors.py),
tags and lists (tags_lists.py), notes (panels.py). Every write is audited
(``writes.audit``) and answered with a toast.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django_htmx.http import reswap

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, contact_detail, lists, pipelines
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.contact_detail import ContactDeal
from acdash.activecampaign.contacts import Contact
from acdash.activecampaign.fields import Field, FieldPython, to_api
from acdash.activecampaign.lists import ListMembership, ListStatus

from .detail_forms import core_values

TEMPLATE = "contacts/detail.html"
DEAL_STATUS = {0: "Open", 1: "Won", 2: "Lost"}
LIST_STATUS = {
    ListStatus.UNCONFIRMED: "Unconfirmed",
    ListStatus.ACTIVE: "Subscribed",
    ListStatus.UNSUBSCRIBED: "Unsubscribed",
    ListStatus.BOUNCED: "Bounced",
}


# What the templates show ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """A custom field with the contact's value, as its read-only partial shows it."""

    field: Field
    value: FieldPython

    @property
    def api_text(self) -> str:
        """The value in the API's text: what the editor receives as its original."""
        return to_api(self.field.type, self.value)

    @property
    def items(self) -> list[str]:
        """The value's labels (one for single-value types), empty when unset."""
        if self.value is None or self.value == "" or self.value == []:
            return []
        if isinstance(self.value, datetime):
            moment = self.value.astimezone(UTC)
            shape = "%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M"
            return [moment.strftime(shape) + " UTC"]
        if isinstance(self.value, date):
            return [self.value.isoformat()]
        labels = {o.value: o.label for o in self.field.options}
        values = self.value if isinstance(self.value, list) else [self.value]
        return [labels.get(v, v) for v in values]


@dataclass(frozen=True)
class DealRow:
    deal: ContactDeal
    pipeline: str
    stage: str

    @property
    def status(self) -> str:
        return DEAL_STATUS.get(self.deal.status, str(self.deal.status))


@dataclass(frozen=True)
class ListRow:
    membership: ListMembership

    @property
    def status(self) -> str:
        return LIST_STATUS[self.membership.status]

    @property
    def active(self) -> bool:
        return self.membership.status == ListStatus.ACTIVE


def _deal_rows(known: list[pipelines.Pipeline], deals: list[ContactDeal]) -> list[DealRow]:
    """Deals with their pipeline and stage names."""
    by_id = {p.id: p for p in known}
    rows = []
    for deal in deals:
        pipeline = by_id.get(deal.pipeline_id or 0)
        stage = pipeline.stage(deal.stage_id) if pipeline and deal.stage_id else None
        rows.append(DealRow(deal, pipeline.title if pipeline else "", stage.title if stage else ""))
    return rows


def other_lists(client: Client, on: set[int]) -> list[lists.MailingList]:
    """The account's lists the contact is not on (cached)."""
    return [lst for lst in lists.list_lists(client) if lst.id not in on]


def version_of(contact: Contact) -> str:
    return contact.updated.isoformat() if contact.updated else ""


# Responses of the sections ----------------------------------------------------------------


def base_context(
    request: HttpRequest, account: ConnectedAccount, contact_id: int
) -> dict[str, Any]:
    return {"account": account, "contact_id": contact_id, "can_edit": request.access.can_edit}


def fragment(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    *,
    toast: str = "",
    saved: Contact | None = None,
) -> HttpResponse:
    """A partial of the page; ``toast`` adds a toast and ``saved`` refreshes the page's
    version, name and "updated" time, all out of band."""
    html = render_to_string(f"{TEMPLATE}#{name}", context, request)
    if saved is not None:
        oob = {"contact": saved, "version": version_of(saved), "oob": True}
        oob |= {key: context[key] for key in ("account", "can_edit") if key in context}
        html += render_to_string(f"{TEMPLATE}#contact-state", oob, request)
    response = HttpResponse(html)
    if toast:
        toast_context = {"message": toast, "level": "success"}
        response.write(render_to_string(f"{TEMPLATE}#toast", toast_context))
        # A save succeeded: panels that show derived data (activity) reload themselves.
        response["HX-Trigger"] = "contact-changed"
    return response


def failure(request: HttpRequest, message: str) -> HttpResponse:
    """Only an error toast: what is on the page stays as it is."""
    html = render_to_string(f"{TEMPLATE}#toast", {"message": message, "level": "error"})
    return reswap(HttpResponse(html), "none")


# The page ---------------------------------------------------------------------------------


@account_view
def contact_page(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    context = {**base_context(request, account, contact_id), "section": "contacts"}
    try:
        client = client_for_account(account)
        # The pipelines (cached: no call when warm) name the deals' stages.
        detail, known = gather(
            lambda: contact_detail.get_contact(client, contact_id),
            lambda: pipelines.list_pipelines(client),
        )
        deals = _deal_rows(known, detail.deals)
    except NotFound:
        return render(request, TEMPLATE, {**context, "missing": True}, status=404)
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": str(exc)})
    context |= {
        "contact": detail.contact,
        "version": version_of(detail.contact),
        "core": core_values(detail.contact),
        "field_rows": [FieldRow(f, v) for f, v in detail.custom_fields],
        "tag_list": detail.tags,
        "list_rows": [ListRow(m) for m in detail.lists],
        "other_lists": other_lists(client, {m.list_id for m in detail.lists}),
        "deal_rows": deals,
    }
    return render(request, TEMPLATE, context)
