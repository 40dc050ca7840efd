"""The contact page's data (``get_contact``): the contact with its custom field values,
lists, deals and tags."""

from dataclasses import dataclass
from typing import Any

from .client import Client
from .concurrency import gather
from .contacts import Contact, contact, remember_labels, with_organization_names
from .fields import (
    Field,
    FieldPython,
    FieldValue,
    field_value,
    fields_for,
    list_fields,
    to_python,
)
from .lists import ListMembership, list_names, membership
from .parsing import parse_int, parse_optional_int
from .tags import ContactTag, contact_tags


@dataclass(frozen=True, slots=True)
class ContactDeal:
    id: int
    title: str
    value_cents: int
    currency: str  # upper case, e.g. "USD"
    status: int  # 0 open, 1 won, 2 lost
    stage_id: int | None
    pipeline_id: int | None
    owner_id: int | None


@dataclass(frozen=True, slots=True)
class ContactDetail:
    contact: Contact
    fields: list[Field]  # every custom field, in display order
    values: dict[int, FieldValue]  # the contact's values, by field id
    lists: list[ListMembership]
    deals: list[ContactDeal]  # deals whose primary contact this is
    tags: list[ContactTag]

    @property
    def custom_fields(self) -> list[tuple[Field, FieldPython]]:
        """Every field with the contact's value, or the unset value of its type."""
        return [
            (f, self.values[f.id].value if f.id in self.values else to_python(f.type, None))
            for f in self.fields
        ]


def _deal(raw: dict[str, Any]) -> ContactDeal:
    return ContactDeal(
        id=int(raw["id"]),
        title=str(raw.get("title") or ""),
        value_cents=parse_int(raw.get("value")),
        currency=str(raw.get("currency") or "").upper(),
        status=parse_int(raw.get("status")),
        stage_id=parse_optional_int(raw.get("stage")),
        pipeline_id=parse_optional_int(raw.get("group")),
        owner_id=parse_optional_int(raw.get("owner")),
    )


def get_contact(client: Client, contact_id: int) -> ContactDetail:
    """Everything the contact page shows but notes: 3 calls, made at once.

    ``GET /contacts/{id}`` (field values, lists), ``GET /contacts/{id}/contactTags`` and
    ``GET /contacts/{id}/deals``: the deals side-loaded by the first carry neither value
    nor stage, and asking for them alongside rather than after costs a call for a contact
    without deals but saves a round trip for every other. Field definitions and list and
    tag names come from the cache (loaded alongside on a miss), organization names too (a
    call after, on a miss). An unknown contact: NotFound.
    """
    body, tags, raw_deals, _, _ = gather(
        lambda: client.get(f"/contacts/{contact_id}"),
        lambda: contact_tags(client, contact_id),
        lambda: client.get(f"/contacts/{contact_id}/deals").get("deals") or [],
        lambda: list_fields(client),
        lambda: list_names(client),
    )
    raw_values, raw_lists = body.get("fieldValues") or [], body.get("contactLists") or []
    # Cached by now; an id they lack (created in ActiveCampaign since) reloads one once.
    fields = fields_for(client, (parse_int(raw.get("field")) for raw in raw_values))
    names = list_names(client, (parse_int(raw.get("list")) for raw in raw_lists))
    by_id = {f.id: f for f in fields}
    values = (field_value(raw, by_id) for raw in raw_values)
    found = with_organization_names(client, [contact(body["contact"])])[0]
    remember_labels(client, [found])
    return ContactDetail(
        contact=found,
        fields=fields,
        values={value.field_id: value for value in values},
        lists=[membership(raw, names) for raw in raw_lists],
        deals=[_deal(raw) for raw in raw_deals],
        tags=tags,
    )
