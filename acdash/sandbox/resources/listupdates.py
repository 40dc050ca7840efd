"""``PUT /lists/{id}``: the real API's "Update a list", which the reference leaves out (the
API's own MCP client calls it). The same attributes as a created list; see
docs/api-notes.md, "Renaming a list"."""

from .. import store
from ..routing import Ctx, missing, route
from .lists import LIST_KEYS, OPTIONAL, REQUIRED, full, get_list


@route("PUT", "lists/{id}", "List_update")
def update_list(ctx: Ctx, id: str):
    record = get_list(ctx, id)
    attrs = ctx.envelope("list")
    changes = {}
    for attribute in (*REQUIRED, *OPTIONAL):
        if attribute not in attrs:
            continue
        value = "" if attrs[attribute] is None else str(attrs[attribute]).strip()
        if attribute in REQUIRED and not value:
            raise missing(f"The list {attribute} was not provided.", attribute)
        changes[attribute] = value
    store.update(record, **changes, udate=store.iso(ctx.account))
    return {"list": store.project(full(ctx, record), LIST_KEYS)}
