"""Each main page, as a staff member sees it on the seeded sandbox accounts, saved at desktop
and phone width under docs/screenshots/ (screenshots.py). Every test shoots its own pages,
so the set is written by several processes at once without two writing one file; each
shot also checks the page does not scroll sideways and has loaded what it shows."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from acdash.accounts.models import Membership
from acdash.audit.models import AuditEntry
from acdash.jobs.models import Job
from acdash.sandbox import seed
from acdash.sandbox.models import SandboxRecord
from tests.jobs.conftest import work
from tests.tasks.conftest import connect

from .conftest import PASSWORD, TIMEOUT_MS, log_in, seeded_account
from .screenshots import DESKTOP, PAGES, SCREENSHOTS, SIZES, shoot

EMAIL = "sam@acme.example.com"  # the seeded user "sam" of Acme; made Bolt's too


@pytest.fixture
def staff(live_server, django_db_reset_sequences, django_user_model) -> User:
    """An admin of Acme and Bolt whose email is the seeded "sam"'s in both (My tasks); ids
    start at 1 whatever this process ran before (the job is "Job 1" in every run).
    Bolt's setup differs from Acme's on purpose (the "globex" variant: the compare page)."""
    seed.seed_account("bolt", "Bolt", 40, 3, setup="globex")
    accounts = [
        seeded_account(live_server.url),
        connect(live_server.url, "bolt", "Bolt", size=40, rng=3),
    ]
    sam = SandboxRecord.objects.get(account__slug="bolt", kind="user", key="sam")
    sam.data["email"] = EMAIL
    sam.save()
    user = django_user_model.objects.create_user("demo", email=EMAIL, password=PASSWORD)
    for account in accounts:
        Membership.objects.create(user=user, account=account, role="admin")
    return user


@pytest.fixture
def page(chromium, live_server, staff) -> Page:
    return log_in(chromium, live_server.url, staff, viewport=DESKTOP)


def _records(kind: str, slug: str = "acme") -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug=slug, kind=kind).order_by("rid"))


def test_login_overview_search_and_my_tasks(chromium, live_server, staff, page):
    visitor = chromium.new_context(viewport=DESKTOP).new_page()
    visitor.set_default_timeout(TIMEOUT_MS)
    visitor.goto(f"{live_server.url}/login/")
    shoot(visitor, "login")

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text("Bolt")
    shoot(page, "overview", volatile=".accounts-table .muted.nowrap")  # the figures' "as of"

    # The first name most contacts of both accounts share: several matches in each.
    names = Counter(
        r.data["firstName"] for slug in ("acme", "bolt") for r in _records("contact", slug)
    )
    name = names.most_common(1)[0][0]
    page.goto(f"{live_server.url}/search/?{urlencode({'q': name})}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"matching “{name}”")
    shoot(page, "search")

    page.goto(f"{live_server.url}/tasks/")
    expect(page.locator(".my-task").first).to_be_visible()
    shoot(page, "my-tasks")


def test_contacts_contact_page_and_api_console(live_server, page):
    page.goto(f"{live_server.url}/a/acme/contacts/")
    expect(page.locator("#contact-results-heading")).to_contain_text("contacts")
    shoot(page, "contacts")

    tags = Counter(r.parent for r in _records("contactTag"))
    deals = {d.data["contact"] for d in _records("deal")}
    contact = next(r.rid for r in _records("contact") if tags[r.rid] >= 2 and str(r.rid) in deals)
    page.goto(f"{live_server.url}/a/acme/contacts/{contact}/")
    expect(page.locator("#tags .chips")).not_to_be_empty()
    shoot(page, "contact")

    page.goto(f"{live_server.url}/a/acme/api/List_webhooks/?send=1")
    expect(page.locator(".console-result")).to_contain_text("200 GET /webhooks")
    # The answer, without its time in ms (a different one on every run).
    shoot(page, "console", volatile=".console-result > p.small", start=".console-result")


def test_deal_board_and_deal_page(live_server, page):
    sales = next(p for p in _records("dealGroup") if p.data["title"] == "Sales Pipeline")
    page.goto(f"{live_server.url}/a/acme/pipelines/{sales.rid}/")
    expect(page.locator(".deal-card").first).to_be_visible()
    shoot(page, "board")

    tasks = {str(t.parent) for t in _records("dealTask")}
    deal = next(d for d in _records("deal") if d.data["status"] == "0" and str(d.rid) in tasks)
    page.goto(f"{live_server.url}/a/acme/deals/{deal.rid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(deal.data["title"])
    shoot(page, "deal")


def test_setup_fields_compare_and_branding(live_server, page):
    page.goto(f"{live_server.url}/a/acme/fields/")
    expect(page.locator("tbody tr").first).to_be_visible()
    shoot(page, "fields")

    page.goto(f"{live_server.url}/setup/compare/")
    page.get_by_label("Source account").select_option("acme")
    page.locator("#field-targets").get_by_label("Bolt").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("[data-part='contact_fields']")).to_be_visible()
    shoot(page, "compare")

    page.goto(f"{live_server.url}/a/acme/branding/")
    preview = page.frame_locator("iframe[name='branding-preview']")
    expect(preview.locator("body")).not_to_be_empty()
    shoot(page, "branding", start={"phone": ".branding-preview"})  # below the form there


def test_a_finished_bulk_job_and_the_audit_trail(live_server, page):
    ids = ",".join(str(r.rid) for r in _records("contact")[:40])
    query = {"type": "contact", "action": "add_tag", "ids": ids, "tag": "vip", "preview": 1}
    page.goto(f"{live_server.url}/a/acme/jobs/new/?{urlencode(query)}")
    page.get_by_role("button", name="Run it").click()
    expect(page).to_have_url(re.compile(r"/a/acme/jobs/\d+/$"))
    work()
    bar = page.get_by_role("progressbar", name="Records completed")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    # Fixed times, so the shots are the same on every run ("3 minutes ago", 40 a minute).
    now = timezone.now()
    started, finished = now - timedelta(minutes=3), now - timedelta(minutes=2)
    Job.objects.update(created_at=started, started_at=started, finished_at=finished)
    AuditEntry.objects.update(at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    page.goto(page.url)  # as it is opened later: no toast of the start
    expect(page.get_by_role("status").filter(has_text="Finished")).to_be_visible()
    shoot(page, "job")

    page.goto(f"{live_server.url}/a/acme/audit/")
    expect(page.locator("tbody tr").first).to_be_visible()
    shoot(page, "audit")


def test_the_readme_shows_every_page_at_both_sizes():
    readme = (Path(SCREENSHOTS).parent.parent / "README.md").read_text()
    shown = set(re.findall(r'<img src="docs/screenshots/([\w-]+)\.png"', readme))
    assert shown == {f"{name}-{size}" for name in PAGES for size in SIZES}
