"""An account's setup as compare sees it: each part's items by name, with the attributes
that make two items the same. Ids never appear: they differ per account.

Read in one go per account: the parts' (mostly cached) reads at once, and every account at
once (``read_setups``); on a cold cache 10 calls per account, 1 (the branding) warm.
"""

from collections.abc import Callable
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
                    "default": customfields.to_api(f.type, f.default),  # JSON-ready
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


# Each part's read, by part: what the copy job reads one part of a target with.
READERS: dict[str, Callable[[Client], Part]] = {
    "contact_fields": lambda c: _contact_fields(fields.list_fields(c)),
    "deal_fields": lambda c: _custom_fields(customfields.list_custom_fields(c, "deal")),
    "account_fields": lambda c: _custom_fields(customfields.list_custom_fields(c, "account")),
    "pipelines": lambda c: _pipelines(pipelines.list_pipelines(c)),
    "task_types": lambda c: _task_types(tasks.task_setup(c)),
    "tags": lambda c: _tags(tags.tag_catalog(c)),
    "lists": lambda c: _part([Item(lst.name) for lst in lists.list_lists(c)]),
    "branding": lambda c: _branding(branding.get_branding(c)),
}


def read_setup(client: Client, account: ConnectedAccount) -> Setup:
    """One account's setup: its parts read at once."""
    complete = [True]

    def catalog(c: Client) -> Part:
        found = tags.tag_catalog(c)
        complete[0] = found.complete
        return _tags(found)

    readers = {**READERS, "tags": catalog}
    found = gather(*[lambda r=reader: r(client) for reader in readers.values()])
    parts = dict(zip(readers, found, strict=True))
    notes = [] if complete[0] else [f"Only the first {len(parts['tags'])} tags compared."]
    return Setup(account, parts, notes)


def to_json(parts: dict[str, Part]) -> dict[str, list[dict[str, Any]]]:
    """The parts as a template stores them (JSON-ready: the attributes already are)."""
    return {
        part: [{"name": i.name, "kind": i.kind, "attrs": i.attrs} for i in items.values()]
        for part, items in parts.items()
    }


def from_json(stored: dict[str, list[dict[str, Any]]]) -> dict[str, Part]:
    """A template's parts back; a part it lacks is empty."""
    return {
        part: _part([Item(i["name"], i["kind"], i["attrs"]) for i in stored.get(part, [])])
        for part in PARTS
    }


def _read_or_error(account: ConnectedAccount) -> Setup:
    try:
        return read_setup(client_for_account(account), account)
    except ApiError as exc:
        return Setup(account, {}, [], error=exc.message)


def read_setups(accounts: list[ConnectedAccount]) -> list[Setup]:
    """Every account's setup, all at once; an account that cannot be read says why."""
    return gather(*[lambda a=a: _read_or_error(a) for a in accounts])
