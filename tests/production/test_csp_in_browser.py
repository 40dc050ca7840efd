"""Under the Content-Security-Policy, in Chromium: the main pages raise no policy violation,
stage colours and bar widths still show (set from data-* attributes by app.js), and a
form's confirmation still asks before removing a member."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from acdash.accounts.models import Membership
from tests.browser.conftest import PASSWORD, chromium, chromium_process, htmx_settled, log_in
from tests.deals import pipeline_fixtures
from tests.deals.pipeline_fixtures import pipeline, stages

__all__ = ["chromium", "chromium_process"]  # the shared Chromium's fixtures
deal_account = pipeline_fixtures.deal_account


@pytest.fixture
def page(chromium, live_server, deal_account) -> tuple[Page, list[str]]:
    """An admin of the account, logged in; the policy violations the console reports."""
    admin = get_user_model().objects.create_user("ada", password=PASSWORD)
    Membership.objects.create(user=admin, account=deal_account, role="admin")
    page = log_in(chromium, live_server.url, admin)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, violations


def test_pages_show_colours_and_bars_without_a_policy_violation(page, live_server):
    browser, violations = page
    renewals = pipeline("Renewals")
    first = stages(renewals)[0]
    base = f"{live_server.url}/a/acme"
    browser.goto(f"{base}/pipelines/")
    htmx_settled(browser)
    swatch = browser.locator(f"#stage-{first.rid} .stage-swatch")
    colour = swatch.evaluate("(e) => getComputedStyle(e).getPropertyValue('--stage-color')")
    assert colour.strip().lstrip("#").lower() == first.data["color"].lower()
    bars = browser.locator(".bar-count").evaluate_all("(bars) => bars.map((b) => b.style.width)")
    assert bars and all(width.endswith("%") for width in bars)
    browser.goto(f"{base}/pipelines/{renewals.rid}/")
    head = browser.locator(f'.board-column[data-stage-id="{first.rid}"] .column-head')
    expect(head).to_have_css("border-top-style", "solid")
    assert head.evaluate("(e) => e.style.getPropertyValue('--stage-color')") != ""
    for path in ("/contacts/", "/tasks/", "/fields/", "/api/", "/audit/", "/members/", "/jobs/"):
        browser.goto(base + path)
        htmx_settled(browser)
    assert not violations, violations


def test_removing_a_member_asks_first(page, live_server, deal_account):
    browser, violations = page
    other = get_user_model().objects.create_user("bob", password=PASSWORD)
    Membership.objects.create(user=other, account=deal_account, role="viewer")
    browser.goto(f"{live_server.url}/a/acme/members/")
    remove = browser.get_by_role("button", name="Remove bob")
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    browser.once("dialog", lambda d: answer(d, accept=False))
    remove.click()
    expect(remove).to_be_visible()
    assert Membership.objects.filter(user=other).exists()
    browser.once("dialog", lambda d: answer(d, accept=True))
    remove.click()
    expect(browser.get_by_role("button", name="Remove bob")).to_have_count(0)
    assert asked == ["Remove bob from Acme?"] * 2
    assert not Membership.objects.filter(user=other).exists()
    assert not violations, violations
