"""Deals as a job's records (``KINDS["deal"]``): keys "stage", "owner", "status",
"field:<id>" and "exists" (see acdash/jobs/contract.py).

A deal's custom field value travels as text: the API's own text form of the field's type
(``field_text``), so a value read and a value asked for compare equal when they mean the same.
"""

from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from math import ceil
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from acdash.activecampaign import (
    Client,
    NotFound,
    ValidationError,
    customfields,
    dealfieldvalues,
    deals,
    users,
)
from acdash.activecampaign.customfields import CustomField
from acdash.activecampaign.dealfieldvalues import DealFieldWrite
from acdash.activecampaign.paging import MAX_LIMIT, TypedPage
from acdash.activecampaign.pipelines import list_pipelines
from acdash.deals.forms import SORTS, STATUS_LABELS, DealFilterForm

from ..contract import KINDS, Record, Selection, Target

# Up to this many deals, their field values are read one deal at a time; past it, every
# value of the account is paged through (100 a call), which is then the cheaper path.
FEW = 25
BULK_SIZE = 100  # deals per bulk update call
MAX_REMEMBERED = 100_000  # value ids kept between a batch's read and its bulk write
CORE = ("stage", "owner", "status")


def listed_ids(list_page: Callable[[int], TypedPage]) -> list[str]:
    """Every id of a list query, page by page from offset 0 (one call per 100), in order."""
    found: list[str] = []
    while True:
        page = list_page(len(found))
        found += [str(item.id) for item in page.items]
        if not page.items or not page.has_more:
            return list(dict.fromkeys(found))


class QueryProblem(ValueError):
    """The list query does not parse: running it anyway would cover more deals than shown."""


def filter_problems(form: forms.Form) -> list[str]:
    """A list filter form's refused values in words; the page size is no filter."""
    return [
        f"{form.fields[name].label if name in form.fields else 'Filters'}: {message}"
        for name, messages in form.errors.items()
        if name != "per_page"
        for message in messages
    ]


def deal_filters(client: Client, query: str) -> tuple[dict[str, Any], str]:
    """The deals list's own filter parsing of ``query``: ``list_deals`` keyword arguments
    and sort. QueryProblem names each value the list would ignore."""
    pipelines, people = list_pipelines(client), users.list_users(client)
    form = DealFilterForm(QueryDict(query), action="", pipelines=pipelines, users=people)
    form.is_valid()
    if problems := filter_problems(form):
        raise QueryProblem("; ".join(problems))
    sort = QueryDict(query).get("sort", "").split(",")[0]
    name = SORTS.get(sort.removeprefix("-"), "cdate")
    return form.api_filters(), f"-{name}" if sort.startswith("-") or not sort else name


