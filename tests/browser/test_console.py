"""The API console and the webhooks screen in a real browser: find "List all webhooks" by
typing, send it, read the API's answer; create a webhook from the webhooks screen and see
it listed; at phone width neither it nor the campaigns with their bars scroll sideways."""

import json
import re

from playwright.sync_api import expect

from acdash.accounts.models import Membership
from acdash.sandbox.models import SandboxRecord

from .conftest import PASSWORD, PHONE, log_in, seeded_account


def _member(django_user_model, account, role: str):
    user = django_user_model.objects.create_user(f"{role}-1", password=PASSWORD)
    Membership.objects.create(user=user, account=account, role=role)
    return user


def test_find_list_all_webhooks_send_it_and_read_the_answer(
    chromium, live_server, transactional_db, django_user_model
):
    account = seeded_account(live_server.url)
    page = log_in(chromium, live_server.url, _member(django_user_model, account, "viewer"))
    page.goto(f"{live_server.url}/a/acme/contacts/")
    page.get_by_role("link", name="API console").click()
    page.get_by_label("Find an operation (name or path)").press_sequentially("webhooks")
    operations = page.locator("#operations")
    expect(operations.get_by_role("link", name=re.compile("Create a contact"))).to_have_count(0)
    operations.get_by_role("link", name=re.compile("List all webhooks")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("List all webhooks")
    page.get_by_role("button", name="Send GET /webhooks").click()
    result = page.locator(".console-result")
    expect(result.get_by_role("heading", name="200 GET /webhooks")).to_be_focused()
    answer = json.loads(result.locator(".console-json").text_content())
    names = [
        r.data["name"]
        for r in SandboxRecord.objects.filter(account__slug="acme", kind="webhook").order_by("rid")
    ]
    assert [hook["name"] for hook in answer["webhooks"]] == names
    expect(result.locator(".console-curl")).to_contain_text('-H "Api-Token: $AC_TOKEN"')
    assert "/a/acme/api/List_webhooks/?send=1" in page.url  # the URL reproduces it


def test_create_a_webhook_from_the_webhooks_screen_and_see_it_listed(
    chromium, live_server, transactional_db, django_user_model
):
    account = seeded_account(live_server.url)
    user = _member(django_user_model, account, "editor")
    page = log_in(chromium, live_server.url, user, viewport=PHONE)
    page.goto(f"{live_server.url}/a/acme/webhooks/")
    page.get_by_role("link", name="New webhook").click()
    page.get_by_label("Name").fill("Browser hook")
    page.get_by_label("URL").fill("https://hooks.example.com/browser")
    page.get_by_role("checkbox", name="subscribe", exact=True).check()
    page.get_by_role("checkbox", name="api", exact=True).check()
    page.get_by_role("button", name="Create webhook").click()

    expect(page.locator("#toasts")).to_contain_text("Created webhook “Browser hook”.")
    expect(page.locator("#results tbody")).to_contain_text("Browser hook")
    expect(page.locator("#results tbody")).to_contain_text("https://hooks.example.com/browser")
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"the page is {wide} px wide at {PHONE['width']} px"

    page.goto(f"{live_server.url}/a/acme/campaigns/")
    expect(page.locator(".figure-opens .figure-bar > span").first).to_be_visible()
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"the campaigns are {wide} px wide at {PHONE['width']} px"


def test_open_the_contact_pages_automations_and_add_the_contact_to_one(
    chromium, live_server, transactional_db, django_user_model
):
    account = seeded_account(live_server.url)
    inside = {
        r.data["contact"]
        for r in SandboxRecord.objects.filter(account__slug="acme", kind="contactAutomation")
    }
    contact = next(
        r.rid
        for r in SandboxRecord.objects.filter(account__slug="acme", kind="contact").order_by("rid")
        if str(r.rid) not in inside
    )
    page = log_in(chromium, live_server.url, _member(django_user_model, account, "editor"))
    page.goto(f"{live_server.url}/a/acme/contacts/{contact}/")
    page.locator("#automations summary").click()
    panel = page.locator("section#automations")
    expect(panel).to_contain_text("Not in any automation.")
    automation = SandboxRecord.objects.filter(account__slug="acme", kind="automation").first()
    panel.get_by_label("Add to automation").select_option(label=automation.data["name"])
    panel.get_by_role("button", name="Add").click()
    expect(page.locator("#toasts")).to_contain_text(f"Added to “{automation.data['name']}”.")
    expect(panel.locator(".automation-row")).to_contain_text(automation.data["name"])
