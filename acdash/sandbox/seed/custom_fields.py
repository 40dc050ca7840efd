"""Custom fields: the contact, deal and account fields every demo account has, the values
seeded records get, and the deal/account field definitions and data records."""

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .clock import Clock
from .context import Seeding
from .vocabulary import (
    CAMPAIGNS,
    CITIES,
    COMPANY_SIZES,
    DEAL_NOTES,
    INDUSTRIES,
    INTERESTS,
    NEWSLETTER_TOPICS,
    PRODUCTS,
    STREETS,
)


def _bars(values: list[str]) -> str:
    """The API's encoding of multi-value contact fields: ``||a||b||``."""
    return "||" + "||".join(values) + "||"


# Custom field definitions: (title, type, options, share of records with a value, value).
Value = Callable[[random.Random, Clock, list[str]], Any]
FieldSpec = tuple[str, str, list[str], float, Value]


def _some(rng: random.Random, options: list[str]) -> list[str]:
    return rng.sample(options, rng.randint(1, min(3, len(options))))


CONTACT_FIELDS: list[FieldSpec] = [
    ("City", "text", [], 0.85, lambda r, c, o: r.choice(CITIES)),
    (
        "Mailing Address",
        "textarea",
        [],
        0.5,
        lambda r, c, o: f"{r.randint(1, 9999)} {r.choice(STREETS)}\n{r.choice(CITIES)}",
    ),
    (
        "Birthday",
        "date",
        [],
        0.4,
        lambda r, c, o: c.days_ago(365 * 60, 365 * 20).date().isoformat(),
    ),
    ("Last Webinar Attended", "datetime", [], 0.3, lambda r, c, o: c.iso(c.days_ago(400))),
    ("Industry", "dropdown", INDUSTRIES, 0.8, lambda r, c, o: r.choice(o)),
    ("Company Size", "dropdown", COMPANY_SIZES, 0.6, lambda r, c, o: r.choice(o)),
    ("Product Interests", "listbox", INTERESTS, 0.6, lambda r, c, o: _bars(_some(r, o))),
    (
        "Preferred Contact Method",
        "radio",
        ["Email", "Phone", "SMS"],
        0.7,
        lambda r, c, o: r.choice(o),
    ),
    ("Newsletter Topics", "checkbox", NEWSLETTER_TOPICS, 0.5, lambda r, c, o: _bars(_some(r, o))),
    ("UTM Campaign", "hidden", [], 0.45, lambda r, c, o: r.choice(CAMPAIGNS)),
]
# Deal and account custom fields: values as the custom-field-data endpoints take them
# (multi-value fields as lists, currency in cents as a number with a separate currency).
DEAL_FIELDS: list[FieldSpec] = [
    (
        "Lead Source",
        "dropdown",
        ["Website", "Referral", "Trade show", "Outbound", "Partner"],
        0.8,
        lambda r, c, o: r.choice(o),
    ),
    ("Products", "multiselect", PRODUCTS[:5], 0.6, lambda r, c, o: _some(r, o)),
    ("Expected Close", "date", [], 0.7, lambda r, c, o: c.days_ago(60, -120).date().isoformat()),
    ("Setup Fee", "currency", [], 0.4, lambda r, c, o: r.randrange(0, 500_000, 2500)),
    ("Seats", "number", [], 0.5, lambda r, c, o: str(r.randint(1, 500))),
    (
        "Competitor",
        "text",
        [],
        0.35,
        lambda r, c, o: r.choice(["Mailchimp", "HubSpot", "Klaviyo", "Brevo"]),
    ),
    ("Contract Notes", "textarea", [], 0.25, lambda r, c, o: r.choice(DEAL_NOTES)),
    ("Priority", "radio", ["High", "Medium", "Low"], 0.7, lambda r, c, o: r.choice(o)),
    (
        "Requirements",
        "checkbox",
        ["SSO", "API access", "Dedicated IP", "SLA"],
        0.4,
        lambda r, c, o: _some(r, o),
    ),
    ("Demo At", "datetime", [], 0.3, lambda r, c, o: c.iso(c.days_ago(200))),
    ("CRM Sync ID", "hidden", [], 0.5, lambda r, c, o: f"crm-{r.randint(10000, 99999)}"),
]
ACCOUNT_FIELDS: list[FieldSpec] = [
    ("Industry", "dropdown", INDUSTRIES, 0.9, lambda r, c, o: r.choice(o)),
    ("Employees", "number", [], 0.8, lambda r, c, o: str(r.choice([8, 25, 120, 450, 2300]))),
    ("Annual Revenue", "currency", [], 0.6, lambda r, c, o: r.randrange(10**7, 10**10, 10**6)),
    ("Customer Since", "date", [], 0.5, lambda r, c, o: c.days_ago(2000, 30).date().isoformat()),
    ("Tier", "radio", ["Gold", "Silver", "Bronze"], 0.7, lambda r, c, o: r.choice(o)),
    ("Regions", "multiselect", ["Americas", "EMEA", "APAC"], 0.6, lambda r, c, o: _some(r, o)),
    ("Account Notes", "textarea", [], 0.3, lambda r, c, o: r.choice(DEAL_NOTES)),
    ("Account Code", "text", [], 0.8, lambda r, c, o: f"AC-{r.randint(1000, 9999)}"),
]


# Defaults of some deal and account fields, by label (the others have none).
CUSTOM_DEFAULTS = {"Lead Source": "Website", "Priority": "Medium", "Seats": "1", "Tier": "Bronze"}


def add_custom_field_meta(
    seeding: Seeding, kind: str, specs: list[FieldSpec]
) -> list[tuple[FieldSpec, int]]:
    """The deal or account field definitions (``kind``), with the id each one gets."""
    fields = []
    for order, spec in enumerate(specs, start=1):
        title, field_type, options, _, _ = spec
        created = seeding.clock.plain(seeding.clock.days_ago(1200, 1000))
        data = {
            "fieldLabel": title,
            "fieldType": field_type,
            "fieldOptions": options or None,
            "fieldDefault": CUSTOM_DEFAULTS.get(title),
            "fieldDefaultCurrency": "usd" if field_type == "currency" else None,
            "isFormVisible": 1,
            "isRequired": 0,
            "displayOrder": order,
            "personalization": "",
            "knownFieldId": None,
            "hideFieldFlag": 1 if field_type == "hidden" else 0,
            "createdTimestamp": created,
            "updatedTimestamp": created,
        }
        fields.append((spec, seeding.w.add(kind, data)))
    return fields


def _custom_value(seeding: Seeding, spec: FieldSpec) -> dict[str, Any]:
    value = spec[4](seeding.rng, seeding.clock, spec[2])
    if spec[1] == "currency":
        return {"fieldValue": value, "fieldCurrency": "usd"}
    return {"fieldValue": value}


def add_custom_field_data(
    seeding: Seeding,
    owner: str,
    owner_id: int,
    fields: list[tuple[FieldSpec, int]],
    created: datetime,
    updated: datetime,
) -> None:
    """Values of some of ``fields`` for one deal or account: ``owner`` is "deal" or
    "account", which names the record kind and its attributes."""
    clock = seeding.clock
    for spec, field_id in fields:
        if seeding.rng.random() < spec[3]:
            datum = {
                f"{owner}CustomFieldMetumId": field_id,
                f"{owner}Id": owner_id,
                "customFieldId": field_id,
                "createdTimestamp": clock.plain(created),
                "updatedTimestamp": clock.plain(updated),
                **_custom_value(seeding, spec),
            }
            kind = f"{owner}CustomFieldDatum"
            seeding.w.add(kind, datum, parent=owner_id, key=str(field_id))
