"""/audit/: every entry of the accounts whose trail the user reads, as a dense table that
filters (each value validated), sorts and pages, and whose URL reproduces the view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse

from acdash.accounts.models import ConnectedAccount
from acdash.audit.models import AuditEntry
from tests.contacts import table_links, table_rows

from .conftest import HTMX, at, entry

URL = "/audit/"


def rows_of(client, query: str = "", **headers) -> list[dict[str, str]]:
    response = client.get(f"{URL}?{query}" if query else URL, headers=headers)
    assert response.status_code == 200
    return table_rows(response.content.decode())


def page_of(client, query: str = "") -> str:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response.content.decode()


# Who sees what -------------------------------------------------------------------------------


def test_a_superuser_reads_every_accounts_entries_newest_first(world, trail, client):
    client.force_login(world.users["root"])
    rows = rows_of(client)
    assert [r["account"] for r in rows] == ["Globex", "Acme", "Acme", "Acme", "Acme"]
    assert [r["action"] for r in rows] == ["update", "delete", "move", "tag.add", "update"]


def test_an_admin_reads_the_accounts_they_administer_only(world, trail, client):
    client.force_login(world.users["owner"])
    rows = rows_of(client)
    assert len(rows) == 4 and {r["account"] for r in rows} == {"Acme"}
    client.force_login(world.users["stranger"])
    assert [r["account"] for r in rows_of(client)] == ["Globex"]


@pytest.mark.parametrize("name", ["member", "viewer"])
def test_editors_and_viewers_see_nothing_of_their_account(world, trail, client, name):
    client.force_login(world.users[name])
    html = page_of(client)
    assert table_rows(html) == [] and "No entries" in html
    assert 'value="acme"' not in html and "ada@example.com" not in html


def test_visitors_are_sent_to_log_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


# What a row says -----------------------------------------------------------------------------


def test_a_row_says_when_who_where_what_and_before_after(world, trail, client):
    client.force_login(world.users["root"])
    html = page_of(client, "object_type=contact&object_id=7&action=update")
    (row,) = table_rows(html)
    assert row["at"] == "2026-03-01 12:00:00"
    assert (row["user"], row["account"], row["object"]) == ("Member", "Acme", "contact 7")
    assert row["field"] == "email"  # the unchanged first name is left out
    assert row["change"] == "emailada@example.com→ada.king@example.com"
    assert "<del>ada@example.com</del>" in html and "<ins>ada.king@example.com</ins>" in html


def test_a_link_added_reads_by_its_name(world, trail, client):
    client.force_login(world.users["root"])
    (row,) = rows_of(client, "action=tag.add")
    assert (row["field"], row["change"]) == ("tag", "tag—→VIP")  # no ids of the link


def test_objects_link_to_their_page_while_they_exist(world, trail, client):
    client.force_login(world.users["root"])
    links = {r["object"]: link.get("object") for r, link in _rows_and_links(client, "")}
    assert links["contact 7"] == "/a/acme/contacts/7/"
    assert links["deal 12"] == "/a/acme/deals/12/"
    assert links["contact 8"] is None  # its deletion is in the trail: the page is gone


def _rows_and_links(client, query: str):
    html = page_of(client, query)
    return zip(table_rows(html), table_links(html), strict=True)


def test_a_job_is_named_and_linked_once_the_jobs_page_exists(world, trail, client, settings):
    client.force_login(world.users["root"])
    (row,) = rows_of(client, "action=move")
    assert row["job"] == "Job 31"
    settings.ROOT_URLCONF = "tests.audit.test_trail"  # this module's urlpatterns: with jobs
    ((row, links),) = _rows_and_links(client, "action=move")
    assert links["job"] == reverse("jobs:detail", kwargs={"account": "acme", "job_id": 31})


def _job_page(request, account, job_id):  # pragma: no cover (only reversed)
    raise AssertionError


def _with_jobs() -> list:
    """The project's URLs, with a stand-in jobs:detail while the jobs app has none."""
    from acdash.urls import urlpatterns as project

    try:
        reverse("jobs:detail", kwargs={"account": "x", "job_id": 1}, urlconf="acdash.urls")
    except NoReverseMatch:
        jobs = [path("a/<slug:account>/jobs/<int:job_id>/", _job_page, name="detail")]
        return [*project, path("", include((jobs, "jobs")))]
    return list(project)


