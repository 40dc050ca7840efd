"""An account's setup as compare sees it: each part's items by name, with the attributes
that make two items the same. Ids never appear: they differ per account.

Read in one go per account: the parts' (mostly cached) reads at once, and every account at
once (``read_setups``); on a cold cache 10 calls per account, 1 (the branding) warm.
"""

from dataclasses import dataclass, field
from typing import Any

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    ApiError,
    Client,
    branding,
    customfields,
    fields,
    lists,
    pipelines,
    tags,
    tasks,
)
from acdash.activecampaign.concurrency import gather

from .branding import LABELS

PARTS = {
    "contact_fields": "Contact fields",
    "deal_fields": "Deal fields",
    "account_fields": "Account fields",
    "pipelines": "Pipelines and stages",
    "task_types": "Task types and outcomes",
    "tags": "Tags",
    "lists": "Lists",
    "branding": "Branding",
}


@dataclass(frozen=True)
class Item:
    name: str
    kind: str = ""  # a field's type: the same name with another kind is a conflict
    attrs: dict[str, Any] = field(default_factory=dict)  # lists keep their order


type Part = dict[str, Item]  # by ``key(name)``


@dataclass(frozen=True)
class Setup:
    account: ConnectedAccount
    parts: dict[str, Part]
    notes: list[str]  # what could not be compared in full
    error: str = ""  # set: nothing could be read


def key(name: str) -> str:
    """Names match ignoring case and surrounding spaces, as the API keeps them unique."""
    return name.strip().casefold()


def _part(items: list[Item]) -> Part:
    return {key(item.name): item for item in items}


def _contact_fields(found: list[fields.Field]) -> Part:
    return _part(
        [
            Item(
                f.title,
                f.type,
                {
                    "options": [o.value for o in f.options],
                    "default": fields.to_api(f.type, f.default),
                    "required": f.required,
                    "visible": f.visible,
                },
            )
            for f in found
        ]
    )


def _custom_fields(found: list[customfields.CustomField]) -> Part:
    return _part(
        [
            Item(
                f.label,
                f.type,
                {
                    "options": list(f.options),
                    "default": f.default,
                    "default currency": f.default_currency,
                    "required": f.required,
                    "visible": f.form_visible,
                },
            )
            for f in found
        ]
    )


def _pipelines(found: list[pipelines.Pipeline]) -> Part:
    return _part(
        [
            Item(p.title, "", {"currency": p.currency, "stages": [s.title for s in p.stages]})
            for p in found
        ]
    )


def _task_types(setup: tasks.TaskSetup) -> Part:
    return _part(
        [
            Item(
                t.title,
                "",
                {"outcomes": [f"{o.title} ({o.sentiment})" for o in setup.outcomes_for(t.id)]},
            )
            for t in setup.types
        ]
    )


def _tags(catalog: tags.TagCatalog) -> Part:
    return _part([Item(t.name, t.type, {"description": t.description}) for t in catalog.tags])


def _branding(saved: branding.Branding) -> Part:
    attrs = {LABELS[name].lower(): getattr(saved, name) for name in branding.BRANDING_ATTRIBUTES}
    return {"branding": Item("Branding", "", attrs)}


def read_setup(client: Client, account: ConnectedAccount) -> Setup:
    """One account's setup: its parts read at once."""
    found = gather(
        lambda: fields.list_fields(client),
        lambda: customfields.list_custom_fields(client, "deal"),
        lambda: customfields.list_custom_fields(client, "account"),
        lambda: pipelines.list_pipelines(client),
        lambda: tasks.task_setup(client),
        lambda: tags.tag_catalog(client),
        lambda: lists.list_lists(client),
        lambda: branding.get_branding(client),
    )
    contact, deal, account_fields, boards, task_setup, catalog, named, brand = found
    notes = [] if catalog.complete else [f"Only the first {len(catalog.tags)} tags compared."]
    parts = {
        "contact_fields": _contact_fields(contact),
        "deal_fields": _custom_fields(deal),
        "account_fields": _custom_fields(account_fields),
        "pipelines": _pipelines(boards),
        "task_types": _task_types(task_setup),
        "tags": _tags(catalog),
        "lists": _part([Item(lst.name) for lst in named]),
        "branding": _branding(brand),
    }
    return Setup(account, parts, notes)


def _read_or_error(account: ConnectedAccount) -> Setup:
    try:
        return read_setup(client_for_account(account), account)
    except ApiError as exc:
        return Setup(account, {}, [], error=exc.message)


def read_setups(accounts: list[ConnectedAccount]) -> list[Setup]:
    """Every account's setup, all at once; an account that cannot be read says why."""
    return gather(*[lambda a=a: _read_or_error(a) for a in accounts])
