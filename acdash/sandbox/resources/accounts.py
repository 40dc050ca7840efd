"""Accounts (the API's customer accounts): ``/accounts`` and ``/accountContacts``."""

from typing import Any

from django.db.models import Count

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, invalid, missing, not_found, route
from .customfielddata import set_fields

KIND = "account"
CONTACT = "accountContact"
LINKS = ["notes", "accountCustomFieldData", "accountContacts"]
COUNTS = ("contactCount", "dealCount")

# The key sets each operation returns, from the reference's examples.
KEYS = ["name", "accountUrl", "createdTimestamp", "updatedTimestamp", "links", "id"]
WRITE_KEYS = [*KEYS[:5], "fields", "id"]
LIST_KEYS = [*KEYS[:4], "contactCount", "dealCount", *KEYS[4:]]
CONTACT_KEYS = ["account", "contact", "jobTitle", "createdTimestamp", "updatedTimestamp"]
CONTACT_KEYS += ["links", "id"]


def _missing_account(rid: object) -> ApiError:
    return not_found("CustomerAccount", rid)


def get_account(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, KIND, rid, _missing_account(rid))


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    # One account's own responses carry an empty links list; lists carry the links object.
    return {**record.data, "links": [], "id": record.id_str}


@store.presenter(KIND)
def present_account(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /accounts/{id} returns it."""
    return store.project(full(ctx, record), KEYS)


def _written(ctx: Ctx, record: SandboxRecord, fields: list[SandboxRecord]) -> dict[str, Any]:
    """POST/PUT answer: the account with the custom field values the request set."""
    body = {**full(ctx, record), "fields": [store.present(ctx, f, "field") for f in fields]}
    return {"account": store.project(body, WRITE_KEYS)}


def _clean(ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if record is None or "name" in attrs:
        name = attrs.get("name")
        name = str(name).strip() if name is not None else ""
        if not name:
            raise missing("The account name was not provided.", "name")
        clash = store.records(ctx.account, KIND).filter(data__name__iexact=name)
        if record is not None:
            clash = clash.exclude(pk=record.pk)
        if clash.exists():
            raise invalid(
                f'An account named "{name}" already exists. Please choose a new name.',
                "name",
                code="duplicate",
            )
        changes["name"] = name
    if "accountUrl" in attrs:
        url = attrs["accountUrl"]
        changes["accountUrl"] = str(url) if url not in (None, "") else None
    return changes


@route("POST", "accounts", "Account_createNewAccount")
def create_account(ctx: Ctx):
    attrs = ctx.envelope("account")
    changes = _clean(ctx, attrs, None)
    now = store.iso(ctx.account)
    data = {
        "name": changes["name"],
        "accountUrl": changes.get("accountUrl"),
        "createdTimestamp": now,
        "updatedTimestamp": now,
    }
    record = store.create(ctx.account, KIND, data)
    fields = set_fields(ctx, "account", record.rid, attrs.get("fields"))
    return 201, _written(ctx, record, fields)


@route("GET", "accounts/{id}", "Account_getById")
def get_account_detail(ctx: Ctx, id: str):
    return {"account": present_account(ctx, get_account(ctx, id))}


@route("PUT", "accounts/{id}", "Account_updateExisting")
def update_account(ctx: Ctx, id: str):
    record = get_account(ctx, id)
    attrs = ctx.envelope("account")
    changes = _clean(ctx, attrs, record)
    fields = set_fields(ctx, "account", record.rid, attrs.get("fields"))
    store.update(record, **changes, updatedTimestamp=store.iso(ctx.account))
    if "name" in changes:
        _show_on_contacts(ctx, _members(ctx, [record.id_str]), record)
    return _written(ctx, record, fields)


def _members(ctx: Ctx, keys: list[str]) -> list[int]:
    links = store.records(ctx.account, CONTACT).filter(key__in=keys)
    return list(links.values_list("parent", flat=True))


def _show_on_contacts(ctx: Ctx, contact_ids: list[int], account: SandboxRecord | None) -> None:
    """A contact shows its account as its organization (orgid, orgname, organization)."""
    rid = account.id_str if account else None
    name = account.data["name"] if account else ""
    for contact in store.records(ctx.account, "contact").filter(rid__in=contact_ids):
        store.update(contact, orgid=rid or "0", orgname=name, organization=rid)


def _delete(ctx: Ctx, ids: list[int]) -> None:
    """Delete accounts with what hangs off them: associations, field values, notes; their
    contacts and deals lose the account."""
    keys = [str(i) for i in ids]
    _show_on_contacts(ctx, _members(ctx, keys), None)
    for deal in store.records(ctx.account, "deal").filter(data__organization__in=keys):
        store.update(deal, organization=None)
    store.records(ctx.account, CONTACT).filter(key__in=keys).delete()
    store.records(ctx.account, "accountCustomFieldDatum").filter(parent__in=ids).delete()
    notes = store.records(ctx.account, "note").filter(data__reltype="CustomerAccount")
    notes.filter(parent__in=ids).delete()
    store.records(ctx.account, KIND).filter(rid__in=ids).delete()


@route("DELETE", "accounts/{id}", "Account_deleteById")
def delete_account(ctx: Ctx, id: str):
    _delete(ctx, [get_account(ctx, id).rid])
    return {}


@route("DELETE", "accounts/bulk_delete", "Account_bulkDelete")
def bulk_delete_accounts(ctx: Ctx):
    # The reference spells the parameter "[]ids"; clients send ids[]=1&ids[]=2.
    raw = ctx.query.getlist("[]ids")
    ids = ctx.id_list("ids") + [int(v) for v in raw if v.strip().isdigit()]
    if not ids:
        raise ApiError(400, {})
    _delete(ctx, ids)
    return {"meta": {"success": True}}


def _counts(ctx: Ctx, page: list[SandboxRecord]) -> dict[str, dict[str, int]]:
    """Contacts and deals per account of the page, in two queries."""
    keys = [r.id_str for r in page]
    contacts = store.records(ctx.account, CONTACT).filter(key__in=keys)
    # Deals keep their account as "organization" (deals.py).
    deals = store.records(ctx.account, "deal").filter(data__organization__in=keys)
    # str(): SQLite hands a JSON string of digits back as a number.
    return {
        name: {str(k): n for k, n in qs.values_list(column).annotate(n=Count("pk"))}
        for name, qs, column in (
            ("contactCount", contacts, "key"),
            ("dealCount", deals, "data__organization"),
        )
    }


@route("GET", "accounts", "List_allAccounts")
def list_accounts(ctx: Ctx):
    qs = store.records(ctx.account, KIND).order_by("rid")
    if search := ctx.param("search"):
        qs = qs.filter(data__name__icontains=search)
    limit, offset = store.page_bounds(ctx)
    page = list(qs[offset : offset + limit])
    counting = (ctx.param("count_deals") or "").lower() in {"true", "1"}
    counts = _counts(ctx, page) if counting else {}

    def present(record: SandboxRecord) -> dict[str, Any]:
        rid = record.id_str
        body = {
            **full(ctx, record),
            **{
                name: str(counts.get(name, {}).get(rid, 0))
                for name in ("contactCount", "dealCount")
            },
            "links": {name: ctx.link(f"accounts/{rid}/{name}") for name in LINKS},
        }
        return store.project(body, LIST_KEYS)

    return {"accounts": [present(r) for r in page], "meta": {"total": str(qs.count())}}


# Associations of contacts with accounts ----------------------------------------------


def _missing_association(rid: object) -> ApiError:
    return not_found("CustomerAccountSubscriber", rid)


def _get_association(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, CONTACT, rid, _missing_association(rid))


def _association_full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    links = {name: ctx.link(f"accountContacts/{rid}/{name}") for name in ("account", "contact")}
    return {**record.data, "links": links, "id": rid}


@store.presenter(CONTACT)
def present_association(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /accountContacts/{id} and GET /contacts/{id}/accountContacts return it."""
    return store.project(_association_full(ctx, record), CONTACT_KEYS)


@route("POST", "accountContacts", "Account_createAssociation")
def create_association(ctx: Ctx):
    attrs = ctx.envelope("accountContact")
    for name in ("account", "contact"):
        if attrs.get(name) in (None, ""):
            raise missing(f"The {name} attribute was not provided", name)
    account = get_account(ctx, attrs["account"])
    contact = store.find(ctx.account, "contact", attrs["contact"])
    if contact is None:
        raise not_found("Subscriber", attrs["contact"])
    if store.records(ctx.account, CONTACT).filter(parent=contact.rid).exists():
        raise invalid(
            "This contact is already associated with an account. "
            "We currently do not support contacts on multiple accounts.",
            "account,contact",
        )
    now = store.iso(ctx.account)
    data = {
        "account": account.id_str,
        "contact": contact.id_str,
        "jobTitle": str(attrs.get("jobTitle") or ""),
        "createdTimestamp": now,
        "updatedTimestamp": now,
    }
    record = store.create(ctx.account, CONTACT, data, parent=contact.rid, key=account.id_str)
    _show_on_contacts(ctx, [contact.rid], account)
    body = present_association(ctx, record)
    # Create answers the ids as the numbers it was sent; reads answer strings.
    body.update(account=account.rid, contact=contact.rid)
    return 201, {"accountContact": body}


@route("GET", "accountContacts", "List_accountAssociations")
def list_associations(ctx: Ctx):
    qs = store.records(ctx.account, CONTACT).order_by("rid")
    if (contact := ctx.int_param("filters[contact]")) is not None:
        qs = qs.filter(parent=contact)
    if (account := ctx.int_param("filters[account]")) is not None:
        qs = qs.filter(key=str(account))
    body, _ = store.paged(ctx, qs, "accountContacts", present_association)
    return body


@route("GET", "accountContacts/{id}", "Account_getAssociation")
def get_association(ctx: Ctx, id: str):
    # The reference's example carries a meta object (with only debug output in it).
    return {"accountContact": present_association(ctx, _get_association(ctx, id)), "meta": {}}


@route("PUT", "accountContacts/{id}", "Account_updateAssociation")
def update_association(ctx: Ctx, id: str):
    record = _get_association(ctx, id)
    attrs = ctx.envelope("accountContact")
    changes: dict[str, Any] = {"updatedTimestamp": store.iso(ctx.account)}
    if "jobTitle" in attrs:
        changes["jobTitle"] = str(attrs["jobTitle"] or "")
    store.update(record, **changes)
    return {"accountContact": present_association(ctx, record)}


@route("DELETE", "accountContacts/{id}", "Account_deleteAssociation")
def delete_association(ctx: Ctx, id: str):
    record = _get_association(ctx, id)
    _show_on_contacts(ctx, [record.parent], None)
    record.delete()
    return {}
