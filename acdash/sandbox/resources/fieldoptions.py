"""Contact field options one by one (``/fieldOptions/{id}``) and the plural alias of the bulk
create that ActiveCampaign's own MCP client calls (``POST /fieldOptions/bulk``).

The reference documents only ``POST /fieldOption/bulk`` (fields.py); the option resource is
what its answers link to (``fieldOptions/{id}/field``). See docs/api-notes.md, "Field options".
"""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, invalid, missing, not_found, route
from .fields import OPTION, create_options, present_option

WRITABLE = ("value", "label", "orderid", "isdefault")


def _option(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, OPTION, rid, not_found("FieldOption", rid))


def _number(value: Any, attribute: str) -> int:
    try:
        return int(str(int(value) if isinstance(value, bool) else value).strip())
    except (TypeError, ValueError) as exc:
        raise invalid(f"{attribute} must be a number.", attribute) from exc


@route("POST", "fieldOptions/bulk", "Field_createCustomFieldOptions")
def create_options_plural(ctx: Ctx):
    return create_options(ctx)


@route("GET", "fieldOptions/{id}", "FieldOption_get")
def get_option(ctx: Ctx, id: str):
    return {"fieldOption": present_option(ctx, _option(ctx, id))}


@route("PUT", "fieldOptions/{id}", "FieldOption_update")
def update_option(ctx: Ctx, id: str):
    record = _option(ctx, id)
    attrs = ctx.envelope("fieldOption")
    changes: dict[str, Any] = {}
    if "value" in attrs:
        value = "" if attrs["value"] is None else str(attrs["value"])
        if not value.strip() or isinstance(attrs["value"], dict | list):
            raise missing("The fieldOption value was not provided.", "value")
        siblings = store.records(ctx.account, OPTION).filter(parent=record.parent)
        if siblings.exclude(pk=record.pk).filter(data__value=value).exists():
            raise invalid(f"The field already has an option '{value}'.", "value", "duplicate")
        changes["value"] = value
    if "label" in attrs:
        if isinstance(attrs["label"], dict | list):
            raise invalid("label must be text.", "label")
        changes["label"] = str(attrs["label"] or changes.get("value") or record.data["value"])
    if "orderid" in attrs:
        changes["orderid"] = str(_number(attrs["orderid"], "orderid"))
    if "isdefault" in attrs:
        changes["isdefault"] = "1" if _number(attrs["isdefault"] or 0, "isdefault") else "0"
    store.update(record, **changes, udate=store.iso(ctx.account))
    return {"fieldOption": present_option(ctx, record)}


@route("DELETE", "fieldOptions/{id}", "FieldOption_delete")
def delete_option(ctx: Ctx, id: str):
    _option(ctx, id).delete()
    return {}
