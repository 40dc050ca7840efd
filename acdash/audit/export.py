"""The filtered trail as CSV, streamed: rows are written as the database yields them, so a
trail of any length never sits in memory."""

import csv
import json
from collections.abc import Iterator
from datetime import UTC

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from .diff import changes
from .models import AuditEntry
from .tables import who

HEADER = (
    "when (UTC)",
    "user",
    "account",
    "account slug",
    "object type",
    "object id",
    "action",
    "summary",
    "fields",
    "changes",
    "before",
    "after",
    "job",
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA) else value


def _row(entry: AuditEntry) -> list[str]:
    found = changes(entry.before, entry.after, short=False)
    return [
        entry.at.astimezone(UTC).isoformat(),
        who(entry),
        entry.account_name,
        entry.account_slug,
        entry.object_type,
        entry.object_id,
        entry.action,
        entry.summary,
        ", ".join(dict.fromkeys(c.field for c in found)),
        "; ".join(f"{c.field}: {c.before} → {c.after}" for c in found),
        "" if entry.before is None else json.dumps(entry.before, ensure_ascii=False),
        "" if entry.after is None else json.dumps(entry.after, ensure_ascii=False),
        "" if entry.job_id is None else str(entry.job_id),
    ]


def _lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheets read the file as UTF-8
    yield writer.writerow(HEADER)
    for entry in entries.select_related("user").iterator(chunk_size=500):
        yield writer.writerow([_cell(value) for value in _row(entry)])


def csv_response(entries: QuerySet[AuditEntry], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
