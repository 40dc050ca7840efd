"""My tasks over HTTP: the signed-in staff member's open tasks in every account, matched by
email to each account's users, grouped by when they are due, completed in place; the
accounts are asked at once (their requests are in flight together at injected latency)."""

from datetime import UTC, datetime

import pytest

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import Membership
from acdash.activecampaign.ratelimit import FileStore, RateLimiter
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount, SandboxRecord

from .conftest import connect, records, task_record

EMAIL = "sam.rivera@staff.example.com"
URL = "/tasks/"
LATENCY_MS = 300


@pytest.fixture
def accounts(live_server, transactional_db):
    """Three accounts; in the first two the user "sam" has the staff member's email."""
    faults.reset()
    found = [
        connect(live_server.url, slug, name, size=40, rng=n)
        for n, (slug, name) in enumerate((("acme", "Acme"), ("beta", "Beta"), ("gamma", "Gamma")))
    ]
    for slug in ("acme", "beta"):
        user = SandboxRecord.objects.get(account__slug=slug, kind="user", key="sam")
        user.data["email"] = EMAIL.upper()  # emails match whatever their case
        user.save()
    yield found
    faults.reset()


@pytest.fixture
def staff(accounts, client, django_user_model):
    user = django_user_model.objects.create_user("sam", email=EMAIL, password="pw")
    for account in accounts:
        Membership.objects.create(user=user, account=account, role="editor")
    client.force_login(user)
    return client


def _sams_open_tasks(slug: str) -> list[SandboxRecord]:
    sam = SandboxRecord.objects.get(account__slug=slug, kind="user", key="sam").id_str
    return [
        r
        for r in records("dealTask", slug)
        if r.data["assignee"] == sam and r.data["status"] == "0"
    ]


def test_open_tasks_of_the_matching_user_in_each_account_grouped_by_due(staff):
    html = staff.get(URL).content.decode()
    now = datetime.now(UTC)
    for slug in ("acme", "beta"):
        mine = _sams_open_tasks(slug)
        assert mine, f"the seed gives sam no open task in {slug}"
        for task in mine:
            assert f'id="my-task-{slug}-{task.rid}"' in html
        others = [r for r in records("dealTask", slug) if r not in mine]
        assert not any(f'id="my-task-{slug}-{r.rid}"' in html for r in others)
        if any(datetime.fromisoformat(r.data["duedate"]) < now for r in mine):
            section = html.split(f'id="my-account-{slug}"')[1].split("<section")[0]
            assert 'class="bucket bucket-overdue">Overdue' in section
    assert "No user of Gamma has the email sam.rivera@staff.example.com" in html


def test_each_task_names_and_links_its_deal_or_contact(staff):
    html = staff.get(URL).content.decode()
    for task in _sams_open_tasks("acme"):
        row = html.split(f'id="my-task-acme-{task.rid}"')[1].split("</li>")[0]
        related = task.data["relid"]
        if task.data["reltype"] == "Deal":
            deal = SandboxRecord.objects.get(account__slug="acme", kind="deal", rid=int(related))
            assert f'<a href="/a/acme/deals/{related}/">{deal.data["title"]}</a>' in row
        else:
            assert f'<a href="/a/acme/contacts/{related}/">' in row
            assert f"contact {related}</a>" not in row


def test_complete_in_place_with_an_outcome(staff):
    offered = {}
    for rel in records("tasktypeOutcomeRel"):
        offered.setdefault(str(rel.parent), []).append(int(rel.key))
    task = next(r for r in _sams_open_tasks("acme") if r.data["dealTasktype"] in offered)
    outcome = offered[task.data["dealTasktype"]][0]
    page = staff.get(URL).content.decode()
    row = page.split(f'id="my-task-acme-{task.rid}"')[1].split("</li>")[0]
    assert f'hx-post="/a/acme/tasks/{task.rid}/complete/"' in row
    assert f'<option value="{outcome}">' in row
    response = staff.post(
        f"/a/acme/tasks/{task.rid}/complete/",
        {"outcome": outcome, "outcome_note": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="my-task is-done" id="my-task-acme-{task.rid}"')
    assert "✓ Completed task" in html and "data-focus-after-swap" in html
    stored = task_record(task.rid).data
    assert stored["status"] == "1" and stored["outcomeId"] == outcome


def test_a_viewer_sees_the_tasks_without_complete_buttons(accounts, client, django_user_model):
    user = django_user_model.objects.create_user("viewer", email=EMAIL, password="pw")
    Membership.objects.create(user=user, account=accounts[0], role="viewer")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert _sams_open_tasks("acme")[0].data["relid"] in html
    assert "my-task-complete" not in html
    task = _sams_open_tasks("acme")[0]
    assert client.post(f"/a/acme/tasks/{task.rid}/complete/").status_code == 403
    assert task_record(task.rid).data["status"] == "0"


def test_a_staff_member_without_an_email_is_told_why_nothing_shows(
    accounts, client, django_user_model
):
    user = django_user_model.objects.create_user("noemail", password="pw")
    Membership.objects.create(user=user, account=accounts[0], role="editor")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Your acdash user has no email address" in html
    assert faults.request_log.snapshot("acme")["total"] == 0  # nothing to ask the API


@pytest.fixture
def own_limiters(accounts, tmp_path):
    """Limiters of the test's own, so calls of its set-up hold none of its calls back."""
    clients = [client_for_account(account) for account in accounts]
    shared = [c.limiter for c in clients]
    for c in clients:
        c.limiter = RateLimiter(FileStore(tmp_path), rate=1000)
    yield
    for c, limiter in zip(clients, shared, strict=True):
        c.limiter = limiter


def test_the_accounts_are_asked_at_once(staff, accounts, own_limiters):
    staff.get(URL)  # warms each account's metadata
    SandboxAccount.objects.update(latency_ms=LATENCY_MS)
    faults.reset()
    assert staff.get(URL).status_code == 200
    calls = []
    for account in accounts[:2]:  # gamma has no matching user: no task call
        log = faults.request_log.snapshot(account.slug)["recent"]
        # The tasks alone: the first visit's call naming their deals left the titles
        # remembered (the seed relates tasks to deals only).
        assert [e["path"] for e in log] == ["/dealTasks"]
        calls += [(e["at"] - e["duration_ms"] / 1000, e["at"]) for e in log[:1]]
    # Some moment falls inside every call: the last to arrive came before the first answer.
    assert max(arrived for arrived, _ in calls) < min(answered for _, answered in calls)


def test_an_account_that_fails_shows_its_error_in_its_own_group(staff, accounts):
    broken = accounts[1]
    broken.api_url = broken.api_url.replace("/sandbox/beta", "/sandbox/nowhere")
    broken.save()
    html = staff.get(URL).content.decode()
    beta = html.split('id="my-account-beta"')[1].split("<section")[0]
    assert "tasks could not be loaded from ActiveCampaign." in beta
    assert "Retry" in beta
    assert f'id="my-task-acme-{_sams_open_tasks("acme")[0].rid}"' in html  # the others load


def test_the_accounts_and_roles_cost_one_query_however_many_accounts(
    staff, accounts, django_assert_max_num_queries
):
    staff.get(URL)  # warms each account's metadata
    # The session, the user, the accounts with the roles, the switcher's accounts.
    with django_assert_max_num_queries(4):
        html = staff.get(URL).content.decode()
    assert f'id="my-task-acme-{_sams_open_tasks("acme")[0].rid}"' in html
