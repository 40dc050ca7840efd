"""The trail as CSV: the filtered entries, streamed, in columns a spreadsheet reads."""

import csv
import io
import json

from acdash.accounts.models import ConnectedAccount

from .conftest import entry


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_every_filtered_entry_with_its_change_in_words(world, trail, client):
    client.force_login(world.users["root"])
    response = client.get("/audit/export/", {"object_id": "7"})
    assert 'filename="audit-all.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [r["action"] for r in rows] == ["tag.add", "update"]  # newest first
    edit = rows[1]
    assert edit["when (UTC)"] == "2026-03-01T12:00:00+00:00"
    assert (edit["user"], edit["account"], edit["account slug"]) == ("Member", "Acme", "acme")
    assert (edit["object type"], edit["object id"], edit["summary"]) == (
        "contact",
        "7",
        "Edited Email",
    )
    assert edit["fields"] == "email"
    assert edit["changes"] == "email: ada@example.com → ada.king@example.com"
    assert json.loads(edit["before"]) == {"email": "ada@example.com", "first_name": "Ada"}
    assert json.loads(edit["after"])["email"] == "ada.king@example.com"
    assert edit["job"] == ""


def test_the_job_column_names_the_job(world, trail, client):
    client.force_login(world.users["owner"])
    (row,) = read_csv(client.get("/a/acme/audit/export/", {"object_type": "deal"}))
    assert (row["job"], row["changes"]) == ("31", "stage id: 1 → 2")


def test_an_accounts_export_holds_that_account_only(world, trail, client):
    client.force_login(world.users["owner"])
    response = client.get("/a/acme/audit/export/")
    assert 'filename="audit-acme.csv"' in response["Content-Disposition"]
    assert {r["account"] for r in read_csv(response)} == {"Acme"} and len(
        read_csv(client.get("/a/acme/audit/export/"))
    ) == 4


def test_the_export_across_accounts_holds_only_what_the_user_reads(world, trail, client):
    client.force_login(world.users["member"])
    assert read_csv(client.get("/audit/export/")) == []
    client.force_login(world.users["stranger"])
    assert [r["account"] for r in read_csv(client.get("/audit/export/"))] == ["Globex"]


def test_a_disconnected_accounts_entries_are_exported_for_superusers(world, trail, client):
    ConnectedAccount.objects.filter(slug="globex").delete()
    client.force_login(world.users["root"])
    (row,) = read_csv(client.get("/audit/export/", {"account": "globex"}))
    assert (row["account"], row["changes"]) == ("Globex", "phone:  → +1 555 0100")


def test_a_bad_filter_exports_nothing_and_says_why(world, trail, client):
    client.force_login(world.users["owner"])
    response = client.get("/a/acme/audit/export/", {"since": "yesterday"})
    assert response.status_code == 302 and response["Location"] == "/a/acme/audit/?since=yesterday"
    html = client.get(response["Location"]).content.decode()
    assert (
        "Nothing was exported: a filter is not valid" in html
        and "From: Enter a valid date." in html
    )


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(world, client):
    entry(
        world.acme, world.users["owner"], summary='=HYPERLINK("http://evil")', after={"phone": "+1"}
    )
    client.force_login(world.users["owner"])
    (row,) = read_csv(client.get("/a/acme/audit/export/"))
    assert row["summary"] == '\'=HYPERLINK("http://evil")'
    assert row["changes"] == "phone:  → +1"  # starts with a letter: left as it is
