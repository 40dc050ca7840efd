"""Contact listing: ``GET /contacts``, its filters and orderings."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, route
from .contacts import KIND, LIST_KEYS, present

ORDERABLE = {
    "id": "rid",
    "cdate": "data__cdate",
    "email": "key",
    "first_name": "data__firstName",
    "last_name": "data__lastName",
    "name": "data__firstName",
    "score": "rid",
}
# Filters for features the sandbox does not model (forms, automations, segments):
# a non-zero value matches no contact.
UNMODELLED_FILTERS = ("formid", "seriesid", "segmentid", "waitid")


def _related_contacts(ctx: Ctx, kind: str, **lookup: Any) -> QuerySet:
    return store.records(ctx.account, kind).filter(**lookup).values("parent")


def filter_contacts(ctx: Ctx) -> QuerySet[SandboxRecord]:
    qs = store.records(ctx.account, KIND)
    if ids := ctx.id_list("ids"):
        qs = qs.filter(rid__in=ids)
    if email := ctx.param("email"):
        qs = qs.filter(key=email.strip().lower())
    if email_like := ctx.param("email_like"):
        qs = qs.filter(key__contains=email_like.strip().lower())
    if (exclude := ctx.int_param("exclude")) is not None:
        qs = qs.exclude(rid=exclude)
    if (greater := ctx.int_param("id_greater")) is not None:
        qs = qs.filter(rid__gt=greater)
    if (less := ctx.int_param("id_less")) is not None:
        qs = qs.filter(rid__lt=less)
    # The whole value against each attribute on its own: "Ada Lovelace" matches no one
    # (docs/api-notes.md, "Searching contacts by several words").
    if (search := ctx.param("search")) and search != "null":
        qs = qs.filter(
            Q(key__contains=search.lower())
            | Q(data__firstName__icontains=search)
            | Q(data__lastName__icontains=search)
            | Q(data__phone__icontains=search)
            | Q(data__orgname__icontains=search)
        )
    status = ctx.int_param("status")
    list_id = ctx.int_param("listid")
    if list_id or (status is not None and status != -1):
        membership: dict[str, Any] = {}
        if list_id:
            membership["key"] = str(list_id)
        if status is not None and status != -1:
            membership["data__status"] = str(status)
        qs = qs.filter(rid__in=_related_contacts(ctx, "contactList", **membership))
    if tag_id := ctx.int_param("tagid"):
        qs = qs.filter(rid__in=_related_contacts(ctx, "contactTag", key=str(tag_id)))
    if organization := ctx.int_param("organization"):
        qs = qs.filter(rid__in=_related_contacts(ctx, "accountContact", key=str(organization)))
    for name in UNMODELLED_FILTERS:
        if ctx.int_param(name):
            qs = qs.none()
    for name, lookup in (
        ("created_before", "data__cdate__lt"),
        ("created_after", "data__cdate__gt"),
        ("updated_before", "data__udate__lt"),
        ("updated_after", "data__udate__gt"),
    ):
        if value := ctx.param(f"filters[{name}]"):
            qs = qs.filter(**{lookup: _in_account_time(ctx, value)})
    return qs


def _in_account_time(ctx: Ctx, value: str) -> str:
    """A filter's date or datetime, in the form stored timestamps have (account time), so
    comparing strings compares instants; a plain date stays a date."""
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return value
    if len(value.strip()) <= 10:
        return value.strip()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ctx.tz)
    return store.iso(ctx.account, moment)


@route("GET", "contacts", "List_contacts")
def list_contacts(ctx: Ctx):
    qs = store.order_by_param(ctx, filter_contacts(ctx), ORDERABLE)
    if ctx.param("orders[name]"):
        direction = "-" if ctx.param("orders[name]", "").upper() == "DESC" else ""
        qs = qs.order_by(f"{direction}data__firstName", f"{direction}data__lastName", "rid")
    body, _ = store.paged(ctx, qs, "contacts", lambda c, r: present(c, r, LIST_KEYS))
    return {"scoreValues": [], **body}
