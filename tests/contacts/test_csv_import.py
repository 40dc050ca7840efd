"""The CSV import over HTTP against a seeded sandbox account: an unedited export changes
nothing; three edited cells preview as exactly those three and, applied as a job, are all
the sandbox changes; the per-column rules; invalid rows with their reasons; matching by
email; values read from the API, not the file; roles."""

import pytest

from acdash.accounts.models import Membership
from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.jobs.models import Job
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from tests.conftest import SandboxClient
from tests.contacts import SIZE
from tests.jobs.conftest import work

from .csv_helpers import (
    IMPORT,
    changed_cells,
    export,
    field_rid,
    invalid_rows,
    records,
    to_csv,
    token,
    upload,
    writes,
)


def _all_columns() -> list[str]:
    fields = [f"field:{r.rid}" for r in records("field")]
    tags = [f"tag:{r.rid}" for r in records("tag")[:3]]
    lists = [f"list:{r.rid}" for r in records("list")[:2]]
    return ["email", "firstName", "lastName", "phone", *fields, *tags, *lists]


def _apply(client, html: str, **rules: str):
    return client.post(IMPORT, {"step": "apply", "token": token(html), **rules})


def test_an_unedited_export_changes_nothing(acme, admin_client):
    rows = export(admin_client, _all_columns())
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert "contacts.csv: 0 contacts to change (0 cells)" in html
    assert f"{SIZE} rows unchanged" in html
    assert "0 invalid rows" in html
    response = _apply(admin_client, html)
    assert "The file changes nothing: no job was started." in response.content.decode()
    assert not Job.objects.exists()
    assert writes() == []


def test_three_edited_cells_preview_and_apply_as_exactly_those_three(acme, admin_client):
    columns = _all_columns()
    before = export(admin_client, columns)
    header, rows = before[0], [list(row) for row in before[1:]]
    city = header.index(next(h for h in header if h.startswith("City [")))
    tag = header.index(next(h for h in header if h.startswith("tag: ")))
    untagged = next(i for i, row in enumerate(rows) if i > 1 and not row[tag])
    old_name, old_city = rows[0][2], rows[1][city]
    rows[0][2], rows[1][city], rows[untagged][tag] = "Zelda", "Reykjavík", "yes"
    html = upload(admin_client, to_csv([header, *rows])).content.decode()

    key = dict(zip(header, ["id", *columns], strict=True))
    assert changed_cells(html) == {
        (rows[0][0], "firstName", old_name or "(empty)", "Zelda"),
        (rows[1][0], key[header[city]], old_city or "(empty)", "Reykjavík"),
        (rows[untagged][0], key[header[tag]], "(empty)", "yes"),
    }
    assert "3 contacts to change (3 cells)" in html
    assert f"{SIZE - 3} rows unchanged" in html
    assert "Applying takes about" in html
    assert writes() == []  # nothing is written by the preview

    response = _apply(admin_client, html)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.description == "CSV import of contacts.csv"
    work()
    after = export(admin_client, columns)
    changed = {
        (new[0], header[i], cell)
        for new, old in zip(after[1:], before[1:], strict=True)
        for i, (cell, was) in enumerate(zip(new, old, strict=True))
        if cell != was
    }
    assert changed == {
        (rows[0][0], "first name", "Zelda"),
        (rows[1][0], header[city], "Reykjavík"),
        (rows[untagged][0], header[tag], "yes"),
    }
    audited = {e.object_id for e in AuditEntry.objects.filter(job_id=job.pk)}
    assert audited == {rows[0][0], rows[1][0], rows[untagged][0]}  # each write, with its job


def test_many_edited_rows_go_through_the_bulk_import_and_land_as_edited(acme, admin_client):
    columns = [f"field:{field_rid('City')}", f"field:{field_rid('Product Interests')}"]
    before = [list(row) for row in export(admin_client, columns)]
    rows = [list(row) for row in before]
    for row in rows[1:13]:
        row[1], row[2] = f"Town {row[0]}", "||SMS||CRM||"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert "12 contacts to change" in html
    _apply(admin_client, html)
    work()
    assert any("bulk_import" in write for write in writes())
    after = export(admin_client, columns)
    assert after[13:] == before[13:]
    for row in after[1:13]:
        assert row[1] == f"Town {row[0]}"
        assert set(row[2].strip("|").split("||")) == {"SMS", "CRM"}


