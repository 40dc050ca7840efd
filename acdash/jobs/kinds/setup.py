"""Setup items as job records: copying account setup (acdash/setup/copying.py).

An item's id is ``<part>:<name>`` (``contact_fields:Colour``, ``pipelines:Sales``); its
values are ``exists``, ``type`` and the attributes compare describes (snapshot.py). Items
are matched by name: ids differ per account.
"""

from collections.abc import Collection, Sequence
from typing import Any, ClassVar

from acdash.activecampaign import Client
from acdash.activecampaign.concurrency import gather
from acdash.setup import copying
from acdash.setup.diff import text
from acdash.setup.snapshot import READERS, key

from ..contract import KINDS, Record, Selection, Target


class SetupKind:
    object_type: ClassVar[str] = "setup"
    noun: ClassVar[str] = "setup item"
    plural: ClassVar[str] = "setup items"
    # What a copy replaced (options, stages moved) is not all in its before-values.
    undo_refusal: ClassVar[str] = "A setup copy cannot be undone: copy back from another account."

    def expand(self, client: Client, selection: Selection) -> list[str]:
        return list(selection.ids)

    def read(self, client: Client, ids: Sequence[str], keys: Collection[str]) -> dict[str, Record]:
        """One read per part the ids name (mostly cached, like compare's); every item is
        present, an absent one with ``exists`` False (the copy creates it)."""
        parts = sorted({copying.split(i)[0] for i in ids} & READERS.keys())
        found_parts = gather(*[lambda p=p: READERS[p](client) for p in parts])
        read = dict(zip(parts, found_parts, strict=True))
        found = {}
        for object_id in ids:
            part, name = copying.split(object_id)
            if part in read:
                values = copying.values_of(read[part].get(key(name)))
                found[object_id] = Record(object_id, object_id, values)
        return found

    def describe(self, client: Client, key: str, value: Any) -> str:
        return "present" if key == "exists" else f"{key} {text(value)}"

    def write(self, client: Client, record: Record, target: Target) -> Target:
        copying.write(client, record.id, target)
        return target

    def calls_per_record(self, target: Target) -> int:
        return 2 + len(target.get("options") or target.get("stages") or [])


KINDS[SetupKind.object_type] = SetupKind()
