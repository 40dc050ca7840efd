"""Helpers of the CSV round-trip tests: export a file, edit cells as a spreadsheet would,
upload it, and read the preview and the sandbox's request log."""

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from acdash.sandbox import faults
from acdash.sandbox.models import SandboxRecord
from tests.contacts import SLUG

EXPORT = "/a/acme/contacts/export/"
IMPORT = "/a/acme/contacts/import/"


def export(client, columns: list[str], query: str = "") -> list[list[str]]:
    """The exported file's rows, header first."""
    params = "&".join([*(f"columns={c}" for c in columns), "download=1", query])
    response = client.get(f"{EXPORT}?{params}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client, data: bytes, name: str = "contacts.csv"):
    return client.post(
        IMPORT, {"step": "upload", "file": SimpleUploadedFile(name, data, "text/csv")}
    )


def token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the preview has no token"
    return found.group(1)


def changed_cells(html: str) -> set[tuple[str, str, str, str]]:
    """(contact id, attribute key, before, after) of each changed cell the preview lists."""
    found = set()
    for row in re.finditer(r'<tr data-contact="(\d+)">(.*?)</tr>', html, re.S):
        for cell in re.finditer(
            r'data-key="([^"]+)">.*?<del>(.*?)</del> → <ins>(.*?)</ins>', row.group(2), re.S
        ):
            found.add((row.group(1), cell.group(1), cell.group(2), cell.group(3)))
    return found


def invalid_rows(html: str) -> dict[int, str]:
    return {
        int(number): text
        for number, text in re.findall(r'<li data-row="(\d+)">Row \d+: (.*?)</li>', html, re.S)
    }


def writes() -> list[str]:
    """The sandbox's logged requests that are not reads."""
    recent = faults.request_log.snapshot(SLUG)["recent"]
    return [f"{r['method']} {r['path']}" for r in recent if r["method"] != "GET"]


def records(kind: str) -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug=SLUG, kind=kind).order_by("rid"))


def field_rid(title: str) -> int:
    return next(r.rid for r in records("field") if r.data["title"] == title)
