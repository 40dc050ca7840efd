"""The CSV export of the contact list over HTTP against a seeded sandbox account: the column
picker, the file's content for a filter (checked against the sandbox's own records), that it
streams, that its API calls are batched per page, and formula cells made harmless."""

import csv
import io
from datetime import date

from acdash.activecampaign import count_api_calls
from acdash.sandbox.models import SandboxRecord
from tests.contacts import SIZE, SLUG, sandbox_records

URL = "/a/acme/contacts/export/"


def _download(client, query: str) -> tuple[object, list[dict[str, str]]]:
    response = client.get(f"{URL}?{query}&download=1")
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel then reads it as UTF-8
    return response, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def _records(kind: str) -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug=SLUG, kind=kind))


def _field(title: str) -> SandboxRecord:
    return next(r for r in _records("field") if r.data["title"] == title)


def _tagged(tag_rid: int) -> set[int]:
    return {r.parent for r in _records("contactTag") if r.key == str(tag_rid)}


def test_the_picker_counts_the_matching_contacts_and_estimates_the_calls(acme, admin_client):
    html = admin_client.get(URL).content.decode()
    assert f"{SIZE} contacts" in html
    assert "(the whole account)" in html
    for key in ("email", "firstName", "lastName", "phone"):
        assert f'value="{key}" checked' in html  # core fields are chosen by default
    assert "These columns take about 2 API calls" in html  # two pages of 100
    tag = sandbox_records("tag")[0]
    tagged = len(_tagged(tag.rid))
    html = admin_client.get(f"{URL}?tag={tag.rid}").content.decode()
    assert f"{tagged} contact{'s' if tagged != 1 else ''}" in html
    assert f'name="tag" value="{tag.rid}"' in html  # the filter travels with the download


def test_the_lists_export_link_carries_the_filters_in_use(acme, admin_client):
    tag = sandbox_records("tag")[0]
    html = admin_client.get(f"/a/acme/contacts/?tag={tag.rid}").content.decode()
    assert f'id="contacts-export" href="{URL}?tag={tag.rid}"' in html
    # A filter applied in place (htmx) updates the link beside the results.
    swapped = admin_client.get("/a/acme/contacts/?q=ann", headers={"HX-Request": "true"})
    html = swapped.content.decode()
    assert f'id="contacts-export" href="{URL}?q=ann" hx-swap-oob="true"' in html


def test_the_file_holds_the_filtered_contacts_with_the_chosen_columns(acme, admin_client):
    tag = sandbox_records("tag")[0]
    city, industry = _field("City"), _field("Industry")
    a_list = sandbox_records("list")[0]
    query = (
        f"tag={tag.rid}&columns=email&columns=firstName&columns=field:{city.rid}"
        f"&columns=field:{industry.rid}&columns=tag:{tag.rid}&columns=list:{a_list.rid}"
    )
    response, rows = _download(admin_client, query)
    name = response["Content-Disposition"]
    assert name == f'attachment; filename="acme-contacts-{date.today():%Y-%m-%d}.csv"'
    assert list(rows[0]) == [
        "id",
        "email",
        "first name",
        f"City [field {city.rid}]",
        f"Industry [field {industry.rid}]",
        f"tag: {tag.data['tag']} [tag {tag.rid}]",
        f"list: {a_list.data['name']} [list {a_list.rid}]",
    ]
    tagged = _tagged(tag.rid)
    assert [int(row["id"]) for row in rows] == sorted(tagged)  # id order
    people = {r.rid: r.data for r in sandbox_records("contact")}
    values = {(r.parent, r.key): r.data.get("value") or "" for r in _records("fieldValue")}
    statuses = {
        r.parent: r.data["status"] for r in _records("contactList") if r.key == str(a_list.rid)
    }
    for row in rows:
        rid = int(row["id"])
        assert row["email"] == people[rid]["email"]
        assert row["first name"] == people[rid]["firstName"]
        assert row[f"City [field {city.rid}]"] == values.get((rid, str(city.rid)), "")
        assert row[f"Industry [field {industry.rid}]"] == values.get((rid, str(industry.rid)), "")
        assert row[f"tag: {tag.data['tag']} [tag {tag.rid}]"] == "yes"
        expected = {"1": "subscribed", "2": "unsubscribed"}.get(str(statuses.get(rid)), "")
        assert row[f"list: {a_list.data['name']} [list {a_list.rid}]"] == expected


def test_the_whole_account_is_paged_with_batched_calls_never_one_per_contact(acme, admin_client):
    tags_, lists_ = sandbox_records("tag")[:2], sandbox_records("list")[:1]
    city = _field("City")
    columns = [f"tag:{t.rid}" for t in tags_] + [f"list:{lst.rid}" for lst in lists_]
    query = "&".join(f"columns={c}" for c in ["email", f"field:{city.rid}", *columns])
    admin_client.get(URL)  # metadata cached, as after the picker
    with count_api_calls() as calls:
        _, rows = _download(admin_client, query)
    assert len(rows) == SIZE
    pages = -(-SIZE // 100)
    paths = [c.path for c in calls.calls]
    per_contact = [p for p in paths if p.startswith("/contacts/")]
    assert not per_contact, calls.summary()
    # The field's values, 100 a call, then per page the contacts, one call per tag column
    # and three per list column (subscribed, unsubscribed, bounced).
    values = sum(1 for r in _records("fieldValue") if r.key == str(city.rid))
    assert paths.count("/fieldValues") == -(-values // 100), calls.summary()
    assert paths.count("/contacts") == pages * (1 + len(tags_) + 3 * len(lists_)), calls.summary()


def test_rows_stream_out_page_by_page_before_the_next_page_is_read(acme, admin_client):
    with count_api_calls() as calls:
        response = admin_client.get(f"{URL}?columns=email&download=1")
        chunks = iter(response.streaming_content)
        next(chunks), next(chunks)  # the header and the first contact
        pages_by_then = [c.path for c in calls.calls].count("/contacts")
        rest = list(chunks)
    assert pages_by_then == 1, calls.summary()  # the first page only
    assert len(rest) == SIZE - 1
    assert [c.path for c in calls.calls].count("/contacts") == -(-SIZE // 100), calls.summary()


def test_formula_cells_get_a_quote_so_spreadsheets_do_not_run_them(acme, admin_client):
    people = sandbox_records("contact")
    first, second = people[0], people[1]
    first.data["firstName"], second.data["phone"] = '=HYPERLINK("x")', "+1 555 0100"
    first.save()
    second.save()
    _, rows = _download(admin_client, "columns=firstName&columns=phone")
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[first.rid]["first name"] == '\'=HYPERLINK("x")'
    assert by_id[second.rid]["phone"] == "'+1 555 0100"


def test_unticking_every_column_exports_the_ids_alone(acme, admin_client):
    _, rows = _download(admin_client, "picked=1")
    assert list(rows[0]) == ["id"]
    assert len(rows) == SIZE


def test_an_unknown_column_is_refused_with_a_message(acme, admin_client):
    response = admin_client.get(f"{URL}?columns=field:999999&download=1")
    assert response.status_code == 400
    assert "There is no column “field:999999”" in response.content.decode()