def test_only_fill_blanks_keeps_values_and_skip_ignores_a_column(acme, admin_client):
    city = field_rid("City")
    rows = [list(row) for row in export(admin_client, ["firstName", f"field:{city}"])]
    filled = next(row for row in rows[1:] if row[2])
    empty = next(row for row in rows[1:] if not row[2])
    renamed = rows[-1]
    filled[2], empty[2], renamed[1] = "Oslo", "Bergen", "Renamed"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert "3 contacts to change (3 cells)" in html  # every column overwrites by default

    rules = {f"rule:field:{city}": "blanks", "rule:firstName": "skip"}
    html = admin_client.post(
        IMPORT, {"step": "preview", "token": token(html), **rules}
    ).content.decode()
    assert changed_cells(html) == {(empty[0], f"field:{city}", "(empty)", "Bergen")}
    assert "1 cell left alone: the contact has a value" in html
    assert '<option value="blanks" selected>' in html

    _apply(admin_client, html, **rules)
    job = Job.objects.get()
    assert [(i.object_id, i.target) for i in job.items.all()] == [
        (empty[0], {f"field:{city}": "Bergen"})
    ]
    work()
    now = {row[0]: row for row in export(admin_client, ["firstName", f"field:{city}"])[1:]}
    assert now[empty[0]][2] == "Bergen"
    assert now[filled[0]][2] not in ("Oslo", "")
    assert now[renamed[0]][1] != "Renamed"


def test_invalid_rows_are_listed_with_their_reason_and_left_alone(acme, admin_client):
    titles = ("Industry", "Birthday", "Last Webinar Attended")
    columns = ["email", *(f"field:{field_rid(t)}" for t in titles)]
    rows = [list(row) for row in export(admin_client, columns)]
    header = [*rows[0], "Favourite food"]
    rows = [[*row, ""] for row in rows[1:]]
    rows[0][1] = "not-an-email"
    rows[1][2] = "Basket weaving"
    rows[2][3] = "31/12/1990"
    rows[3][4] = "yesterday"
    rows[5][0] = "999999"
    rows[6][0] = "abc"
    duplicate = list(rows[4])
    good = rows[7]
    good[2] = next(o for o in ("Retail", "Healthcare", "Education") if o != good[2])
    html = upload(admin_client, to_csv([header, *rows, duplicate])).content.decode()
    invalid = invalid_rows(html)
    last = len(rows) + 2
    assert "is not an email address" in invalid[2]
    assert "is not an option of Industry" in invalid[3]
    assert "“31/12/1990” is not a date: write it as YYYY-MM-DD" in invalid[4]
    assert "“yesterday” is not a date and time" in invalid[5]
    assert f"rows 6, {last} are all for contact {rows[4][0]}" in invalid[6]
    assert invalid[last] == invalid[6]
    assert "no contact has the id 999999" in invalid[7]
    assert "“abc” is not a contact id" in invalid[8]
    assert "“Favourite food”: no contact field, custom field, tag or list has this name" in html
    assert {(c[0], c[1]) for c in changed_cells(html)} == {(good[0], columns[1])}
    _apply(admin_client, html)
    assert [i.object_id for i in Job.objects.get().items.all()] == [good[0]]


def test_an_email_another_contact_has_or_another_row_gives_is_refused(acme, admin_client):
    rows = [list(row) for row in export(admin_client, ["email"])]
    rows[1][1] = rows[2][1]  # the next contact's email
    rows[3][1] = rows[4][1] = "new.address@example.org"
    rows[5][1] = "Fresh.Address@example.org"
    html = upload(admin_client, to_csv(rows)).content.decode()
    invalid = invalid_rows(html)
    assert f"the email {rows[2][1]} is already contact {rows[2][0]}&#x27;s" in invalid[2]
    assert "rows 4, 5 all change an email to new.address@example.org" in invalid[4]
    assert invalid[5] == invalid[4]
    assert {(c[0], c[1]) for c in changed_cells(html)} == {(rows[5][0], "email")}


