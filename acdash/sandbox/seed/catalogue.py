"""Demo data of the smaller families: segments, forms, templates, scores, configs, group
limits, an address, a calendar feed, saved responses, and a custom object schema with
records related to contacts."""

from ..engine import new_data, uuid_for
from ..resources import catalogue as c
from ..resources.customobjects import RECORDS, SCHEMAS
from .context import Seeding

SEGMENTS = ["Engaged last 30 days", "Bought twice or more", "Newsletter readers"]
FORMS = ["Newsletter sign-up", "Contact us", "Webinar registration"]
TEMPLATES = ["Plain announcement", "Monthly newsletter", "Event invitation"]
SCORES = [("contact", "Link engagement"), ("contact", "Replies"), ("deal", "Deal fit")]
RESPONSES = [("Thanks for your order", "Your order", "Thank you, we are on it.")]
RESPONSES += [("Meeting follow-up", "Our meeting", "Thanks for your time today.")]


def add_catalogue(seeding: Seeding, contacts: int) -> None:
    account, clock, w = seeding.account, seeding.clock, seeding.w

    def add(kind: str, family, **changes) -> int:
        return w.add(kind, new_data(account, family, clock.days_ago(600, 30), **changes))

    for name in SEGMENTS:
        add("segment", c.SEGMENTS, name=name, seriesid="0")
    for name in FORMS:
        add("form", c.FORMS, name=name, title=name, aid="0")
    for name in TEMPLATES:
        add("template", c.TEMPLATES, name=name, subject=name, content=f"<p>{name}</p>")
    for reltype, name in SCORES:
        add("score", c.SCORES, reltype=reltype, name=name, descript=f"{name} points")
    add("config", c.CONFIGS, keyname="pagination.users_index", val="20")
    for group in range(1, len(seeding.groups) + 1):
        add("groupLimit", c.GROUP_LIMITS, groupid=str(group))
    add(
        "address", c.ADDRESSES, companyName=account.name, address1="100 Main St", city="Springfield"
    )
    add("calendar", c.CALENDARS, title="Deal tasks", type="Deals", token=f"{account.slug}-deals")
    for title, subject, body in RESPONSES:
        add("savedResponse", c.SAVED_RESPONSES, title=title, subject=subject, body=body)
    _custom_objects(seeding, contacts)


def _custom_objects(seeding: Seeding, contacts: int) -> None:
    account, clock, rng = seeding.account, seeding.clock, seeding.rng
    labels = {"singular": "Subscription", "plural": "Subscriptions"}
    fields = [
        {"id": "plan", "labels": {"singular": "Plan", "plural": "Plans"}, "type": "text"},
        {"id": "seats", "labels": {"singular": "Seats", "plural": "Seats"}, "type": "number"},
    ]
    relation = {"id": "primary-contact", "namespace": "contacts", "hasMany": False}
    relation["labels"] = {"singular": "Primary Contact", "plural": "Primary Contacts"}
    rid = seeding.w.peek("customObjectSchema")
    key = uuid_for(account.slug, "customObjectSchema", rid)
    schema = new_data(
        account,
        SCHEMAS,
        clock.days_ago(200, 150),
        slug="subscription",
        labels=labels,
        description="Software subscriptions",
        fields=fields,
        relationships=[relation],
    )
    seeding.w.add("customObjectSchema", schema, key=key)
    for number in range(1, min(contacts, 8) + 1):
        rid = seeding.w.peek("customObjectRecord")
        record = new_data(
            account,
            RECORDS,
            clock.days_ago(150),
            schemaId=key,
            externalId=f"sub-{number:03d}",
            fields=[
                {"id": "plan", "value": rng.choice(["Starter", "Team", "Business"])},
                {"id": "seats", "value": rng.randint(1, 50)},
            ],
            relationships={"primary-contact": [str(number)]},
        )
        seeding.w.add("customObjectRecord", record, key=uuid_for(account.slug, RECORDS.kind, rid))
