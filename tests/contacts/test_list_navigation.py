"""Getting around the contact list: from its search box to the first contact in five Tab
presses (filters behind a disclosure, one actions menu per row), the heading focus lands on
after a swap, and the way back from a contact's page to the list it was opened from."""

import re
from html.parser import HTMLParser

import pytest

from acdash.accounts.models import Membership
from tests.contacts import SIZE, sandbox_records, table_links

URL = "/a/acme/contacts/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(client, query: str = "", **headers) -> str:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


# Keyboard and focus -----------------------------------------------------------------------


class _TabStops(HTMLParser):
    """The page's Tab stops in order, as (tag, attributes), leaving out what a closed
    ``<details>`` hides (all but its summary) and what is hidden or tabindex="-1"."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}
    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stops: list[tuple[str, dict]] = []
        self._closed: list[bool] = []  # per open <details>: is it closed?
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "details":
            self._closed.append("open" not in attributes)
        if tag == "summary":
            self._in_summary = True
        hidden = any(self._closed[:-1]) or (
            self._closed and self._closed[-1] and not self._in_summary
        )
        if (
            tag in self.FOCUSABLE
            and not hidden
            and (tag != "a" or "href" in attributes)
            and attributes.get("type") != "hidden"
            and attributes.get("tabindex") != "-1"
        ):
            self.stops.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self._closed:
            self._closed.pop()
        if tag == "summary":
            self._in_summary = False


def _tab_stops(html: str) -> list[tuple[str, dict]]:
    parser = _TabStops()
    parser.feed(html)
    return parser.stops


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_the_first_contact_is_at_most_five_tabs_from_the_search_box(
    acme, client, django_user_model, role
):
    user = django_user_model.objects.create_user(role, password="pw")
    Membership.objects.create(user=user, account=acme, role=role)
    client.force_login(user)
    stops = _tab_stops(_html(client, "?tag=1"))  # a filter on: the disclosure stays closed
    search = next(i for i, (_, a) in enumerate(stops) if a.get("id") == "id_q")
    first_row = next(
        i for i, (_, a) in enumerate(stops) if re.search(r"/contacts/\d+/", a.get("href") or "")
    )
    assert first_row - search <= 5, stops[search : first_row + 1]
    assert stops[search + 1][0] == "summary"  # the Filters disclosure, then the results


def test_filters_sit_behind_a_disclosure_that_opens_when_one_is_refused(acme, admin_client):
    html = _html(admin_client, "?tag=1")
    disclosure = r'<details class="filters-more" id="contact-filters-more">\s*<summary>Filters'
    assert re.search(disclosure, html)
    assert "· 1 on" in html  # the summary says how many filters are on
    assert 'name="created"' in html and 'name="created_from"' not in html  # one box per range
    refused = _html(admin_client, "?created=someday")
    assert '<details class="filters-more" id="contact-filters-more" open>' in refused


def test_each_row_has_one_actions_menu_and_no_delete_link_of_its_own(acme, admin_client):
    html = _html(admin_client)
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = body.count("<tr ")
    assert rows == 20 and body.count('<details class="row-menu">') == rows
    menus = re.findall(r'<details class="row-menu">.*?</details>', body)
    assert all(">Open</a>" in m and ">Delete…</a>" in m for m in menus)
    assert body.count(">Delete…</a>") == rows  # every Delete is inside a menu


def test_the_results_have_a_focusable_heading_for_focus_after_a_swap(acme, admin_client):
    partial = _html(admin_client, "?page=2", **HTMX)
    assert '<section id="contact-results" class="contact-results" aria-label="Contacts"' in partial
    heading = re.search(
        r'<h2 id="contact-results-heading"[^>]*tabindex="-1"[^>]*>(.*?)</h2>', partial, re.S
    )
    assert heading and f"21–40 of {SIZE} contacts" in heading[1]
    # The Filters summary's count is refreshed out of band (the form is not swapped).
    assert '<span id="filters-active" class="filters-active" hx-swap-oob="true">' in partial


# The way back ----------------------------------------------------------------------------


def test_a_contacts_page_links_back_to_the_list_with_its_filters_sort_and_page(acme, admin_client):
    query = "?tag=1&sort=email&page=2"
    link = table_links(_html(admin_client, query))[0]["name"]
    path, _, back = link.partition("?")
    assert re.fullmatch(r"/a/acme/contacts/\d+/", path)
    assert back == "back=tag%3D1%26sort%3Demail%26page%3D2"
    page = _html(admin_client, link.removeprefix(URL))
    assert '<a href="/a/acme/contacts/?tag=1&amp;sort=email&amp;page=2">← Contacts</a>' in page


@pytest.mark.parametrize(
    "back",
    ["//evil.example/x", "https://evil.example/", "/admin/", "../../logout/", "next=%2F%2Fevil"],
)
def test_the_back_link_never_leaves_the_list(acme, admin_client, back):
    rid = sandbox_records("contact")[0].rid
    response = admin_client.get(f"{URL}{rid}/", {"back": back})
    assert response.status_code == 200
    assert '<a href="/a/acme/contacts/">← Contacts</a>' in response.content.decode()
