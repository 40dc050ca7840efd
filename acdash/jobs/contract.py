"""The seam between the job engine and what starts jobs (bulk actions, CSV import, undo).

A job makes records of one object type hold *targets*: per record, a dict of attribute keys to
the values they should hold. Actions build one target for every selected record ("tag:12":
True); a CSV import builds one per row; an undo builds each from the before-values its job
saved, expecting the after-values still to be there.

Attribute keys, per object type (values are JSON-ready):

- contact: "email", "firstName", "lastName", "phone" (core fields, str);
  "field:<id>" (a custom field's value in the API's text form, "" when cleared);
  "tag:<id>" (bool, tagged or not); "list:<id>" (int list status: 1 subscribed,
  2 unsubscribed, 0 never on the list); "exists" (bool: False deletes).
- deal: "stage" (int stage id), "owner" (int user id), "status" (int: 0 open, 1 won,
  2 lost), "field:<id>" (a deal custom field's value, text form), "exists".
- task: "status" (int: 0 incomplete, 1 complete), "outcome" (int outcome id or None),
  "assignee" (int user id), "duedate" (ISO 8601 str), "exists".

The engine (``acdash.jobs``) owns the models, the worker task, progress, retries, cancel and
undo; each object type's ``Kind`` (registered in ``KINDS``) knows how to find, read and
write its records through the service module. Nothing here talks HTTP.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from acdash.activecampaign import Client

Target = dict[str, Any]


@dataclass(frozen=True)
class Selection:
    """Which records a job covers: the rows ticked, or every record matching a list filter.

    ``query`` is the list page's own query string (its filter parameters, as the address bar
    shows them); it is re-run server-side when the job starts, never trusted as a list of ids.
    """

    object_type: str
    ids: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class Record:
    """One record as the API holds it now: the values of the attribute keys asked for."""

    id: str
    label: str  # what a person recognises it by: the contact's email, the deal's title
    values: dict[str, Any] = field(default_factory=dict)


class Kind(Protocol):
    """Finds, reads and writes the records of one object type (``contact``, ``deal``, ``task``)."""

    object_type: ClassVar[str]
    noun: ClassVar[str]  # "contact"
    plural: ClassVar[str]  # "contacts"

    def expand(self, client: Client, selection: Selection) -> list[str]:
        """The ids ``selection`` covers, in list order (a query is paged through)."""

    def read(self, client: Client, ids: Sequence[str], keys: Collection[str]) -> dict[str, Record]:
        """Current values of ``keys`` for ``ids``; records that no longer exist are absent.

        Batched: the API is asked per page of ids where it can filter by ids, never one call
        per record where it need not be."""

    def describe(self, client: Client, key: str, value: Any) -> str:
        """The value in words for previews, skip reasons and result files ("tagged VIP")."""

    def write(self, client: Client, record: Record, target: Target) -> Target:
        """Make the record hold ``target`` with per-record calls; returns the values it now holds.

        Idempotent (sets values, never toggles), so writing an item again after a crash
        changes nothing. Raises ``ValidationError`` (the item fails with the API's message),
        ``NotFound`` (the item is skipped: the record is gone) or another ``ApiError``
        (the engine retries, bounded, with backoff)."""

    def calls_per_record(self, target: Target) -> int:
        """API calls ``write`` makes for one record (the preview's duration estimate)."""


class BulkKind(Kind, Protocol):
    """A kind that can also apply many targets through a bulk endpoint.

    Optional: the engine checks ``hasattr(kind, "write_many")``, then uses ``write_many``
    for the items whose target ``bulk_capable`` accepts and ``write`` for the rest. Like
    ``write`` it sets values, so sending items again after a crash or an error changes
    nothing.

    The records ``write_many`` gets were read just before (check-then-act), with the
    target's keys and ``bulk_read_keys`` (e.g. the contact's "email" an import matches
    by), so it need not read them again.
    """

    bulk_read_keys: ClassVar[frozenset[str]]  # optional; default none

    def bulk_capable(self, target: Target) -> bool:
        """Whether ``write_many`` can apply ``target``: every key of it is bulk-capable."""

    def write_many(
        self, client: Client, items: list[tuple[Record, Target]]
    ) -> dict[str, str | None]:
        """Apply the targets in as few bulk calls as the API allows, waiting until they are.

        Answers per record id: None when applied, else the API's reason it failed (the
        item fails). An id missing from the answer is a record that no longer exists (the
        item is skipped, as for ``NotFound``). Raises ``ApiError`` when the API could not
        be asked or did not answer in time (the engine retries the items: idempotent)."""

    def bulk_calls(self, n: int) -> int:
        """API calls ``write_many`` makes for ``n`` records (the preview's estimate)."""


@dataclass(frozen=True)
class Change:
    """One record's planned change, for the preview: before → after, or why it is skipped."""

    record: Record
    after: Target
    skip: str = ""  # non-empty: the record is left alone, for this reason


@dataclass(frozen=True)
class Plan:
    """What a job will do, computed before anything is written."""

    total: int  # records covered
    changes: Sequence[Change]  # a sample, changes first
    skipped: int
    estimate_seconds: float  # from the account's rate budget and the path (bulk or per record)
    path: str  # "bulk import" or "one call per record"

    sample_size: ClassVar[int] = 10

    @property
    def to_change(self) -> int:
        return self.total - self.skipped


def bulk_path(kind: Kind, target: Target) -> "BulkKind | None":
    """``kind`` as a BulkKind when its bulk path can apply ``target``, else None."""
    if not callable(getattr(kind, "write_many", None)):
        return None
    bulk: BulkKind = kind  # type: ignore[assignment]
    return bulk if bulk.bulk_capable(target) else None


# Registered by each kind's module: acdash/jobs/kinds/<object type>.py.
KINDS: dict[str, Kind] = {}
