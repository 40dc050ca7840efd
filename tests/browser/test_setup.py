"""Account setup in a real browser: a dropdown field created with three options is listed
with them; branding HTML that would run script (``<script>``, ``onerror=``, a
``<meta http-equiv=refresh>``) does nothing in acdash's page or in its sandboxed preview."""

import pytest
from playwright.sync_api import expect

from acdash.sandbox.models import SandboxRecord
from acdash.setup import tags as tag_views
from tests.browser.conftest import PASSWORD, chromium, log_in, seeded_account

__all__ = ["chromium"]

PAYLOAD = (
    "<script>window.pwned = 'script'; parent.pwned = 'script';</script>"
    "<img src=\"x\" onerror=\"window.pwned = 'onerror'; top.pwned = 'onerror'\">"
    '<meta http-equiv="refresh" content="0;url=/logout/">'
    "<p id='brand'>Acme header</p>"
)


@pytest.fixture
def admin(live_server, transactional_db, django_user_model):
    seeded_account(live_server.url)
    return django_user_model.objects.create_superuser("ada", password=PASSWORD)


def test_create_a_dropdown_field_with_three_options_and_see_them_listed(
    chromium, live_server, admin
):
    page = log_in(chromium, live_server.url, admin)
    page.goto(f"{live_server.url}/a/acme/fields/")
    page.get_by_role("link", name="New contact field").click()
    page.get_by_label("Label").fill("Favourite colour")
    page.get_by_label("Type").select_option("dropdown")
    page.get_by_label("Options").fill("Red\nGreen\nBlue")
    page.get_by_role("button", name="Create field").click()
    expect(page.locator("#toasts")).to_contain_text("Created contact field “Favourite colour”.")
    row = page.locator("tr", has_text="Favourite colour")
    expect(row.locator(".col-type")).to_have_text("dropdown")
    expect(row.locator(".col-options")).to_have_text("Red, Green, Blue")


def test_branding_html_never_runs_in_acdashs_origin(chromium, live_server, admin):
    SandboxRecord.objects.filter(account__slug="acme", kind="branding").delete()
    page = log_in(chromium, live_server.url, admin)
    page.goto(f"{live_server.url}/a/acme/branding/")  # creates the account's branding
    branding = SandboxRecord.objects.get(account__slug="acme", kind="branding")
    branding.data["headerHtmlValue"] = branding.data["footerHtmlValue"] = PAYLOAD
    branding.save()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/a/acme/branding/")
    frame_element = page.locator("iframe[name='branding-preview']")
    assert frame_element.get_attribute("sandbox") == ""
    preview = page.frame_locator("iframe[name='branding-preview']")
    expect(preview.locator("#brand").first).to_have_text("Acme header")
    # The payload sits in the form as text; neither the page nor the preview ran it.
    expect(page.get_by_label("Header (HTML)")).to_have_value(PAYLOAD)
    frame = next(f for f in page.frames if f.name == "branding-preview")
    assert frame.evaluate("() => typeof window.pwned") == "undefined"
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    # Live preview of the form's values: the same payload typed in, still inert.
    page.get_by_label("Footer (HTML)").fill(PAYLOAD + "<p id='typed'>typed</p>")
    expect(preview.locator("#typed")).to_have_text("typed")
    frame = next(f for f in page.frames if f.name == "branding-preview")
    assert frame.evaluate("() => typeof window.pwned") == "undefined"
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert page.url == f"{live_server.url}/a/acme/branding/"
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert not errors


def test_merging_a_tag_runs_batch_by_batch_to_the_end(chromium, live_server, admin, monkeypatch):
    monkeypatch.setattr(tag_views, "MERGE_BATCH", 10)
    tags = SandboxRecord.objects.filter(account__slug="acme", kind="tag", data__tagType="contact")

    def tagged(tag) -> set[int]:
        links = SandboxRecord.objects.filter(account__slug="acme", kind="contactTag")
        return set(links.filter(key=tag.id_str).values_list("parent", flat=True))

    source, target = sorted(tags, key=lambda t: -len(tagged(t)))[:2]
    moving = tagged(source)
    assert len(moving) > 20  # three batches or more
    page = log_in(chromium, live_server.url, admin)
    page.goto(f"{live_server.url}/a/acme/tags/{source.rid}/merge/")
    page.get_by_label("Merge into").select_option(str(target.rid))
    page.get_by_role("button", name=f"Merge and delete “{source.data['tag']}”").click()
    expect(page.locator("#toasts")).to_contain_text(
        f"Merged tag “{source.data['tag']}” into “{target.data['tag']}”: "
        f"{len(moving)} contacts re-tagged."
    )
    assert page.url == f"{live_server.url}/a/acme/tags/"
    assert moving <= tagged(target)
    assert not SandboxRecord.objects.filter(pk=source.pk).exists()