def test_rows_without_an_id_are_matched_by_email(acme, admin_client):
    people = records("contact")
    rows = [
        ["email", "last name"],
        [people[0].data["email"].upper(), "Matched"],
        ["nobody@example.org", "Lost"],
    ]
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert changed_cells(html) == {
        (str(people[0].rid), "lastName", people[0].data["lastName"] or "(empty)", "Matched")
    }
    assert "no contact has the email nobody@example.org" in invalid_rows(html)[3]


def test_many_rows_by_email_read_the_account_once_instead_of_one_call_each(acme, admin_client):
    people = records("contact")[:30]
    rows = [["email", "last name"], *([p.data["email"], p.data["lastName"]] for p in people)]
    rows[1][1] = "Matched"
    with count_api_calls() as calls:
        html = upload(admin_client, to_csv(rows)).content.decode()
    assert changed_cells(html) == {
        (str(people[0].rid), "lastName", people[0].data["lastName"] or "(empty)", "Matched")
    }
    # The account's count, its 120 contacts in two pages, then the 30 contacts read.
    assert [c.path for c in calls.calls].count("/contacts") <= 4, calls.summary()


def test_a_preview_the_api_is_too_slow_for_says_to_split_the_file(acme, admin_client, settings):
    rows = export(admin_client, ["firstName"])
    settings.ACTIVECAMPAIGN_INTERACTIVE_DEADLINE = 0.3
    SandboxAccount.objects.filter(slug="acme").update(latency_ms=400)
    response = upload(admin_client, to_csv(rows))
    assert response.status_code == 503
    assert "split the file into smaller ones" in response.content.decode()
    assert writes() == []


def test_a_field_created_in_activecampaign_since_the_cache_was_filled_is_a_column(
    acme, admin_client, live_server
):
    admin_client.get("/a/acme/contacts/export/")  # the fields are cached now
    api = SandboxClient(live_server.url, SandboxAccount.objects.get(slug="acme"))
    created = api.ok("POST", "/fields", {"field": {"type": "text", "title": "Shoe size"}})
    key = f"field:{created['field']['id']}"
    rows = [list(row) for row in export(admin_client, [key])]
    assert rows[0] == ["id", f"Shoe size [field {created['field']['id']}]"]
    rows[1][1] = "44"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert changed_cells(html) == {(rows[1][0], key, "(empty)", "44")}


def test_before_values_are_read_from_the_api_not_from_the_file(acme, admin_client):
    rows = [list(row) for row in export(admin_client, ["firstName"])]
    person = SandboxRecord.objects.get(account__slug="acme", kind="contact", rid=int(rows[1][0]))
    person.data["firstName"] = "Changed meanwhile"
    person.save()
    rows[1][1] = "From the file"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert changed_cells(html) == {(rows[1][0], "firstName", "Changed meanwhile", "From the file")}


def test_opening_the_upload_form_again_drops_the_file_in_review(acme, admin_client):
    rows = [list(row) for row in export(admin_client, ["firstName"])]
    rows[1][1] = "Zelda"
    html = upload(admin_client, to_csv(rows)).content.decode()
    assert admin_client.get(IMPORT).status_code == 200
    response = _apply(admin_client, html)
    assert response.status_code == 400
    assert "This preview is no longer open" in response.content.decode()
    assert not Job.objects.exists()


def test_an_apply_without_the_preview_of_the_file_is_refused(acme, admin_client):
    response = admin_client.post(IMPORT, {"step": "apply", "token": "made-up"})
    assert response.status_code == 400
    assert "This preview is no longer open" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_viewers_may_not_import(acme, client, django_user_model, method):
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    Membership.objects.create(user=viewer, account=acme, role="viewer")
    client.force_login(viewer)
    assert getattr(client, method)(IMPORT).status_code == 403
    assert "Import CSV" not in client.get("/a/acme/contacts/").content.decode()
    assert client.get("/a/acme/contacts/export/").status_code == 200  # reading is fine
