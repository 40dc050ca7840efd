"""What an uploaded contact CSV would change: rows matched to contacts by id (or else by
email), each cell checked against the account's metadata and compared with what the API
holds now (read through the contact job kind, never taken from the file's other columns),
under a rule per column. Only the cells that differ become part of a row's target."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from acdash.activecampaign import Client, contact_columns
from acdash.jobs.contract import KINDS, Record, bulk_path
from acdash.jobs.engine import seconds_per_call

from .csv_columns import (
    ID_HEADER,
    CellError,
    Column,
    Metadata,
    cell_text,
    comparable,
    is_blank,
    parse_cell,
    unescape_formula,
)
from .csv_files import BadFile, Table

RULES = {"overwrite": "Overwrite", "blanks": "Only fill blanks", "skip": "Skip this column"}
READ_BATCH = 100  # ids per read: one API page


@dataclass(frozen=True)
class CellChange:
    column: Column
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    number: int  # the row as a spreadsheet numbers it
    contact_id: str
    label: str  # the contact's email, as the API holds it
    cells: list[CellChange]
    target: dict[str, Any]


@dataclass(frozen=True)
class Invalid:
    number: int
    reasons: list[str]


@dataclass
class Review:
    columns: list[Column]  # the columns imported, in the file's order
    ignored: list[tuple[str, str]]  # (header, why): columns that change nothing
    rules: dict[str, str]  # column key -> a key of RULES
    changes: list[RowChange] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # cells "only fill blanks" left alone, the contact having a value

    @property
    def cells(self) -> int:
        return sum(len(row.cells) for row in self.changes)

    def column_rules(self) -> list[tuple[Column, str]]:
        return [(column, self.rules[column.key]) for column in self.columns]

    def targets(self) -> dict[str, dict[str, Any]]:
        return {row.contact_id: row.target for row in self.changes}

    def seconds(self) -> float:
        """How long the job takes at the account's budget, counted as the engine's plan
        counts it: its reads, then the bulk import or one call per record."""
        kind, targets = KINDS["contact"], list(self.targets().values())
        bulked = sum(1 for target in targets if bulk_path(kind, target))
        calls = ceil(len(targets) / READ_BATCH) + sum(
            kind.calls_per_record(target) for target in targets if not bulk_path(kind, target)
        )
        if bulked:
            calls += kind.bulk_calls(bulked)  # type: ignore[attr-defined]
        return round(calls * seconds_per_call(), 1)


@dataclass
class _Row:
    number: int
    cells: list[str]
    contact_id: str = ""
    email: str = ""  # to match by, when the row has no id
    values: dict[str, Any] = field(default_factory=dict)  # what the cells ask for
    reasons: list[str] = field(default_factory=list)  # why the row is invalid
    changed: list[CellChange] = field(default_factory=list)
    target: dict[str, Any] = field(default_factory=dict)
    kept: int = 0


def columns_of(table: Table, metadata: Metadata) -> tuple[int | None, list, list]:
    """The id column's index, the importable (index, Column)s and the ignored headers."""
    id_index, found, ignored = None, [], []
    seen: dict[str, str] = {}
    for index, header in enumerate(table.header):
        if " ".join(header.split()).lower() == ID_HEADER:
            if id_index is not None:
                raise BadFile("Two columns are named “id”: keep the one the export wrote.")
            id_index = index
            continue
        try:
            column = metadata.resolve(unescape_formula(header)) if header else None
        except CellError as exc:
            ignored.append((header, str(exc)))
            continue
        if column is None:
            ignored.append((f"column {index + 1}", "it has no name"))
            continue
        if column.key in seen:
            raise BadFile(
                f"Two columns are for {column.label}: “{seen[column.key]}” and “{header}”. "
                "Keep one of them."
            )
        seen[column.key] = header
        found.append((index, column))
    return id_index, found, ignored


def parse_rules(data: Mapping[str, str], columns: list[Column]) -> dict[str, str]:
    """Each column's rule from the form (``rule:<key>``); overwrite unless one is chosen."""
    rules = {}
    for column in columns:
        chosen = data.get(f"rule:{column.key}", "")
        rules[column.key] = chosen if chosen in RULES else "overwrite"
    return rules


