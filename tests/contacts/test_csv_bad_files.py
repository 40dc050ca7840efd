"""Files the CSV import refuses, over HTTP against a seeded sandbox account: each gets a
message that says what to do, and nothing is written (the sandbox logs no write, no job is
stored). A UTF-8 byte-order mark and formula-escaped cells are fine."""

import pytest

from acdash.contacts.csv_files import MAX_BYTES, MAX_ROWS
from acdash.jobs.models import Job
from tests.jobs.conftest import work

from .csv_helpers import changed_cells, export, records, to_csv, token, upload, writes


def _first_id() -> str:
    return str(records("contact")[0].rid)


def _email() -> str:
    return records("contact")[0].data["email"]


BAD_FILES = {
    "empty": (lambda: b"", "The file is empty"),
    "blank lines": (lambda: b"\r\n\r\n  \n", "The file is empty"),
    "windows-1252": (
        lambda: f"id,first name\n{_first_id()},Ren\xe9e\n".encode("cp1252"),
        "The file is not UTF-8 text (line 2",
    ),
    "utf-16": (
        lambda: f"id,first name\n{_first_id()},Renée\n".encode("utf-16"),
        "The file is UTF-16 text; save it as UTF-8",
    ),
    "semicolons": (
        lambda: f"id;first name\n{_first_id()};Zelda\n".encode(),
        "The columns are separated by semicolons, not commas",
    ),
    "tabs": (
        lambda: f"id\tfirst name\n{_first_id()}\tZelda\n".encode(),
        "The columns are separated by tabs, not commas",
    ),
    "no header": (
        lambda: f"{_first_id()},{_email()},Zelda\n".encode(),
        "The first row holds data, not column names",
    ),
    "no id or email column": (
        lambda: b"first name,last name\nZelda,Fitzgerald\n",
        "The first row names no id or email column (it has “first name”, “last name”)",
    ),
    "header only": (lambda: b"id,first name\n", "The file has a header but no rows"),
    "oversized": (
        lambda: b"id,first name\n" + b"1,x\n" * (MAX_BYTES // 4 + 1),
        "an import takes at most 2 MB",
    ),
    "too many rows": (
        lambda: b"id,first name\n" + b"1,x\n" * (MAX_ROWS + 1),
        f"The file has {MAX_ROWS + 1:,} rows; an import takes at most {MAX_ROWS:,}",
    ),
    "xlsx workbook": (
        lambda: b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
        "This is an Excel workbook (.xlsx) or another zip archive, not a CSV file",
    ),
    "binary junk": (lambda: bytes(range(256)) * 8, "The file holds binary data"),
    "too many cells": (
        lambda: f"id,first name\n{_first_id()},Zelda,Fitzgerald\n".encode(),
        "The header has 2 columns but row 2 has 3 cells",
    ),
    "too few cells": (
        lambda: f"id,first name,last name\n{_first_id()},Zelda\n".encode(),
        "The header has 3 columns but row 2 has 2 cells",
    ),
    "quote left open": (
        lambda: f'id,first name\n{_first_id()},"Zelda\n'.encode(),
        "The file is not valid CSV near line",
    ),
    "a column twice": (
        lambda: f"id,first name,firstName\n{_first_id()},Zelda,Zora\n".encode(),
        "Two columns are for first name",
    ),
    "two id columns": (
        lambda: f"id,first name,id\n{_first_id()},Zelda,{_first_id()}\n".encode(),
        "Two columns are named “id”",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(acme, admin_client, case):
    make, message = BAD_FILES[case]
    response = upload(admin_client, make())
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    assert 'name="token"' not in html  # no preview, nothing to apply
    assert writes() == []
    assert not Job.objects.exists()


def test_no_file_at_all_is_asked_for(acme, admin_client):
    response = admin_client.post("/a/acme/contacts/import/", {"step": "upload"})
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.content.decode()


def test_a_utf8_byte_order_mark_is_accepted(acme, admin_client):
    data = "\ufeffid,first name\n".encode() + f"{_first_id()},Zoë\n".encode()
    html = upload(admin_client, data).content.decode()
    assert changed_cells(html) == {
        (_first_id(), "firstName", records("contact")[0].data["firstName"] or "(empty)", "Zoë")
    }


def test_formula_cells_round_trip_without_their_quote(acme, admin_client):
    people = records("contact")
    people[0].data["firstName"] = "=SUM(A1:A9)"
    people[0].data["lastName"] = "'=really"  # a value that starts with a quote already
    people[0].save()
    rows = [list(row) for row in export(admin_client, ["firstName", "lastName", "phone"])]
    first = next(row for row in rows if row[0] == str(people[0].rid))
    assert first[1:3] == ["'=SUM(A1:A9)", "''=really"]
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert "0 contacts to change" in html  # the quotes are not taken for edits
    first[3] = "'+47 555 0100"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert {(c[0], c[1], c[3]) for c in changed_cells(html)} == {
        (first[0], "phone", "+47 555 0100")
    }
    admin_client.post("/a/acme/contacts/import/", {"step": "apply", "token": token(html)})
    work()
    people[0].refresh_from_db()
    assert people[0].data["phone"] == "+47 555 0100"
    assert people[0].data["firstName"] == "=SUM(A1:A9)"
    assert people[0].data["lastName"] == "'=really"