def field_text(field: CustomField | None, value: Any) -> str:
    """A typed deal field value as text ("" when empty): "||a||b||" for several options,
    ISO dates, UTC datetimes, plain decimals and whole cents."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, list):
        return f"||{'||'.join(value)}||"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _field_id(key: str) -> int:
    return int(key.removeprefix("field:"))


def _values(deal: deals.Deal, keys: Collection[str]) -> dict[str, Any]:
    held = {"stage": deal.stage_id, "owner": deal.owner_id, "status": int(deal.status)}
    return {key: held[key] for key in keys if key in held} | (
        {"exists": True} if "exists" in keys else {}
    )


class DealKind:
    object_type: ClassVar[str] = "deal"
    noun: ClassVar[str] = "deal"
    plural: ClassVar[str] = "deals"

    def __init__(self) -> None:
        # The ids of the field values ``read`` saw (the bulk update names values by id),
        # by (account, deal, field): a job reads each batch just before writing it.
        self._value_ids: dict[tuple[str, int, int], int] = {}

    def expand(self, client: Client, selection: Selection) -> list[str]:
        """The ids ticked, or the list query's deals page by page (one call per 100)."""
        if selection.ids:
            return list(dict.fromkeys(selection.ids))
        filters, sort = deal_filters(client, selection.query)
        return listed_ids(
            lambda offset: deals.list_deals(
                client, offset=offset, limit=MAX_LIMIT, sort=sort, **filters
            )
        )

    def read(self, client: Client, ids: Sequence[str], keys: Collection[str]) -> dict[str, Record]:
        """One call per 100 deals (``ids[]``); field values one call per deal up to FEW
        deals, else every value of the account, 100 a call."""
        held = deals.deals_by_id(client, ids)
        field_keys = [k for k in keys if k.startswith("field:")]
        texts = self._field_texts(client, list(held), field_keys) if field_keys else {}
        return {
            str(deal.id): Record(
                id=str(deal.id),
                label=deal.title or f"Deal {deal.id}",
                values=_values(deal, keys)
                | {k: texts.get(deal.id, {}).get(_field_id(k), "") for k in field_keys},
            )
            for deal in held.values()
        }

    def _field_texts(
        self, client: Client, deal_ids: list[int], keys: list[str]
    ) -> dict[int, dict[int, str]]:
        fields = customfields.custom_fields_by_id(client, "deal")
        wanted = {_field_id(k) for k in keys}
        if len(deal_ids) <= FEW:
            found = [v for d in deal_ids for v in dealfieldvalues.deal_field_values(client, d)]
        else:
            found = dealfieldvalues.all_deal_field_values(client, set(deal_ids))
        texts: dict[int, dict[int, str]] = {}
        if len(self._value_ids) > MAX_REMEMBERED:
            self._value_ids.clear()
        for value in found:
            if value.field_id in wanted:
                self._value_ids[(client.account_key, value.deal_id, value.field_id)] = value.id
                texts.setdefault(value.deal_id, {})[value.field_id] = field_text(
                    fields.get(value.field_id), value.value
                )
        return texts

    def describe(self, client: Client, key: str, value: Any) -> str:
        if key == "exists":
            return "exists" if value else "deleted"
        if key == "status":
            known = value in {int(s) for s in deals.DealStatus}
            return STATUS_LABELS[deals.DealStatus(value)] if known else "no status"
        if key == "stage":
            for pipeline in list_pipelines(client):
                if stage := pipeline.stage(int(value or 0)):
                    return f"stage {stage.title} ({pipeline.title})"
            return f"stage #{value}" if value else "no stage"
        if key == "owner":
            user = users.users_by_id(client).get(int(value or 0))
            return f"owner {user.name}" if user else (f"owner #{value}" if value else "no owner")
        if key.startswith("field:"):
            field = customfields.custom_fields_by_id(client, "deal").get(_field_id(key))
            label = field.label if field else f"Field #{_field_id(key)}"
            shown = str(value or "").strip("|").replace("||", ", ")
            return f"{label}: {shown}" if shown else f"{label} empty"
        return f"{key} {value}"

    def write(self, client: Client, record: Record, target: Target) -> Target:
        """Delete (one call), or set stage, owner and status in one PUT, and each field:
        its current value read (one call), then created or replaced (one call)."""
        deal_id = int(record.id)
        if target.get("exists") is False:
            # Gone already counts as done: deleted by this very call, retried after a lost answer.
            with suppress(NotFound):
                deals.delete_deal(client, deal_id)
            return {"exists": False}
        now: dict[str, Any] = {}
        core = {k: target[k] for k in CORE if k in target}
        if core:
            stage = core.get("stage")
            pipeline = next(
                (p.id for p in list_pipelines(client) if stage and p.stage(int(stage))), None
            )
            deal = deals.update_deal(
                client,
                deal_id,
                stage_id=stage,
                pipeline_id=pipeline,
                owner_id=core.get("owner"),
                status=deals.DealStatus(core["status"]) if "status" in core else None,
            )
            now |= _values(deal, core)
        field_keys = [k for k in target if k.startswith("field:")]
        if field_keys:
            now |= self._write_fields(client, deal_id, {k: target[k] for k in field_keys})
        if "exists" in target:
            now["exists"] = True
        return now

    def _write_fields(self, client: Client, deal_id: int, wanted: dict[str, Any]) -> Target:
        fields = customfields.custom_fields_by_id(client, "deal")
        held = {v.field_id: v for v in dealfieldvalues.deal_field_values(client, deal_id)}
        now: Target = {}
        for key, text in wanted.items():
            field = fields.get(_field_id(key))
            current = held.get(_field_id(key))
            if current and field_text(field, current.value) == text:
                now[key] = text  # already holds it: a retried item changes nothing
                continue
            value = customfields.to_python(field.type if field else "text", text or None)
            saved = dealfieldvalues.set_deal_field_value(
                client,
                DealFieldWrite(
                    deal_id=deal_id,
                    field_id=_field_id(key),
                    value=value,
                    value_id=current.id if current else None,
                    currency=current.currency if current else None,
                ),
            )
            now[key] = field_text(field, saved.value)
        return now

    def calls_per_record(self, target: Target) -> int:
        if target.get("exists") is False:
            return 1
        fields = sum(k.startswith("field:") for k in target)
        return int(any(k in target for k in CORE)) + (1 + fields if fields else 0)

    # Writing many deals: /deals/bulkUpdate (owners), /dealCustomFieldData/bulkUpdate -----

    def bulk_capable(self, target: Target) -> bool:
        """A new owner, or one custom field's value: what the bulk updates set."""
        return set(target) == {"owner"} or (len(target) == 1 and _is_field(next(iter(target))))

    def bulk_calls(self, n: int) -> int:
        return ceil(n / BULK_SIZE)

    def write_many(
        self, client: Client, items: list[tuple[Record, Target]]
    ) -> dict[str, str | None]:
        """Owners in one call per BULK_SIZE deals; field values the read saw replaced the
        same way, and the deals without a value yet given one, one call each (creating is
        not safe to resend in bulk). A refused bulk call (all or nothing) falls back to
        one call per deal, so that each deal gets its own reason."""
        answer: dict[str, str | None] = {}
        owners = [(r, t) for r, t in items if "owner" in t]
        for chunk in _chunks(owners):
            try:
                done = deals.bulk_update_owners(client, [(int(r.id), t["owner"]) for r, t in chunk])
            except ValidationError:
                answer |= self._one_by_one(client, chunk)
                continue
            answer |= {str(i): None for i in (*done.updated, *done.unchanged)}
        values = [(r, t) for r, t in items if "owner" not in t]
        known = [(r, t) for r, t in values if self._value_id(client, r, t) is not None]
        for chunk in _chunks(known):
            writes = [
                DealFieldWrite(
                    deal_id=int(r.id),
                    field_id=_field_id(key),
                    value=self._typed(client, key, text),
                    value_id=self._value_id(client, r, t),
                )
                for r, t in chunk
                for key, text in t.items()
            ]
            try:
                dealfieldvalues.bulk_update_deal_field_values(client, writes)
            except ValidationError:
                answer |= self._one_by_one(client, chunk)
                continue
            answer |= {r.id: None for r, _ in chunk}
        return answer | self._one_by_one(client, [p for p in values if p not in known])

    def _value_id(self, client: Client, record: Record, target: Target) -> int | None:
        key = next(iter(target))
        return self._value_ids.get((client.account_key, int(record.id), _field_id(key)))

    def _typed(self, client: Client, key: str, text: str) -> Any:
        field = customfields.custom_fields_by_id(client, "deal").get(_field_id(key))
        return customfields.to_python(field.type if field else "text", text or None)

    def _one_by_one(
        self, client: Client, items: Sequence[tuple[Record, Target]]
    ) -> dict[str, str | None]:
        answer: dict[str, str | None] = {}
        for record, target in items:
            try:
                self.write(client, record, target)
            except NotFound:
                continue  # absent from the answer: the deal is gone
            except ValidationError as error:
                answer[record.id] = error.message
            else:
                answer[record.id] = None
        return answer


def _is_field(key: str) -> bool:
    return key.startswith("field:")


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[n : n + BULK_SIZE] for n in range(0, len(items), BULK_SIZE)]


KINDS["deal"] = DealKind()