def _parse(table: Table, id_index: int | None, found: list, rules: dict[str, str]) -> list[_Row]:
    email_index = next((i for i, c in found if c.key == "email"), None)
    rows = []
    for number, cells in table.rows:
        row = _Row(number, cells)
        id_text = unescape_formula(cells[id_index]).strip() if id_index is not None else ""
        if id_text:
            if id_text.isascii() and id_text.isdigit() and len(id_text) <= 12:
                row.contact_id = str(int(id_text))
            else:
                row.reasons.append(f"“{id_text[:40]}” is not a contact id")
        elif email_index is not None and (email := cells[email_index].strip()):
            row.email = email
        else:
            row.reasons.append("no id or email to find the contact by")
        for index, column in found:
            if rules[column.key] == "skip":
                continue
            try:
                row.values[column.key] = parse_cell(column, cells[index])
            except CellError as exc:
                row.reasons.append(f"{column.label}: {exc}")
        rows.append(row)
    return rows


def _match_emails(client: Client, rows: list[_Row]) -> None:
    wanted = [row for row in rows if row.email and not row.reasons]
    ids = contact_columns.ids_by_email(client, [row.email for row in wanted])
    for row in wanted:
        if (found := ids.get(row.email.lower())) is None:
            row.reasons.append(f"no contact has the email {row.email[:80]}")
        else:
            row.contact_id = str(found)


def _duplicates(rows: list[_Row]) -> None:
    by_contact: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.contact_id:
            by_contact[row.contact_id].append(row)
    for contact_id, same in by_contact.items():
        if len(same) > 1:
            numbers = ", ".join(str(row.number) for row in same)
            for row in same:
                row.reasons.append(f"rows {numbers} are all for contact {contact_id}: keep one")


def _read(client: Client, rows: list[_Row], keys: set[str]) -> dict[str, Record]:
    ids = [row.contact_id for row in rows if not row.reasons]
    found: dict[str, Record] = {}
    for start in range(0, len(ids), READ_BATCH):
        found |= KINDS["contact"].read(client, ids[start : start + READ_BATCH], keys)
    return found


def _diff(row: _Row, record: Record, columns: list[Column], rules: dict[str, str]) -> None:
    for column in columns:
        if column.key not in row.values or (new := row.values[column.key]) is None:
            continue
        current = record.values.get(column.key)
        if comparable(column, new) == comparable(column, current):
            continue
        if rules[column.key] == "blanks" and not is_blank(column, current):
            row.kept += 1
            continue
        row.changed.append(CellChange(column, cell_text(column, current), cell_text(column, new)))
        row.target[column.key] = new


def review(client: Client, table: Table, metadata: Metadata, data: Mapping[str, str]) -> Review:
    """The changes the file asks for, under the rules in ``data`` (the form's ``rule:<key>``).

    Calls: for the rows matched by email, ``contact_columns.ids_by_email`` (one per email,
    or the account's contacts 100 a call, whichever is fewer); one ``KINDS["contact"].read``
    per 100 contacts; the same lookup for the emails the file changes. BadFile for a header
    naming one column twice."""
    id_index, found, ignored = columns_of(table, metadata)
    columns = [column for _, column in found]
    rules = parse_rules(data, columns)
    result = Review(columns, ignored, rules)
    rows = _parse(table, id_index, found, rules)
    _match_emails(client, rows)
    _duplicates(rows)
    keys = {key for key, rule in rules.items() if rule != "skip"}
    current = _read(client, rows, keys) if keys else {}
    for row in rows:
        if not row.reasons and keys and row.contact_id not in current:
            row.reasons.append(f"no contact has the id {row.contact_id}")
        if not row.reasons and row.contact_id in current:
            _diff(row, current[row.contact_id], columns, rules)
    _emails_in_use(client, rows)
    for row in rows:
        if row.reasons:
            result.invalid.append(Invalid(row.number, row.reasons))
            continue
        result.kept += row.kept
        if row.changed:
            label = current[row.contact_id].label
            change = RowChange(row.number, row.contact_id, label, row.changed, row.target)
            result.changes.append(change)
        else:
            result.unchanged += 1
    return result


def _emails_in_use(client: Client, rows: list[_Row]) -> None:
    """Refuse the rows that give a contact an email another contact has, or that another
    row gives too (the API would refuse the second): ``contact_columns.ids_by_email``."""
    changing = [row for row in rows if "email" in row.target and not row.reasons]
    owners = contact_columns.ids_by_email(client, [row.target["email"] for row in changing])
    claimed: dict[str, list[_Row]] = defaultdict(list)
    for row in changing:
        email = row.target["email"]
        claimed[email.lower()].append(row)
        owner = owners.get(email.lower())
        if owner is not None and str(owner) != row.contact_id:
            row.reasons.append(f"the email {email[:80]} is already contact {owner}'s")
    for email, same in claimed.items():
        if len(same) > 1:
            numbers = ", ".join(str(row.number) for row in same)
            for row in same:
                row.reasons.append(f"rows {numbers} all change an email to {email[:80]}")
