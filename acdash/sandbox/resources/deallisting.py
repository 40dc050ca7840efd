"""Listing deals: ``GET /deals`` with its ``filters[...]``, ``orders[...]`` and
``meta.currencies``.
"""

from collections.abc import Callable
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
from ..routing import ApiError, Ctx, route
from .dealrecords import DEAL, present_listed

# A deal without a next task.
_NO_TASK = Q(data__nextdate=None) | Q(data__nextdate__isnull=True)


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
    if kind == "no-task":
        return qs.filter(_NO_TASK)
    if kind not in {"upcoming", "scheduled", "overdue"}:
        raise ApiError(400, {"message": "filters[nextdate_range] is not a known range."})
    now = timezone.now()
    soon = now + timedelta(hours=24)
    keep = []
    dues = qs.exclude(_NO_TASK).values_list("rid", KeyTextTransform("nextdate", "data"))
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
    # Not in the reference for deals: as GET /contacts documents it (docs/api-notes.md).
    if ids := ctx.id_list("ids"):
        qs = qs.filter(rid__in=ids)
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
    # Built only when asked for: the contact subqueries cost more than most listings.
    sortable: dict[str, Callable[[], Any]] = {
        "title": lambda: Lower(KeyTextTransform("title", "data")),
        "value": lambda: "cents",
        "cdate": lambda: KeyTextTransform("cdate", "data"),
        "contact_name": lambda: _contact_attribute(ctx, "firstName"),
        "contact_orgname": lambda: _contact_attribute(ctx, "orgname"),
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
                When(_NO_TASK, then=Value(1)),
                When(data__nextdate__lt=now, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            )
            qs = qs.annotate(next_bucket=bucket, next_due=nextdate)
            terms: list[Any] = ["next_bucket", "next_due"]
        else:
            alias = f"order_{name}"
            expression = sortable[name]()
            qs = qs.annotate(**{alias: expression}) if not isinstance(expression, str) else qs
            terms = [expression if isinstance(expression, str) else alias]
        ordering += [f"-{t}" if direction == "DESC" else t for t in terms]
    return qs.order_by(*ordering, "rid")


def _meta(qs: QuerySet[SandboxRecord]) -> dict[str, Any]:
    """``meta``: count and summed value per currency of the whole result, and its total (a
    number, as this operation's example gives it), in one query."""
    rows = list(
        qs.order_by()
        .values(code=KeyTextTransform("currency", "data"))
        .annotate(n=Count("id"), total=Sum("cents"))
    )
    currencies = {
        (row["code"] or "").upper(): {
            "currency": (row["code"] or "").upper(),
            "total": str(row["n"]),
            "value": str(row["total"] or 0),
        }
        for row in rows
    }
    return {"currencies": currencies, "total": sum(row["n"] for row in rows)}


@route("GET", "deals", "Deal_getAll")
def list_deals(ctx: Ctx):
    qs = filter_deals(ctx)
    body, _ = store.paged(ctx, order_deals(ctx, qs), "deals", present_listed, meta=False)
    body["meta"] = _meta(qs)
    return body
