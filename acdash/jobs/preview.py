"""A plan in words, for any preview page (``templates/jobs/preview.html`` shows it)."""

from dataclasses import dataclass

from acdash.activecampaign import Client

from .contract import KINDS, Plan


@dataclass(frozen=True)
class Cell:
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    cells: list[Cell]
    skip: str


def preview_rows(client: Client, kind: str, plan: Plan) -> list[Row]:
    """Each sampled change as before → after in words (``Kind.describe``, cached metadata)."""
    the_kind = KINDS[kind]
    rows = []
    for change in plan.changes:
        values = change.record.values
        cells = [
            Cell(
                the_kind.describe(client, key, values.get(key)) if key in values else "—",
                the_kind.describe(client, key, value),
            )
            for key, value in change.after.items()
        ]
        rows.append(Row(change.record.id, change.record.label, cells, change.skip))
    return rows
