"""Contacts and what belongs to them: lists and subscriptions, contact fields and their
values, tags, and the links to the organisations they work for."""

import re

from ..resources.contacts import new_contact_data
from ..resources.lists import new_list_data
from .clock import ANCHOR
from .context import Person, Seeding
from .custom_fields import CONTACT_FIELDS, FieldSpec
from .vocabulary import (
    AREA_CODES,
    FIRST_NAMES,
    FREE_DOMAINS,
    JOB_TITLES,
    LAST_NAMES,
    LISTS,
    TAGS,
    UNSUBSCRIBE_REASONS,
)


def _perstag(title: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", title.upper()).strip("_")


def add_lists(seeding: Seeding) -> None:
    seeding.list_ids = []
    for title, _ in LISTS:
        data = new_list_data(
            seeding.ctx,
            title,
            re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
            cdate=seeding.clock.iso(seeding.clock.days_ago(1300, 1100)),
            udate=None,
            get_unsubscribe_reason="1",
            sender_name=seeding.account.name,
            sender_addr1="100 Main St",
            sender_city="Springfield",
            sender_state="IL",
            sender_zip="62701",
            sender_country="US",
            sender_url=f"https://{seeding.domain}",
            sender_reminder=f"You signed up for {title} at {seeding.account.name}.",
        )
        seeding.list_ids.append(seeding.w.add("list", data))


def add_contact_fields(seeding: Seeding) -> list[tuple[FieldSpec, int]]:
    fields = []
    for order, spec in enumerate(CONTACT_FIELDS, start=1):
        title, kind, options, _, _ = spec
        created = seeding.clock.iso(seeding.clock.days_ago(1200, 1000))
        data = {
            "title": title,
            "descript": "",
            "type": kind,
            "isrequired": "0",
            "perstag": _perstag(title),
            "defval": "",
            "show_in_list": "1" if order <= 3 else "0",
            "rows": "4" if kind == "textarea" else "0",
            "cols": "40" if kind == "textarea" else "0",
            "visible": "1",
            "service": "",
            "ordernum": str(order),
            "cdate": created,
            "udate": created,
        }
        field_id = seeding.w.add("field", data)
        for position, option in enumerate(options, start=1):
            option_data = {
                "orderid": str(position),
                "value": option,
                "label": option,
                "isdefault": "0",
                "field": str(field_id),
                "cdate": created,
                "udate": created,
            }
            seeding.w.add("fieldOption", option_data, parent=field_id)
        # Newsletter topics only show on the newsletter list; the rest on all lists ("0").
        relid = str(seeding.list_ids[0]) if title == "Newsletter Topics" else "0"
        rel = {"field": str(field_id), "relid": relid, "dorder": "0", "cdate": created}
        seeding.w.add("fieldRel", rel, parent=field_id)
        fields.append((spec, field_id))
    return fields


def add_tags(seeding: Seeding, people: list[Person]) -> None:
    rng = seeding.rng
    tag_ids = [
        seeding.w.add(
            "tag",
            {
                "tagType": "contact",
                "tag": name,
                "description": description,
                "cdate": seeding.clock.iso(seeding.clock.days_ago(1200, 900)),
            },
            key=name.lower(),
        )
        for name, description in TAGS
    ]
    # Popular tags first: their weights fall off as 1 / (rank + 2).
    weights = [1 / (rank + 2) for rank in range(len(TAGS))]
    for contact_id, person in enumerate(people, start=1):
        count = rng.choice([0, 1, 1, 2, 3, 4])
        for tag_id in sorted(set(rng.choices(tag_ids, weights, k=count))):
            data = {
                "cdate": seeding.clock.iso(seeding.clock.between(person.cdate, ANCHOR)),
                "contact": str(contact_id),
                "tag": str(tag_id),
            }
            seeding.w.add("contactTag", data, parent=contact_id, key=str(tag_id))


def add_contacts(seeding: Seeding, count: int, orgs: list[tuple[int, str, str]]) -> list[Person]:
    rng, clock = seeding.rng, seeding.clock
    fields = add_contact_fields(seeding)
    used: set[str] = set()
    people = []
    for contact_id in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        org = rng.choice(orgs) if rng.random() < 0.45 else None
        domain = org[2] if org else rng.choice(FREE_DOMAINS)
        email = _unique_email(seeding, first, last, domain, used)
        created = clock.days_ago(1000)
        updated = clock.between(created, ANCHOR)
        active = clock.between(created, ANCHOR) if rng.random() < 0.7 else None
        phone = ""
        if rng.random() < 0.75:
            area = rng.choice(AREA_CODES)
            phone = f"+1-{area}-555-{rng.randint(0, 9999):04d}"
        data = new_contact_data(
            seeding.ctx,
            email,
            firstName=first,
            lastName=last,
            phone=phone,
            orgid=str(org[0]) if org else "0",
            orgname=org[1] if org else "",
            organization=str(org[0]) if org else None,
            sentcnt=str(rng.randint(0, 120)),
            adate=clock.iso(active) if active else None,
            cdate=clock.iso(created),
            udate=clock.iso(updated),
            created_utc_timestamp=clock.utc(created),
            updated_utc_timestamp=clock.utc(updated),
            created_timestamp=clock.plain(created),
            updated_timestamp=clock.plain(updated),
        )
        seeding.w.add("contact", data, key=email)  # gets contact_id: ids count from 1
        stamp = clock.iso(created)
        for spec, field_id in fields:
            if rng.random() < spec[3]:
                value = {
                    "contact": str(contact_id),
                    "field": str(field_id),
                    "value": spec[4](rng, clock, spec[2]),
                    "cdate": stamp,
                    "udate": stamp,
                    "created_by": "0",
                    "updated_by": "0",
                }
                seeding.w.add("fieldValue", value, parent=contact_id, key=str(field_id))
        if org:
            link = {
                "account": str(org[0]),
                "contact": str(contact_id),
                "jobTitle": rng.choice(JOB_TITLES),
                "createdTimestamp": stamp,
                "updatedTimestamp": stamp,
            }
            seeding.w.add("accountContact", link, parent=contact_id, key=str(org[0]))
        people.append(Person(first, last, org[0] if org else None, created))
    return people


def _unique_email(seeding: Seeding, first: str, last: str, domain: str, used: set[str]) -> str:
    first, last = first.lower(), last.lower()
    pattern = seeding.rng.choice(
        [
            f"{first}.{last}",
            f"{first}{last}",
            f"{first[0]}{last}",
            f"{first}_{last}",
            f"{first}.{last[0]}",
            f"{first}",
        ]
    )
    local, n = pattern, 1
    while f"{local}@{domain}" in used:
        n += 1
        local = f"{pattern}{n}"
    used.add(f"{local}@{domain}")
    return f"{local}@{domain}"


def add_contact_lists(seeding: Seeding, people: list[Person]) -> None:
    rng, clock = seeding.rng, seeding.clock
    for contact_id, person in enumerate(people, start=1):
        for list_id, (_, share) in zip(seeding.list_ids, LISTS, strict=True):
            if rng.random() >= share:
                continue
            subscribed = clock.between(person.cdate, ANCHOR)
            unsubscribed = rng.random() < 0.12
            changed = clock.between(subscribed, ANCHOR) if unsubscribed else subscribed
            data = {
                "contact": str(contact_id),
                "list": str(list_id),
                "form": None,
                "seriesid": "0",
                "sdate": clock.iso(subscribed),
                "udate": clock.iso(changed),
                "status": "2" if unsubscribed else "1",
                "responder": "1",
                "sync": "0",
                "unsubreason": rng.choice(UNSUBSCRIBE_REASONS) if unsubscribed else None,
                "campaign": None,
                "message": None,
                "first_name": person.first,
                "last_name": person.last,
                "ip4Sub": "0",
                "sourceid": "0",
                "autosyncLog": None,
                "ip4_last": "0",
                "ip4Unsub": "0",
                "created_timestamp": clock.plain(subscribed),
                "updated_timestamp": clock.plain(changed),
                "created_by": None,
                "updated_by": None,
                "unsubscribeAutomation": None,
                "automation": None,
            }
            seeding.w.add("contactList", data, parent=contact_id, key=str(list_id))
