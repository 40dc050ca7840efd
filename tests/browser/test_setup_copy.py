"""Copying setup in a real browser: a dropdown field with three options created in one
account, compared with a second account, ticked and copied; the job (run by the jobs
tests' worker) leaves it in the second account with its options."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, chromium, log_in, seeded_account
from tests.jobs.conftest import work
from tests.tasks.conftest import connect

__all__ = ["chromium"]


@pytest.fixture
def admin(live_server, transactional_db, django_user_model):
    seeded_account(live_server.url)
    connect(live_server.url, "bolt", "Bolt", size=20)
    return django_user_model.objects.create_superuser("ada", password=PASSWORD)


def test_copy_a_dropdown_field_to_a_second_account(chromium, live_server, admin):
    page = log_in(chromium, live_server.url, admin)
    page.goto(f"{live_server.url}/a/acme/fields/")
    page.get_by_role("link", name="New contact field").click()
    page.get_by_label("Label").fill("Favourite colour")
    page.get_by_label("Type").select_option("dropdown")
    page.get_by_label("Options").fill("Red\nGreen\nBlue")
    page.get_by_role("button", name="Create field").click()
    expect(page.locator("#toasts")).to_contain_text("Created contact field “Favourite colour”.")

    page.goto(f"{live_server.url}/setup/compare/")
    page.get_by_label("Source account").select_option("acme")
    page.locator("#field-targets").get_by_label("Bolt").check()
    page.get_by_role("button", name="Compare").click()
    row = page.locator("[data-part='contact_fields'] tr", has_text="Favourite colour")
    expect(row.locator(".col-status")).to_have_text("create")
    row.get_by_label("Copy Favourite colour").check()
    page.get_by_role("button", name="Copy the chosen items").click()
    expect(page).to_have_url(re.compile(r"/a/bolt/jobs/\d+/$"))
    work()

    page.reload()
    expect(page.locator("body")).to_contain_text("Copy setup from the account Acme")
    page.goto(f"{live_server.url}/a/bolt/fields/")
    copied = page.locator("tr", has_text="Favourite colour")
    expect(copied.locator(".col-type")).to_have_text("dropdown")
    expect(copied.locator(".col-options")).to_have_text("Red, Green, Blue")
