# ruff: noqa: F401, F811 (the editor fixture)
"""A bulk edit in a real browser: filter the contacts by a tag, select all matching, add
another tag in bulk, confirm, watch the progress bar reach 100% without reloading, undo it
and see the tag gone from the contacts that did not have it before (and kept by those that
did). The worker is the database worker, run in this process when the job is queued."""

from playwright.sync_api import Page, expect

from acdash.sandbox.models import SandboxRecord
from tests.browser.conftest import PHONE, editor, log_in, seeded_account
from tests.contacts import SLUG
from tests.jobs.conftest import work


def tagged(name: str) -> set[int]:
    tag = SandboxRecord.objects.get(account__slug=SLUG, kind="tag", data__tag=name).rid
    links = SandboxRecord.objects.filter(account__slug=SLUG, kind="contactTag", key=str(tag))
    return set(links.values_list("parent", flat=True))


def run_and_watch(page: Page) -> None:
    """The job page as the worker runs the job: its bar goes to 100% by itself."""
    bar = page.get_by_role("progressbar", name="Records completed")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    page.evaluate("window.notReloaded = true")
    work()
    expect(bar).to_have_attribute("aria-valuenow", "100")
    # What the eye reads: the fill spans the whole bar (once its width transition ends).
    page.wait_for_function(
        "fill => fill.getBoundingClientRect().width >= fill.parentElement.clientWidth - 1",
        arg=bar.locator(".progress-fill").element_handle(),
    )
    expect(page.get_by_role("status").filter(has_text="Finished")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True


def test_add_a_tag_to_every_contact_of_a_filter_then_undo_it(
    chromium, live_server, transactional_db, editor
):
    account = seeded_account(live_server.url)
    customers, vips = tagged("customer"), tagged("vip")
    assert len(customers) > 20 and customers - vips and customers & vips  # more than a page
    page = log_in(chromium, live_server.url, editor(account), viewport=PHONE)
    page.goto(f"{live_server.url}/a/acme/contacts/")

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Tag", exact=True).select_option(label="customer")
    heading = page.locator("#contact-results-heading")
    expect(heading).to_contain_text(f"of {len(customers)} contacts")
    toolbar = page.get_by_role("form", name="Bulk actions")
    expect(toolbar.get_by_label("Bulk action")).to_be_hidden()  # until a row is ticked

    page.get_by_label("Select every row on this page").check()
    expect(toolbar).to_contain_text("20 of 20 on this page")
    toolbar.get_by_role("button", name=f"Select all {len(customers)} contacts matching").click()
    expect(toolbar).to_contain_text(f"All {len(customers)} matching the filter")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toolbar.get_by_label("Bulk action").select_option(label="Add a tag")
    toolbar.get_by_role("button", name="Preview…").click()

    page.get_by_label("Tag", exact=True).fill("vip")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator(".bulk-figures")).to_contain_text(f"{len(customers)} contacts selected")
    expect(page.locator(".bulk-figures")).to_contain_text(f"{len(customers - vips)} will change")
    expect(page.get_by_text("already tagged “vip”").first).to_be_visible()
    page.get_by_role("button", name="Run it").click()

    run_and_watch(page)
    assert tagged("vip") == vips | customers

    page.get_by_role("link", name="Undo…").click()
    page.get_by_role("button", name=f"Undo {len(customers - vips)} contacts").click()
    run_and_watch(page)
    assert tagged("vip") == vips  # gone again where this job had added it

    page.goto(f"{live_server.url}/a/acme/contacts/?tag={tagged_id('vip')}")
    expect(heading).to_contain_text(f"of {len(vips)} contacts")


def tagged_id(name: str) -> int:
    return SandboxRecord.objects.get(account__slug=SLUG, kind="tag", data__tag=name).rid


def test_shift_click_ranges_and_the_keyboard_select_deals(
    chromium, live_server, transactional_db, editor
):
    account = seeded_account(live_server.url)
    page = log_in(chromium, live_server.url, editor(account))
    page.goto(f"{live_server.url}/a/acme/deals/")
    boxes = page.locator('#deal-results tbody input[type="checkbox"]')
    toolbar = page.get_by_role("form", name="Bulk actions")
    expect(boxes).to_have_count(20)

    boxes.nth(1).click()
    boxes.nth(5).click(modifiers=["Shift"])  # rows 2 to 6
    expect(toolbar).to_contain_text("5 of 20 on this page")
    boxes.nth(7).focus()
    page.keyboard.press("Space")
    expect(toolbar).to_contain_text("6 of 20 on this page")
    whole_page = page.get_by_label("Select every row on this page")
    assert whole_page.evaluate("box => box.indeterminate") is True
    boxes.nth(3).click(modifiers=["Shift"])  # from row 8 back to row 4: unticked
    expect(toolbar).to_contain_text("2 of 20 on this page")

    ticked = [boxes.nth(i).get_attribute("value") for i in (1, 2)]
    toolbar.get_by_label("Bulk action").select_option(label="Change owner")
    toolbar.get_by_role("button", name="Preview…").press("Enter")
    expect(page.get_by_text("2 deals ticked")).to_be_visible()
    assert page.locator('input[name="ids"]').first.get_attribute("value") == ",".join(ticked)

    page.go_back()
    page.get_by_role("button", name="Clear selection").click()
    expect(toolbar.get_by_label("Bulk action")).to_be_hidden()
    expect(whole_page).to_be_focused()
