"""Users, ``/users`` and ``/users/me``, and the account's owner.

The sandbox's API token is the account owner's, an admin: the first user of the account.
Real accounts always have that user, its admin group and one branding record, so they
materialise lazily the first time an operation of this family (users, ``groups``,
``brandings``) or a task needs them. This module also holds the validation helpers the
family shares.
"""

import re
from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, Handler, field_error, not_found, route

USER, GROUP, USER_GROUP = "user", "group", "userGroup"

USER_LINKS = ["lists", "userGroup", "dealGroupTotals", "dealGroupUsers", "configs"]
CREATED_USER_LINKS = [*USER_LINKS, "dealConnection", "userConversationsPermission", "seatUser"]
# The key sets each operation returns, from the reference's examples.
USER_KEYS = ["username", "firstName", "lastName", "email", "phone", "signature", "links", "id"]
CREATED_USER_KEYS = ["username", "email", "firstName", "lastName", "lang", "localZoneid"]
CREATED_USER_KEYS += ["cdate", "udate", "links", "id"]
UPDATED_USER_KEYS = [*USER_KEYS[:6], "userGroup", "links", "id"]
USER_TEXT = ("firstName", "lastName", "phone", "signature")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fail(errors: list[dict[str, Any]]) -> None:
    """422 with every problem found, as the API lists them all."""
    if errors:
        raise ApiError(422, {"errors": errors})


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def scalar_errors(attrs: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    return [
        field_error(f"{name} must be a string or a number.", name)
        for name in names
        if isinstance(attrs.get(name), dict | list)
    ]


def flag_errors(changes: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    return [
        field_error(f"{name} must be 0 or 1.", name)
        for name in names
        if name in changes and changes[name] not in ("0", "1")
    ]


# The owner ---------------------------------------------------------------------


def current_user(ctx: Ctx) -> SandboxRecord:
    """The user whose API token is used: the account's first user, an admin."""
    user = store.records(ctx.account, USER).order_by("rid").first()
    if user is None:
        from .groups import admin_group  # groups imports this module for owned_route

        data = _new_user_data(
            ctx,
            username="admin",
            email=f"admin+{ctx.account.slug}@example.com",
            firstName="Admin",
        )
        user = store.create(ctx.account, USER, data, key="admin")
        _set_group(ctx, user, admin_group(ctx))
    return user


def find_user(ctx: Ctx, rid: object) -> SandboxRecord | None:
    """A user by id, counting the owner even before anything else created it."""
    current_user(ctx)
    return store.find(ctx.account, USER, rid)


def owned_route(method: str, template: str, operation: str):
    """``route`` for handlers of this family: the owner exists before any of them runs."""

    def register(handler: Handler) -> Handler:
        def with_owner(ctx: Ctx, **kwargs: str):
            current_user(ctx)
            return handler(ctx, **kwargs)

        route(method, template, operation)(with_owner)
        return handler

    return register


# Users -------------------------------------------------------------------------


def _new_user_data(ctx: Ctx, **attributes: str) -> dict[str, Any]:
    now = store.iso(ctx.account)
    data: dict[str, Any] = {
        "username": "",
        "firstName": "",
        "lastName": "",
        "email": "",
        "phone": "",
        "signature": None,
        "lang": "english",
        "localZoneid": ctx.account.timezone,
        "cdate": now,
        "udate": now,
    }
    data.update(attributes)
    return data


def full_user(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"users/{rid}/{name}") for name in CREATED_USER_LINKS}
    return {**record.data, "links": links, "id": rid}


def present_user(
    ctx: Ctx, record: SandboxRecord, keys: list[str] = USER_KEYS, links: list[str] = USER_LINKS
) -> dict[str, Any]:
    body = store.project(full_user(ctx, record), keys)
    body["links"] = {name: body["links"][name] for name in links}
    return body


@store.presenter(USER)
def present_user_default(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /users/{id} returns it."""
    return present_user(ctx, record)


def _user_group(ctx: Ctx, user: SandboxRecord) -> SandboxRecord | None:
    return store.records(ctx.account, USER_GROUP).filter(parent=user.rid).order_by("rid").first()


def _set_group(ctx: Ctx, user: SandboxRecord, group: SandboxRecord) -> SandboxRecord:
    """A user belongs to one group, through its userGroup record."""
    data = {"userid": user.id_str, "groupid": group.id_str}
    data.update(group=group.id_str, user=user.id_str)
    link = _user_group(ctx, user)
    if link is None:
        return store.create(ctx.account, USER_GROUP, data, parent=user.rid, key=group.id_str)
    link.key = group.id_str
    return store.update(link, **data)


def present_user_group(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"userGroups/{rid}/{name}") for name in ("group", "user")}
    data = record.data
    return {
        "userid": data["userid"],
        "groupid": data["groupid"],
        "links": links,
        "id": rid,
        "group": data["group"],
        "user": data["user"],
    }


def _get_user(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, USER, rid, not_found("User", rid))


def _user_error(title: str, attribute: str, code: str = "field_invalid") -> dict[str, Any]:
    """User errors carry an ``error`` slug, e.g. ``user_group_was_not_provided`` (recorded)."""
    return {
        "title": title,
        "detail": "",
        "code": code,
        "error": f"user_{attribute}_was_not_provided" if code == "field_missing" else "",
        "source": {"pointer": f"/data/attributes/{attribute}"},
    }


def _clean_user(
    ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None
) -> tuple[dict[str, Any], SandboxRecord]:
    """Validated changes of a user payload and the group it names; 422 listing every problem.

    The group is required on update too: the API answers a PUT without one with a 422.
    """
    creating = record is None
    fail(scalar_errors(attrs, ["username", "email", "password", "group", *USER_TEXT]))
    changes = {name: as_text(attrs[name]) for name in USER_TEXT if name in attrs}
    errors = []
    others = store.records(ctx.account, USER)
    if record is not None:
        others = others.exclude(pk=record.pk)

    if creating or "username" in attrs:
        username = as_text(attrs.get("username")).strip()
        if not username:
            errors.append(
                _user_error("The user username was not provided.", "username", "field_missing")
            )
        elif others.filter(key=username.lower()).exists():
            errors.append(_user_error("The username is already in use.", "username", "duplicate"))
        changes["username"] = username
    if creating or "email" in attrs:
        email = as_text(attrs.get("email")).strip()
        if not email:
            errors.append(_user_error("The user email was not provided.", "email", "field_missing"))
        elif not EMAIL.match(email):
            errors.append(_user_error("The user email is not valid.", "email", "email_invalid"))
        elif others.filter(data__email__iexact=email).exists():
            errors.append(_user_error("The email address is already in use.", "email", "duplicate"))
        changes["email"] = email
    if creating and not as_text(attrs.get("password")):
        errors.append(
            _user_error("The user password was not provided.", "password", "field_missing")
        )

    group_id = as_text(attrs.get("group")).strip()
    group = store.find(ctx.account, GROUP, group_id)
    if not group_id:
        errors.append(_user_error("The user group was not provided.", "group", "field_missing"))
    elif group is None:
        errors.append(_user_error(f"Group {group_id} does not exist.", "group"))
    fail(errors)
    assert group is not None  # _fail raised otherwise
    return changes, group


@owned_route("POST", "users", "User_createNewUser")
def create_user(ctx: Ctx):
    changes, group = _clean_user(ctx, ctx.envelope("user"), None)
    # The password is checked but never stored: nothing in the API returns it.
    user = store.create(
        ctx.account, USER, _new_user_data(ctx, **changes), key=changes["username"].lower()
    )
    _set_group(ctx, user, group)
    return 201, {"user": present_user(ctx, user, CREATED_USER_KEYS, CREATED_USER_LINKS)}


@owned_route("GET", "users", "User_listAllUsers")
def list_users(ctx: Ctx):
    qs = store.records(ctx.account, USER).order_by("rid")
    body, _ = store.paged(ctx, qs, "users", present_user)
    return body


@owned_route("GET", "users/me", "User_getLoggedInUser")
def get_me(ctx: Ctx):
    return {"user": present_user(ctx, current_user(ctx))}


@owned_route("GET", "users/{id}", "User_getById")
def get_user(ctx: Ctx, id: str):
    return {"user": present_user(ctx, _get_user(ctx, id))}


@owned_route("GET", "users/email/{email}", "User_getByEmail")
def get_user_by_email(ctx: Ctx, email: str):
    user = store.records(ctx.account, USER).filter(data__email__iexact=email).first()
    if user is None:
        raise ApiError(404, {"message": f"No Result found for User with email {email}"})
    return {"user": present_user(ctx, user)}


@owned_route("GET", "users/username/{username}", "User_getByUsername")
def get_user_by_username(ctx: Ctx, username: str):
    user = store.records(ctx.account, USER).filter(key=username.lower()).first()
    if user is None:
        raise ApiError(404, {"message": f"No Result found for User with username {username}"})
    return {"user": present_user(ctx, user)}


@owned_route("PUT", "users/{id}", "User_updateExistingUser")
def update_user(ctx: Ctx, id: str):
    user = _get_user(ctx, id)
    changes, group = _clean_user(ctx, ctx.envelope("user"), user)
    if "username" in changes:
        user.key = changes["username"].lower()
    # An update saves the whole user: an unset (null) signature comes back as "".
    if user.data.get("signature") is None:
        changes.setdefault("signature", "")
    store.update(user, **changes, udate=store.iso(ctx.account))
    link = _set_group(ctx, user, group)
    body = store.project({**full_user(ctx, user), "userGroup": link.id_str}, UPDATED_USER_KEYS)
    body["links"] = {name: body["links"][name] for name in USER_LINKS}
    return {"userGroups": [present_user_group(ctx, link)], "user": body}


@owned_route("DELETE", "users/{id}", "User_deleteUser")
def delete_user(ctx: Ctx, id: str):
    user = _get_user(ctx, id)
    store.records(ctx.account, USER_GROUP).filter(parent=user.rid).delete()
    user.delete()
    return {}
