"""Contact sub-resources: the ``/contacts/{id}/…`` routes.

Also the contact's activity histories the sandbox does not generate, answered empty.
"""

from .. import store
from ..routing import Ctx, route
from .automations import of_contact
from .contacts import get_contact
from .tracking import contact_logs

route("GET", "contacts/{id}/contactAutomations", "Contact_getAutomations")(of_contact)
route("GET", "contacts/{contactId}/trackingLogs", "Contact_getTrackingLogs")(contact_logs)


def _children(ctx: Ctx, id: str, kind: str, plural: str, variant: str = "default"):
    contact = get_contact(ctx, id)
    rows = store.records(ctx.account, kind).filter(parent=contact.rid).order_by("rid")
    return {plural: [store.present(ctx, r, variant) for r in rows]}


@route("GET", "contacts/{id}/fieldValues", "Field_getValues")
def contact_field_values(ctx: Ctx, id: str):
    return _children(ctx, id, "fieldValue", "fieldValues")


@route("GET", "contacts/{id}/contactLists", "List_getContactListMemberships")
def contact_lists(ctx: Ctx, id: str):
    return _children(ctx, id, "contactList", "contactLists")


@route("GET", "contacts/{id}/contactTags", "Contact_getContactTags")
def contact_tags(ctx: Ctx, id: str):
    return _children(ctx, id, "contactTag", "contactTags")


@route("GET", "contacts/{id}/deals", "Deal_getContactDeals")
def contact_deals(ctx: Ctx, id: str):
    return _children(ctx, id, "deal", "deals", "contactDeals")


@route("GET", "contacts/{id}/accountContacts", "Account_getAccountContacts")
def contact_account_contacts(ctx: Ctx, id: str):
    return _children(ctx, id, "accountContact", "accountContacts")


@route("GET", "contacts/{id}/notes", "Note_getContactsNotes")
def contact_notes(ctx: Ctx, id: str):
    contact = get_contact(ctx, id)
    rows = (
        store.records(ctx.account, "note")
        .filter(parent=contact.rid, data__reltype="Subscriber")
        .order_by("rid")
    )
    return {"notes": [store.present(ctx, r) for r in rows]}


def _empty(plural: str):
    def handler(ctx: Ctx, id: str):
        get_contact(ctx, id)
        return {plural: []}

    return handler


# Activity the sandbox does not generate (bounces, goals, logs): real
# contacts exist, with empty histories.
for _path, _plural, _operation in (
    ("scoreValues", "scoreValues", "Contact_getScoreValues"),
    ("bounceLogs", "bounceLogs", "Contact_getBounceLogs"),
    ("contactGoals", "contactGoals", "Contact_getGoals"),
    ("contactLogs", "contactLogs", "Contact_getLogs"),
    ("geoIps", "geoIps", "List_contactGeoIps"),
    ("automationEntryCounts", "automationEntryCounts", "Contact_getAutomationEntryCounts"),
):
    route("GET", f"contacts/{{id}}/{_path}", _operation)(_empty(_plural))
