"""Deals: the overview's open-deal totals, listing, reading and writing deals, owners in
bulk, and deal notes.

Money is in cents (``value_cents``), as the API keeps it; currencies are upper-case ISO codes
(sent lower-case, as the reference's examples do).

Validation errors carry the API's attribute names; the views map them to their fields:
``title``, ``value`` (value_cents), ``currency``, ``group`` (pipeline_id), ``stage``
(stage_id), ``owner`` (owner_id), ``contact`` (contact_id), ``account`` (account_id),
``status``; custom field value errors arrive under ``errors.NON_FIELD``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from . import labels
from .client import Client
from .dealfieldvalues import DealFieldValue, deal_field_values
from .paging import MAX_LIMIT, fetch_page
from .parsing import parse_datetime, parse_int, parse_optional_int

# Orders GET /deals offers (``orders[<name>]=ASC|DESC``).
SORTS = frozenset({"title", "value", "cdate", "contact_name", "contact_orgname", "next-action"})


class DealStatus(IntEnum):
    OPEN = 0
    WON = 1
    LOST = 2


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    title: str
    description: str
    value_cents: int
    currency: str  # upper-case ISO code, e.g. "USD"
    status: DealStatus
    pipeline_id: int | None
    stage_id: int | None
    owner_id: int | None
    contact_id: int | None  # the primary contact
    account_id: int | None  # the customer account (organisation)
    win_probability: int | None  # percent, when the API has computed it
    next_task_id: int | None
    next_task_due: datetime | None
    created: datetime | None
    modified: datetime | None
    # The user may not see the deal's pipeline: the API then tells only its id and title.
    disabled: bool


@dataclass(frozen=True, slots=True)
class DealDetail(Deal):
    field_values: list[DealFieldValue]


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    count: int
    value_cents: int


@dataclass(frozen=True, slots=True)
class DealsSummary:
    count: int
    by_currency: list[CurrencyTotal]  # largest value first


@dataclass(frozen=True, slots=True)
class DealPage:
    items: list[Deal]
    total: int  # matching deals, all pages
    offset: int
    limit: int
    by_currency: list[CurrencyTotal]  # totals of all matching deals, largest value first

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


@dataclass(frozen=True, slots=True)
class OwnerUpdates:
    """What ``PATCH /deals/bulkUpdate`` did with each deal id."""

    updated: list[int]
    unchanged: list[int]
    failed: list[int]  # deals that do not exist


@dataclass(frozen=True, slots=True)
class DealNote:
    id: int
    deal_id: int
    text: str
    user_id: int | None
    created: datetime | None
    modified: datetime | None


def _ref(value: Any) -> int | None:
    """A related object's id; the API writes "no object" as null, "" or "0"."""
    number = parse_optional_int(value)
    return number or None


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    account = raw.get("account", raw.get("organization"))
    return {
        "id": parse_int(raw.get("id")),
        "title": str(raw.get("title") or ""),
        "description": str(raw.get("description") or ""),
        "value_cents": parse_int(raw.get("value")),
        "currency": str(raw.get("currency") or "").upper(),
        "status": DealStatus(parse_int(raw.get("status"))),
        "pipeline_id": _ref(raw.get("group")),
        "stage_id": _ref(raw.get("stage")),
        "owner_id": _ref(raw.get("owner")),
        "contact_id": _ref(raw.get("contact")),
        "account_id": _ref(account),
        "win_probability": parse_optional_int(raw.get("winProbability")),
        "next_task_id": _ref(raw.get("nexttaskid")),
        "next_task_due": parse_datetime(raw.get("nextdate")),
        "created": parse_datetime(raw.get("cdate")),
        "modified": parse_datetime(raw.get("mdate")),
        "disabled": raw.get("isDisabled") in (True, 1, "1", "true"),
    }


def parse_deal(raw: dict[str, Any]) -> Deal:
    """A deal object of any deal response (list, detail, write, stage move)."""
    return Deal(**_fields(raw))


def _by_currency(body: dict[str, Any]) -> list[CurrencyTotal]:
    currencies = (body.get("meta") or {}).get("currencies") or {}
    # An empty set may come as a JSON list (PHP's empty array).
    rows = currencies.values() if isinstance(currencies, dict) else currencies
    totals = [
        CurrencyTotal(
            currency=str(row.get("currency") or "").upper(),
            count=parse_int(row.get("total")),
            value_cents=parse_int(row.get("value")),
        )
        for row in rows
        if isinstance(row, dict)
    ]
    return sorted(totals, key=lambda t: (-t.value_cents, t.currency))


