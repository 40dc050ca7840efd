"""The task list over HTTP against a seeded sandbox account: sorted by due date, each
filter as the sandbox applies it, pushed URLs that reproduce the view, the call budget."""

import re
from datetime import UTC, datetime, timedelta

from django.test import override_settings

from acdash.activecampaign import count_api_calls
from acdash.sandbox import store
from acdash.sandbox.models import SandboxAccount

from .conftest import records

URL = "/a/acme/tasks/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-task-id="(\d+)"', html)]


def _due(record) -> datetime:
    return datetime.fromisoformat(record.data["duedate"])


def _expected(keep=lambda r: True, latest_first: bool = False) -> list[int]:
    """Task ids the API would list, soonest (or latest) due first, ties by id ascending."""
    tasks = [r for r in records("dealTask") if keep(r)]  # in id order; the sort is stable
    tasks.sort(key=_due, reverse=latest_first)
    return [r.rid for r in tasks]


def _get(client, query: str = "", **headers) -> str:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_tasks_are_listed_soonest_due_first_with_names_from_metadata(acme, admin_client):
    html = _get(admin_client, "?per_page=100")
    assert _ids(html) == _expected()[:100]
    total = len(records("dealTask"))
    assert f"1–{min(total, 100)} of {total} tasks" in html
    titles = {r.data["title"] for r in records("dealTasktype")}
    assert any(f">{t}<" in html for t in titles)  # the type column names the type
    users = {f"{r.data['firstName']} {r.data['lastName']}" for r in records("user")}
    assert any(name in html for name in users)  # the assignee column names the user


def test_sorting_by_due_date_descending(acme, admin_client):
    html = _get(admin_client, "?sort=-due&per_page=100")
    assert _ids(html) == _expected(latest_first=True)[:100]
    assert 'aria-sort="descending"' in html


def test_status_filters(acme, admin_client):
    for status, value in (("open", "0"), ("complete", "1")):
        html = _get(admin_client, f"?status={status}&per_page=100")
        assert _ids(html) == _expected(lambda r, v=value: r.data["status"] == v)[:100]


def test_overdue_and_due_today(acme, admin_client):
    now = datetime.now(UTC)
    html = _get(admin_client, "?due=overdue&per_page=100")
    overdue = _expected(lambda r: r.data["status"] == "0" and _due(r) < now)
    assert overdue and _ids(html) == overdue[:100]
    assert "Overdue" in html
    start = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)
    html = _get(admin_client, "?due=today&per_page=100")
    today = _expected(lambda r: start <= _due(r) < start + timedelta(days=1))
    assert _ids(html) == today[:100]


def test_due_range_assignee_type_and_related_deal(acme, admin_client):
    task = records("dealTask")[0]
    day = _due(task).astimezone(UTC).date()
    html = _get(admin_client, f"?due_from={day}&due_to={day}&per_page=100")
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    assert _ids(html) == _expected(lambda r: start <= _due(r) < start + timedelta(days=1))[:100]
    for name, attribute in (("assignee", "assignee"), ("type", "dealTasktype")):
        value = task.data[attribute]
        html = _get(admin_client, f"?{name}={value}&per_page=100")
        assert _ids(html) == _expected(lambda r, a=attribute, v=value: r.data[a] == v)[:100]
    html = _get(admin_client, f"?deal={task.data['relid']}")
    assert _ids(html) == _expected(lambda r: r.data["relid"] == task.data["relid"])


def test_htmx_swaps_the_results_and_pushes_a_url_that_reproduces_them(acme, admin_client):
    response = admin_client.get(URL + "?status=open&due=&assignee=", **HTMX)
    html = response.content.decode()
    assert response["HX-Push-Url"] == URL + "?status=open"
    assert "<form" not in html.split('id="task-results"')[0]  # only the fragment
    assert 'id="task-results"' in html
    assert _ids(_get(admin_client, "?status=open")) == _ids(html)
    assert "HX-Request" in response["Vary"]


def test_bad_filters_are_named_by_their_field_and_not_applied(acme, admin_client):
    html = _get(admin_client, "?due_from=2026-02-30&assignee=99999&type=abc&deal=-4")
    assert "Enter a real date as YYYY-MM-DD" in html
    assert html.count("Select a valid choice") == 2
    assert "greater than or equal to 1" in html
    assert _ids(html) == _expected()[:20]  # nothing of it applied


def test_the_list_costs_two_calls_with_metadata_cached(acme, admin_client):
    """The page of tasks, then one batched lookup of its deals' titles."""
    _get(admin_client)  # warms the metadata cache
    with count_api_calls() as stats:
        _get(admin_client, "?status=open&due=overdue&sort=-due")
    assert stats.count <= 2, stats.summary()
    assert [c.path for c in stats.calls if c.path.endswith("/deals")] == ["/deals"]


def test_for_names_the_deal_and_the_contact_and_links_to_their_pages(acme, admin_client):
    deals = {r.rid: r.data["title"] for r in records("deal")}
    contact, task = records("contact")[0], records("dealTask")[0]
    # A contact's task among the deals' (the seed makes deal tasks only), due first.
    due = {"relid": str(contact.rid), "reltype": "Subscriber", "duedate": "2000-01-01T09:00:00Z"}
    store.create(
        SandboxAccount.objects.get(slug="acme"), "dealTask", task.data | due, parent=contact.rid
    )
    with override_settings(ACTIVECAMPAIGN_LABEL_TTL=0):  # names read each time, not kept
        _get(admin_client)  # warms the metadata cache
        with count_api_calls() as stats:
            html = _get(admin_client)
    name = f"{contact.data['firstName']} {contact.data['lastName']}".strip()
    assert f'<a href="/a/acme/contacts/{contact.rid}/">{name}</a>' in html
    shown = re.findall(r'<a href="/a/acme/deals/(\d+)/">([^<]*)</a>', html)
    assert len(shown) == 19 and all(deals[int(i)] == title for i, title in shown)
    assert not re.search(r">(Deal|Contact) \d+<", html)
    # One batched lookup per kind, at once: the tasks, the deals' titles, the contact's name.
    assert sorted(c.path for c in stats.calls) == ["/contacts", "/dealTasks", "/deals"]
    # Remembered, the names cost nothing the next time: only the tasks are read.
    _get(admin_client)
    with count_api_calls() as stats:
        again = _get(admin_client)
    assert [c.path for c in stats.calls] == ["/dealTasks"]
    assert f'<a href="/a/acme/contacts/{contact.rid}/">{name}</a>' in again
    assert re.findall(r'<a href="/a/acme/deals/(\d+)/">([^<]*)</a>', again) == shown


def test_an_unanswering_api_shows_the_error_with_retry(acme, admin_client):
    acme.api_url = acme.api_url.replace("/sandbox/acme", "/sandbox/nowhere")
    acme.save()
    html = _get(admin_client, "?status=open")
    assert "The tasks could not be loaded from ActiveCampaign." in html
    assert "Retry" in html


def test_dates_far_outside_any_tasks_are_refused_by_their_field(acme, admin_client):
    html = _get(admin_client, "?due_from=0001-01-01&due_to=9999-12-31")
    assert html.count("is out of range: dates go from 1970-01-01 to 2099-12-31.") == 2
    assert _ids(html) == _expected()[:20]