urlpatterns = _with_jobs()


# Filters -------------------------------------------------------------------------------------

FILTERS = [
    ("account=globex", ["99"]),
    ("user={member}", ["12", "7"]),
    ("object_type=deal", ["12"]),
    ("object_id=7", ["7", "7"]),
    ("object_type=contact&object_id=8", ["8"]),
    ("action=delete", ["8"]),
    ("since=2026-03-03", ["99", "8", "12"]),
    ("until=2026-03-02", ["7", "7"]),
    ("since=2026-03-02&until=2026-03-03", ["12", "7"]),
]


@pytest.mark.parametrize(("query", "ids"), FILTERS, ids=[f[0] for f in FILTERS])
def test_each_filter_narrows_the_entries(world, trail, client, query, ids):
    client.force_login(world.users["root"])
    query = query.format(member=world.users["member"].pk)
    assert [r["object"].split()[-1] for r in rows_of(client, query)] == ids


def test_the_filters_offer_what_the_trail_holds_for_this_user(world, trail, client):
    client.force_login(world.users["owner"])
    html = page_of(client)
    assert '<option value="acme">Acme</option>' in html and "Globex" not in html
    assert '<option value="tag.add">tag.add</option>' in html
    assert "Stranger" not in html  # the users of others' accounts are not named


BAD = [
    ("user=abc", "Who: Select a valid choice."),
    ("user={stranger}", "Who: Select a valid choice."),  # not a user of this trail
    ("account=globex", "Account: Select a valid choice."),
    ("action=%3Cscript%3E", "Action: Select a valid choice. &lt;script&gt;"),
    ("object_type=widget", "Object type: Select a valid choice."),
    ("object_id=" + "9" * 41, "Object id: Ensure this value has at most 40 characters"),
    ("object_id=a%20b", "Object id: An object id is letters, digits and . _ : -"),
    ("since=2026-13-01", "From: Enter a valid date."),
    ("since=1900-01-01", "From: 1900-01-01 is not a date the trail can hold."),
    ("since=2026-03-04&until=2026-03-01", "To: The end of the range is before its start."),
    ("since=2026-03-04&until=2026-03-01", "From: The range is not applied."),
    ("per_page=7", "Per page: Select a valid choice."),
    ("page=abc", "“abc” is not a page number: showing page 1."),
    ("page=0", "“0” is not a page number: showing page 1."),
    ("page=99", "There is no page 99: showing the last page, 1."),
]


@pytest.mark.parametrize(("query", "message"), BAD, ids=[b[0][:30] for b in BAD])
def test_a_bad_value_is_named_and_not_applied(world, trail, client, query, message):
    client.force_login(world.users["owner"])
    html = page_of(client, query.format(stranger=world.users["stranger"].pk))
    assert message in html
    assert len(table_rows(html)) == 4  # the other filters (none) still apply


def test_an_unknown_sort_falls_back_to_newest_first(world, trail, client):
    client.force_login(world.users["owner"])
    assert [r["at"][:10] for r in rows_of(client, "sort=-password")] == [
        "2026-03-04",
        "2026-03-03",
        "2026-03-02",
        "2026-03-01",
    ]


# Sort and pages ------------------------------------------------------------------------------

SORTS = [
    ("sort=at", ["7", "7", "12", "8", "99"]),
    ("sort=-at", ["99", "8", "12", "7", "7"]),
    ("sort=action", ["8", "12", "7", "99", "7"]),  # delete, move, tag.add, then update newest
    ("sort=user", ["12", "7", "8", "7", "99"]),  # member, owner, stranger; each newest first
    ("sort=account", ["8", "12", "7", "7", "99"]),
    ("sort=-job", ["12", "7", "7", "8", "99"]),  # the job's entry, then the rest oldest first
]