def open_deals_summary(client: Client) -> DealsSummary:
    """Number and value per currency of the open deals, in one call: ``GET /deals`` with
    ``filters[status]=0&limit=1`` answers the totals in ``meta`` whatever the page size."""
    page = fetch_page(client, "/deals", "deals", limit=1, params={"filters[status]": 0})
    return DealsSummary(count=page.total or 0, by_currency=_by_currency(page.body))


def list_deals(
    client: Client,
    *,
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    status: DealStatus | None = None,
    owner_id: int | None = None,
    search: str = "",
    sort: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> DealPage:
    """One page of deals, with the count and value per currency of all matching deals, in
    one call.

    ``search`` matches title, primary contact name and organisation. ``sort`` is one of
    SORTS, "-" first for descending (None: the API's order); ValueError otherwise.
    """
    params: dict[str, Any] = {
        f"filters[{name}]": int(value)
        for name, value in (
            ("group", pipeline_id),
            ("stage", stage_id),
            ("status", status),
            ("owner", owner_id),
        )
        if value is not None
    }
    if search.strip():
        params["filters[search]"] = search.strip()
    if sort is not None:
        name = sort.removeprefix("-")
        if name not in SORTS:
            raise ValueError(f"cannot sort deals by {sort!r}")
        params[f"orders[{name}]"] = "DESC" if sort.startswith("-") else "ASC"
    page = fetch_page(client, "/deals", "deals", offset=offset, limit=limit, params=params)
    items = [parse_deal(raw) for raw in page.items]
    remember_titles(client, items)
    return DealPage(items, page.total or 0, page.offset, page.limit, _by_currency(page.body))


def deals_by_id(client: Client, deal_ids: Iterable[int]) -> dict[int, Deal]:
    """The deals of ``deal_ids`` that exist: one call per 100 ids (``GET /deals?ids[]=…``,
    which the reference documents for contacts only: see docs/api-notes.md). A server that
    ignores ``ids`` answers other deals; only the deals asked for are kept."""
    wanted = sorted({int(i) for i in deal_ids if i})
    chunks = [wanted[n : n + MAX_LIMIT] for n in range(0, len(wanted), MAX_LIMIT)]
    found: dict[int, Deal] = {}
    for ids in chunks:
        page = fetch_page(client, "/deals", "deals", limit=len(ids), params={"ids[]": ids})
        found |= {d.id: d for d in map(parse_deal, page.items) if d.id in ids}
    return found


def deal_titles(client: Client, deal_ids: Iterable[int]) -> dict[int, str]:
    """Titles of deals by id: the remembered ones (``labels``), the rest read by
    ``deals_by_id``."""

    def read(ids: list[int]) -> dict[int, str]:
        return {deal_id: deal.title for deal_id, deal in deals_by_id(client, ids).items()}

    return labels.labels(client, labels.DEAL, deal_ids, read)


def remember_titles(client: Client, deals: Iterable[Deal]) -> None:
    """The deals' titles, for the pages that name them (``labels``)."""
    labels.remember(client, labels.DEAL, {deal.id: deal.title for deal in deals})


def parse_deal_detail(raw: dict[str, Any], field_values: list[DealFieldValue]) -> DealDetail:
    return DealDetail(**_fields(raw), field_values=field_values)


def read_deal(client: Client, deal_id: int) -> Deal:
    """The deal alone, in one call. Unknown deal: NotFound."""
    return parse_deal(client.get(f"/deals/{deal_id}")["deal"])


def get_deal(client: Client, deal_id: int) -> DealDetail:
    """A deal with its custom field values: 2 calls, plus one when the deal field
    definitions are not cached."""
    raw = client.get(f"/deals/{deal_id}")["deal"]
    return DealDetail(**_fields(raw), field_values=deal_field_values(client, deal_id))


def _attributes(**values: Any) -> dict[str, Any]:
    """API attributes of a deal write from typed arguments; None means "not sent"."""
    names = {
        "title": "title",
        "description": "description",
        "value_cents": "value",
        "currency": "currency",
        "status": "status",
        "pipeline_id": "group",
        "stage_id": "stage",
        "owner_id": "owner",
        "contact_id": "contact",
        "account_id": "account",
    }
    body: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "currency":
            value = value.lower()
        elif name in ("value_cents", "status"):
            value = int(value)
        elif name.endswith("_id"):
            value = str(value)  # ids as the reference's examples send them
        body[names[name]] = value
    return body


def create_deal(
    client: Client,
    *,
    title: str,
    value_cents: int,
    currency: str,
    contact_id: int | None = None,
    account_id: int | None = None,
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    owner_id: int | None = None,
    description: str | None = None,
    status: DealStatus | None = None,
) -> Deal:
    """Create a deal (a contact or an account is required; a stage or a pipeline, whose
    first stage it then enters). Without an owner the pipeline's auto-assignment picks one."""
    attributes = _attributes(
        title=title,
        value_cents=value_cents,
        currency=currency,
        contact_id=contact_id,
        account_id=account_id,
        pipeline_id=pipeline_id,
        stage_id=stage_id,
        owner_id=owner_id,
        description=description,
        status=status,
    )
    created = parse_deal(client.post("/deals", {"deal": attributes})["deal"])
    remember_titles(client, [created])
    return created


def update_deal(
    client: Client,
    deal_id: int,
    *,
    title: str | None = None,
    value_cents: int | None = None,
    currency: str | None = None,
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    owner_id: int | None = None,
    status: DealStatus | None = None,
    description: str | None = None,
) -> Deal:
    """Change a deal; None leaves an attribute as it is. A stage of another pipeline needs
    that ``pipeline_id`` too."""
    attributes = _attributes(
        title=title,
        value_cents=value_cents,
        currency=currency,
        pipeline_id=pipeline_id,
        stage_id=stage_id,
        owner_id=owner_id,
        status=status,
        description=description,
    )
    saved = parse_deal(client.put(f"/deals/{deal_id}", {"deal": attributes})["deal"])
    remember_titles(client, [saved])
    return saved


def move_deal(client: Client, deal_id: int, stage_id: int) -> Deal:
    """Move a deal to another stage of its pipeline (422 on ``stage`` otherwise)."""
    return update_deal(client, deal_id, stage_id=stage_id)


def delete_deal(client: Client, deal_id: int) -> None:
    client.delete(f"/deals/{deal_id}")
    labels.forget(client, labels.DEAL, [deal_id])


def bulk_update_owners(client: Client, changes: Iterable[tuple[int, int]]) -> OwnerUpdates:
    """Give many deals new owners in one call: ``[(deal_id, owner_id), …]``.

    An unknown owner fails the whole request (422, under NON_FIELD); unknown deals are
    listed in ``failed``. Setting owners is safe to resend.
    """
    items = [{"id": int(deal), "ownerId": int(owner)} for deal, owner in changes]
    if not items:
        return OwnerUpdates(updated=[], unchanged=[], failed=[])
    body = client.patch("/deals/bulkUpdate", {"deals": items}, idempotent=True) or {}
    return OwnerUpdates(
        updated=[parse_int(i) for i in body.get("success") or []],
        unchanged=[parse_int(i) for i in body.get("nochange") or []],
        failed=[parse_int(i) for i in body.get("failed") or []],
    )


def parse_note(raw: dict[str, Any], deal_id: int) -> DealNote:
    return DealNote(
        id=parse_int(raw.get("id")),
        deal_id=parse_optional_int(raw.get("relid")) or deal_id,
        text=str(raw.get("note") or ""),
        user_id=_ref(raw.get("userid") or raw.get("user")),
        created=parse_datetime(raw.get("cdate")),
        modified=parse_datetime(raw.get("mdate")),
    )


def add_deal_note(client: Client, deal_id: int, text: str) -> DealNote:
    body = client.post(f"/deals/{deal_id}/notes", {"note": {"note": text}})
    return parse_note(body["note"], deal_id)


def update_deal_note(client: Client, deal_id: int, note_id: int, text: str) -> DealNote:
    body = client.put(f"/deals/{deal_id}/notes/{note_id}", {"note": {"note": text}})
    return parse_note(body["note"], deal_id)
