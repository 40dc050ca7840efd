"""Groups, ``/groups``: their permission flags, and the account's admin group."""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, field_error, invalid, not_found
from .users import GROUP, USER_GROUP, as_text, fail, flag_errors, owned_route, scalar_errors

GROUP_LINKS = ["userGroups", "groupLimit", "dealGroupGroups", "listGroups", "addressGroups"]
GROUP_LINKS += ["automationGroups"]
PERMISSIONS = [
    "pgListAdd",
    "pgListEdit",
    "pgListDelete",
    "pgListHeaders",
    "pgListEmailaccount",
    "pgListBounce",
    "pgMessageAdd",
    "pgMessageEdit",
    "pgMessageDelete",
    "pgMessageSend",
    "pgContactAdd",
    "pgContactEdit",
    "pgContactDelete",
    "pgContactMerge",
    "pgContactImport",
    "pgContactApprove",
    "pgContactExport",
    "pgContactSync",
    "pgContactFilters",
    "pgContactActions",
    "pgContactFields",
    "pg_user_add",
    "pg_user_edit",
    "pg_user_delete",
    "pgGroupAdd",
    "pgGroupEdit",
    "pgGroupDelete",
    "pgTemplateAdd",
    "pgTemplateEdit",
    "pgTemplateDelete",
    "pgPersonalizationAdd",
    "pgPersonalizationEdit",
    "pgPersonalizationDelete",
    "pgAutomationManage",
    "pgFormEdit",
    "pgReportsCampaign",
    "pgReportsList",
    "pgReportsUser",
    "pgReportsTrend",
    "pgStartupReports",
    "pgStartupGettingstarted",
    "pgDeal",
    "pgDealDelete",
    "pgDealReassign",
    "pgDealGroupAdd",
    "pgDealGroupEdit",
    "pgDealGroupDelete",
    "pgSavedResponsesManage",
]
GROUP_FLAGS = ["unsubscribelink", "optinconfirm", "p_admin", *PERMISSIONS, "reqApproval"]
GROUP_FLAGS += ["socialdata"]
GROUP_KEYS = ["title", "descript", "unsubscribelink", "optinconfirm", "p_admin", *PERMISSIONS]
GROUP_KEYS += ["sdate", "reqApproval", "reqApproval1st", "reqApprovalNotify", "socialdata"]
GROUP_KEYS += ["links", "id"]
GROUP_WRITABLE = [k for k in GROUP_KEYS if k not in ("sdate", "links", "id")]
ADMIN_DESCRIPTION = "This is a group for admin users (people that can manage content)"


def _new_group_data(ctx: Ctx, changes: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "",
        "descript": None,
        "unsubscribelink": "0",
        "optinconfirm": "0",
        "p_admin": "1",
        **dict.fromkeys(PERMISSIONS, "0"),
        "sdate": store.iso(ctx.account),
        "reqApproval": "0",
        "reqApproval1st": "2",
        "reqApprovalNotify": "",
        "socialdata": "0",
    }
    data.update(changes)
    return data


def admin_group(ctx: Ctx) -> SandboxRecord:
    """The account's first group, created as the admin group if the account has none."""
    group = store.records(ctx.account, GROUP).order_by("rid").first()
    if group is None:
        data = _new_group_data(ctx, {"title": "Admin", "descript": ADMIN_DESCRIPTION})
        data.update(dict.fromkeys(PERMISSIONS, "1"))
        group = store.create(ctx.account, GROUP, data)
    return group


def _group_links(ctx: Ctx, record: SandboxRecord) -> dict[str, str]:
    return {name: ctx.link(f"groups/{record.rid}/{name}") for name in GROUP_LINKS}


@store.presenter(GROUP)
def present_group(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /groups/{id} returns it."""
    full = {**record.data, "links": _group_links(ctx, record), "id": record.id_str}
    return store.project(full, GROUP_KEYS)


def present_group_created(ctx: Ctx, record: SandboxRecord, attrs: dict[str, Any]) -> dict[str, Any]:
    """POST /groups answers the attributes it was given, as given, and ``p_admin`` 1 (recorded)."""
    given = {k: v for k, v in attrs.items() if k in GROUP_WRITABLE and k != "p_admin"}
    return {**given, "p_admin": 1, "links": _group_links(ctx, record), "id": record.id_str}


def _get_group(ctx: Ctx, rid: object) -> SandboxRecord:
    # The reference shows this body with a 403, the real API's answer to a token whose user
    # may not see the group; the sandbox's token is an admin's, so a missing group is a 404.
    return store.get_or_404(ctx.account, GROUP, rid, not_found("Group", rid))


def _clean_group(attrs: dict[str, Any], creating: bool) -> dict[str, Any]:
    fail(scalar_errors(attrs, GROUP_WRITABLE))
    changes = {name: as_text(attrs[name]) for name in GROUP_WRITABLE if name in attrs}
    if "descript" in attrs and attrs["descript"] is None:
        changes["descript"] = None
    errors = []
    if (creating or "title" in changes) and not changes.get("title", "").strip():
        errors.append(field_error("Group title is required.", "title", "field_missing"))
    fail(errors + flag_errors(changes, GROUP_FLAGS))
    return changes


@owned_route("POST", "groups", "Group_createNewGroup")
def create_group(ctx: Ctx):
    attrs = ctx.envelope("group")
    group = store.create(ctx.account, GROUP, _new_group_data(ctx, _clean_group(attrs, True)))
    return 201, {"group": present_group_created(ctx, group, attrs)}


@owned_route("GET", "groups", "List_allGroups")
def list_groups(ctx: Ctx):
    qs = store.records(ctx.account, GROUP).order_by("rid")
    body, _ = store.paged(ctx, qs, "groups", present_group)
    return body


@owned_route("GET", "groups/{id}", "Group_getGroup")
def get_group(ctx: Ctx, id: str):
    group = _get_group(ctx, id)
    return {"group": present_group(ctx, group)}


@owned_route("PUT", "groups/{id}", "Group_updateGroupById")
def update_group(ctx: Ctx, id: str):
    group = _get_group(ctx, id)
    store.update(group, **_clean_group(ctx.envelope("group"), creating=False))
    # The whole group, as recorded (the reference's text/plain example has the same keys).
    return {"group": present_group(ctx, group)}


@owned_route("DELETE", "groups/{id}", "Group_deleteGroup")
def delete_group(ctx: Ctx, id: str):
    group = _get_group(ctx, id)
    if store.records(ctx.account, USER_GROUP).filter(key=group.id_str).exists():
        raise invalid("The group still has users; move them to another group first.", "userGroups")
    group.delete()
    return {}
