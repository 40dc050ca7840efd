"""Deals as a job's records (``KINDS["deal"]``): keys "stage", "owner", "status",
"field:<id>" and "exists" (see acdash/jobs/contract.py).

A deal's custom field value travels as text: the API's own text form of the field's type
(``field_text``), so a value read and a value asked for compare equal when they mean the same.
"""

from collections.abc import Collection, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.http import QueryDict

from acdash.activecampaign import Client, NotFound, customfields, deals, users
from acdash.activecampaign.customfields import CustomField, DealFieldWrite
from acdash.activecampaign.paging import MAX_LIMIT
from acdash.activecampaign.pipelines import list_pipelines
from acdash.deals.forms import SORTS, STATUS_LABELS, DealFilterForm

from ..contract import KINDS, Record, Selection, Target

# Up to this many deals, their field values are read one deal at a time; past it, every
# value of the account is paged through (100 a call), which is then the cheaper path.
FEW = 25
CORE = ("stage", "owner", "status")


class QueryProblem(ValueError):
    """The list query does not parse: running it anyway would cover more deals than shown."""


def deal_filters(client: Client, query: str) -> tuple[dict[str, Any], str]:
    """The deals list's own filter parsing of ``query``: ``list_deals`` keyword arguments
    and sort. QueryProblem names each value the list would ignore."""
    pipelines, people = list_pipelines(client), users.list_users(client)
    form = DealFilterForm(QueryDict(query), action="", pipelines=pipelines, users=people)
    form.is_valid()
    if problems := form.problems():
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

    def expand(self, client: Client, selection: Selection) -> list[str]:
        """The ids ticked, or the list query's deals page by page (one call per 100)."""
        if selection.ids:
            return list(dict.fromkeys(selection.ids))
        filters, sort = deal_filters(client, selection.query)
        found: list[str] = []
        while True:
            page = deals.list_deals(
                client, offset=len(found), limit=MAX_LIMIT, sort=sort, **filters
            )
            found += [str(d.id) for d in page.items]
            if not page.items or not page.has_more:
                return list(dict.fromkeys(found))

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
            found = [v for d in deal_ids for v in customfields.deal_field_values(client, d)]
        else:
            found = customfields.all_deal_field_values(client, set(deal_ids))
        texts: dict[int, dict[int, str]] = {}
        for value in found:
            if value.field_id in wanted:
                texts.setdefault(value.deal_id, {})[value.field_id] = field_text(
                    fields.get(value.field_id), value.value
                )
        return texts

    def describe(self, client: Client, key: str, value: Any) -> str:
        if key == "exists":
            return "exists" if value else "deleted"
        if key == "status":
            return STATUS_LABELS.get(deals.DealStatus(int(value)), str(value))
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
        held = {v.field_id: v for v in customfields.deal_field_values(client, deal_id)}
        now: Target = {}
        for key, text in wanted.items():
            field = fields.get(_field_id(key))
            current = held.get(_field_id(key))
            if current and field_text(field, current.value) == text:
                now[key] = text  # already holds it: a retried item changes nothing
                continue
            value = customfields.to_python(field.type if field else "text", text or None)
            saved = customfields.set_deal_field_value(
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


KINDS["deal"] = DealKind()
