"""Organisations (the API's accounts) with their custom field data."""

import re

from .clock import ANCHOR
from .context import Seeding
from .custom_fields import ACCOUNT_FIELDS, add_custom_field_data, add_custom_field_meta
from .vocabulary import ORG_KINDS, ORG_SUFFIXES, ORG_WORDS


def add_organisations(seeding: Seeding, count: int) -> list[tuple[int, str, str]]:
    rng = seeding.rng
    pairs = [f"{word} {kind}" for word in ORG_WORDS for kind in ORG_KINDS]
    fields = add_custom_field_meta(seeding, "accountCustomFieldMeta", ACCOUNT_FIELDS)
    orgs = []
    for pair in rng.sample(pairs, min(count, len(pairs))):
        name = f"{pair} {rng.choice(ORG_SUFFIXES)}"
        domain = re.sub(r"[^a-z0-9]+", "", pair.lower()) + ".com"
        created = seeding.clock.days_ago(1100, 200)
        stamp = seeding.clock.iso(created)
        data = {
            "name": name,
            "accountUrl": f"https://www.{domain}" if rng.random() < 0.8 else None,
            "createdTimestamp": stamp,
            "updatedTimestamp": seeding.clock.iso(seeding.clock.between(created, ANCHOR)),
        }
        org_id = seeding.w.add("account", data)
        add_custom_field_data(seeding, "account", org_id, fields, created, created)
        orgs.append((org_id, name, domain))
    return orgs
