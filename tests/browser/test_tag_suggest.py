"""Tag suggestions from the keyboard in a real browser: arrow keys move through them, Enter
adds the highlighted one, Escape closes them, and Enter without a highlight adds the name
as typed (the combobox of static/js/tag-suggest.js)."""

from playwright.sync_api import expect

from acdash.activecampaign import contacts, tags
from tests.browser import test_contact_edit as shared

acme, ac, page = shared.acme, shared.ac, shared.page


def test_tag_suggestions_work_with_arrow_keys_enter_and_escape(page, live_server, acme, ac):
    person = contacts.create_contact(ac, "kay@example.com", first_name="Kay")
    page.goto(f"{live_server.url}/a/acme/contacts/{person.id}/")
    field = page.get_by_role("combobox", name="Add a tag")
    suggestions = page.locator("#tag-suggestions")

    field.press_sequentially("web")
    options = suggestions.get_by_role("option")
    expect(options).to_have_count(2)
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    field.press("ArrowDown")
    field.press("ArrowUp")
    first = options.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    field.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")

    field.press("ArrowDown")  # opens them again, on the first
    name = first.text_content().strip()
    field.press("Enter")
    expect(page.locator("#toasts")).to_contain_text(f"Added tag “{name}”.")
    expect(page.locator("#tags .chips")).to_contain_text(name)
    expect(page.get_by_role("combobox", name="Add a tag")).to_be_focused()

    again = page.get_by_role("combobox", name="Add a tag")
    again.press_sequentially("Typed by hand")
    again.press("Enter")
    expect(page.locator("#tags .chips")).to_contain_text("Typed by hand")
    assert {t.name for t in tags.contact_tags(ac, person.id)} == {name, "Typed by hand"}
