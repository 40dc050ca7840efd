"""The overview at agency scale: 200 connected accounts render from stored figures with 0
API calls and the same few SQL queries as 20; sorting, filters and paging happen in SQL; the
address bar reproduces the view; hostile values are named and ignored, never a 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import count_api_calls
from acdash.overview.models import AccountFigures

from . import HTMX, account_rows, many_accounts


def figures_for(account: ConnectedAccount, n: int, **changes) -> AccountFigures:
    values = {
        "contacts": n * 10,
        "open_deals": n % 7,
        "open_value_cents": n * 1000,
        "open_values": [{"currency": "usd", "count": n % 7, "value_cents": n * 1000}],
        "overdue_tasks": n % 3,
        "fetched_at": timezone.now(),
    }
    return AccountFigures(account=account, **(values | changes))


@pytest.fixture
def agency(live_server, transactional_db):
    """200 connected accounts, all with fresh figures; a few failing or never checked."""
    accounts = many_accounts(live_server.url, 200)
    AccountFigures.objects.bulk_create(figures_for(a, n) for n, a in enumerate(accounts, 1))
    now = timezone.now()
    ConnectedAccount.objects.update(last_success_at=now - timedelta(minutes=1))
    ConnectedAccount.objects.filter(slug__in=["client-007", "client-150"]).update(
        last_error="ActiveCampaign is not answering", last_error_at=now
    )
    ConnectedAccount.objects.filter(slug="client-099").update(last_success_at=None)
    AccountFigures.objects.filter(account__slug="client-099").delete()
    return accounts


def test_200_accounts_render_with_no_api_call_and_few_queries(agency, admin_client):
    with count_api_calls() as calls, CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/")
    html = response.content.decode()
    assert calls.count == 0
    assert "1–50 of 200 accounts" in html
    assert len(account_rows(html)) == 50
    # All 200 in the switcher, still in the same handful of queries as 20 accounts would be.
    assert html.count('role="menuitem"') == 201
    assert len(queries) <= 10, [q["sql"][:120] for q in queries]
    # Every page of 50 shows its rows, the last included.
    last = admin_client.get("/?page=4").content.decode()
    assert "151–200 of 200 accounts" in last and len(account_rows(last)) == 50


def test_only_rows_without_fresh_figures_load_lazily(agency, admin_client):
    AccountFigures.objects.filter(account__slug="client-003").update(
        fetched_at=timezone.now() - timedelta(hours=1)
    )
    html = admin_client.get("/?q=client-00").content.decode()  # client-001 … client-009
    # 003 is stale and 099 has none; 007 failed a minute ago: it waits for its Retry.
    assert html.count("<tbody hx-get") == 1
    assert "/figures/?a=client-001&amp;a=client-002&amp;a=client-003" in html


def test_a_batch_is_at_most_ten_accounts(agency, admin_client):
    AccountFigures.objects.all().delete()
    html = admin_client.get("/?per_page=25").content.decode()
    assert html.count("<tbody hx-get") == 3  # 10 + 10 + 5 rows
    asked = "&".join(f"a=client-{n:03d}" for n in range(1, 16))
    with count_api_calls() as calls:
        batch = admin_client.get(f"/figures/?{asked}&refresh=1", headers=HTMX).content.decode()
    assert len(account_rows(batch)) == 10 and calls.count == 30


def test_refreshing_the_page_fetches_its_batches_again_and_keeps_the_url(agency, admin_client):
    with count_api_calls() as calls:
        response = admin_client.get("/", {"q": "client-01", "refresh": "1"}, headers=HTMX)
    html = response.content.decode()
    assert calls.count == 0  # the batches fetch, as they come into view
    assert response["HX-Push-Url"] == "/?q=client-01"
    assert html.count("<tbody hx-get") == 1
    assert "/figures/?a=client-010&amp;a=client-011" in html and "&amp;refresh=1" in html


def test_sort_by_contacts_and_health_in_sql(agency, admin_client):
    html = admin_client.get("/?sort=-contacts").content.decode()
    rows = account_rows(html)
    assert rows[0]["contacts"] == "2,000" and rows[1]["contacts"] == "1,990"
    assert 'aria-sort="descending"' in html
    # Accounts without figures come last, either way.
    last = admin_client.get("/?sort=contacts&page=4").content.decode()
    assert account_rows(last)[-1]["name"].startswith("Client 099")
    failing_first = account_rows(admin_client.get("/?sort=health").content.decode())
    assert [r["health"] for r in failing_first[:3]] == ["Failing", "Failing", "Not checked"]


def test_filters_narrow_the_table_and_the_url_reproduces_them(agency, admin_client):
    failing = admin_client.get("/", {"health": "error"}, headers=HTMX)
    assert failing["HX-Push-Url"] == "/?health=error"
    assert [r["name"][:10] for r in account_rows(failing.content.decode())] == [
        "Client 007",
        "Client 150",
    ]
    unknown = account_rows(admin_client.get("/?health=unknown").content.decode())
    assert [r["name"][:10] for r in unknown] == ["Client 099"]
    overdue = admin_client.get("/?overdue=1&per_page=200").content.decode()
    assert all(row["overdue_tasks"] != "0" for row in account_rows(overdue))
    assert f"of {sum(1 for n in range(1, 201) if n % 3 and n != 99)} accounts" in overdue
    errors = admin_client.get("/?has_error=1&q=150").content.decode()
    assert len(account_rows(errors)) == 1 and "ActiveCampaign is not answering" in errors
    nothing = admin_client.get("/?q=nobody").content.decode()
    assert "No account matches “nobody”" in nothing


def test_hostile_values_are_named_and_ignored(agency, admin_client):
    for query in (
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999999999999999999"},
        {"per_page": "1e400"},
        {"sort": "-password"},
        {"health": "<script>"},
        {"q": "nul\x00byte"},
        {"q": "x" * 10_000},
    ):
        response = admin_client.get("/", query)
        assert response.status_code == 200, query
        assert "of 200 accounts" in response.content.decode() or "page" in str(query)
    html = admin_client.get("/", {"page": "abc", "health": "nope"}).content.decode()
    assert "“abc” is not a page number: showing page 1." in html
    assert "Health: Select a valid choice." in html
    past = admin_client.get("/?page=9").content.decode()
    assert "There is no page 9: showing the last page, 4." in past


def test_a_member_sees_only_their_accounts(agency, client, django_user_model):
    user = django_user_model.objects.create_user("sam", password="pw")
    for account in agency[:3]:
        Membership.objects.create(user=user, account=account, role="viewer")
    client.force_login(user)
    html = client.get("/?per_page=200").content.decode()
    assert "1–3 of 3 accounts" in html and len(account_rows(html)) == 3
    assert html.count('role="menuitem"') == 4  # All accounts and their three