@pytest.mark.parametrize(("query", "ids"), SORTS, ids=[s[0] for s in SORTS])
def test_each_sortable_column_sorts(world, trail, client, query, ids):
    client.force_login(world.users["root"])
    assert [r["object"].split()[-1] for r in rows_of(client, query)] == ids


def test_the_sorted_column_says_so_and_its_link_reverses_it(world, trail, client):
    client.force_login(world.users["root"])
    html = page_of(client, "sort=action&action=update")
    assert 'class="col-action" aria-sort="ascending"' in html
    assert 'href="?sort=-action&amp;action=update"' in html


@pytest.fixture
def many(world):
    for number in range(60):
        entry(
            world.acme,
            world.users["member"],
            at=at(1 + number // 24, number % 24),
            object_id=number,
        )


def test_pages_of_the_chosen_size_with_links_that_keep_the_filters(world, many, client):
    client.force_login(world.users["owner"])
    html = page_of(client, "object_type=contact&per_page=25&page=2")
    assert [r["object"] for r in table_rows(html)] == [f"contact {n}" for n in range(34, 9, -1)]
    assert "26–50 of 60 entries" in html and "Page 2 of 3" in html
    assert 'href="?object_type=contact&amp;per_page=25&amp;page=3"' in html


def test_without_a_chosen_size_the_select_shows_the_default_that_applies(world, many, client):
    client.force_login(world.users["owner"])
    html = page_of(client, "object_type=contact")
    assert "1–50 of 60 entries" in html
    assert '<option value="50" selected>50</option>' in html


def test_htmx_swaps_the_results_and_pushes_a_url_that_reproduces_them(world, trail, client):
    client.force_login(world.users["root"])
    response = client.get(URL, {"action": "update", "object_type": "", "sort": "at"}, headers=HTMX)
    html = response.content.decode()
    assert response["HX-Push-Url"] == "/audit/?action=update&sort=at"
    assert html.lstrip().startswith('<section id="audit-results"') and "<html" not in html
    assert [r["object"] for r in table_rows(html)] == ["contact 7", "contact 99"]
    reproduced = rows_of(client, "action=update&sort=at")
    assert [r["object"] for r in reproduced] == ["contact 7", "contact 99"]
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


# Disconnected accounts -----------------------------------------------------------------------


def test_a_disconnected_accounts_entries_stay_readable_by_superusers(world, trail, client):
    ConnectedAccount.objects.filter(slug="globex").delete()
    assert AuditEntry.objects.filter(account_slug="globex", account=None).count() == 1
    client.force_login(world.users["root"])
    html = page_of(client, "account=globex")
    ((row, links),) = zip(table_rows(html), table_links(html), strict=True)
    assert row["account"] == "Globex(disconnected)" and row["change"].endswith("+1 555 0100")
    assert "object" not in links  # no page to open in an account that is gone
    assert '<option value="globex" selected>Globex (disconnected)</option>' in html


def test_the_admin_of_a_disconnected_account_no_longer_reads_its_entries(world, trail, client):
    ConnectedAccount.objects.filter(slug="globex").delete()
    client.force_login(world.users["stranger"])
    assert rows_of(client) == []


def test_a_long_change_shows_its_first_lines_and_the_rest_on_demand(world, client):
    created = {"email": "n@x.io", "first_name": "N", "last_name": "M", "phone": "1", "org": "O"}
    entry(world.acme, world.users["owner"], action="create", after={**created, "city": "Paris"})
    client.force_login(world.users["owner"])
    html = page_of(client)
    assert (
        html.count("<ins>") == 6 and '<details class="audit-more"><summary>2 more</summary>' in html
    )
    assert html.index("<ins>n@x.io</ins>") < html.index("2 more") < html.index("<ins>Paris</ins>")


def test_a_page_costs_the_same_queries_whatever_its_rows(world, trail, client, many):
    client.force_login(world.users["owner"])
    costs = []
    for query in ("per_page=25&action=delete", "per_page=100"):  # 1 row, then 64
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{URL}?{query}").status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1]
