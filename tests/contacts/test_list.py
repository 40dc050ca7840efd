"""The contact list over HTTP against a seeded sandbox account: search, filters, sorts,
paging, URLs that reproduce the view, htmx partials, empty and error states, the API call
budget (P1) and escaping. Expected rows come from the sandbox's own records."""

import re
from collections.abc import Callable

import pytest

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import Membership
from acdash.activecampaign import contacts, count_api_calls
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from tests.contacts import (
    SIZE,
    emails,
    sandbox_records,
    table_links,
    table_rows,
)

URL = "/a/acme/contacts/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(client, query: str = "", **headers) -> str:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _people() -> list[SandboxRecord]:
    return sandbox_records("contact")


def _emails_of(rids: set[int]) -> set[str]:
    return {r.data["email"] for r in _people() if r.rid in rids}


SORT_KEYS: dict[str, Callable[[dict], object]] = {
    "name": lambda d: (d["firstName"], d["lastName"]),
    "email": lambda d: d["email"].lower(),
    "created": lambda d: d["cdate"],
}


def _expected_order(sort: str) -> list[str]:
    """All emails in the order the API sorts them (ties by id, ascending either way)."""
    people = _people()  # in id order; Python's sort is stable, even reversed
    people.sort(key=lambda r: SORT_KEYS[sort.lstrip("-")](r.data), reverse=sort.startswith("-"))
    return [r.data["email"] for r in people]


# The table ----------------------------------------------------------------------------


def test_the_list_shows_the_newest_contacts_first_with_the_list_endpoints_columns(
    acme, admin_client
):
    html = _html(admin_client)
    headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?\s*(\w+)', html)
    assert headers == ["Name", "Email", "Phone", "Organization", "Created", "Updated", "Actions"]
    assert emails(html) == _expected_order("-created")[:20]
    assert f"1–20 of {SIZE} contacts" in html
    assert 'aria-sort="descending"' in html  # the Created header says how it is sorted


def test_names_link_to_the_contacts_page(acme, admin_client):
    html = _html(admin_client)
    rid_by_email = {r.data["email"]: r.rid for r in _people()}
    for row, links in zip(table_rows(html), table_links(html), strict=True):
        assert links["name"] == f"/a/acme/contacts/{rid_by_email[row['email']]}/"


def test_search_uses_the_apis_search(acme, admin_client):
    term = _people()[0].data["lastName"]
    html = _html(admin_client, f"?q={term}&per_page=100")
    fields = ("email", "firstName", "lastName", "phone", "orgname")
    expected = {
        r.data["email"]
        for r in _people()
        if any(term.lower() in str(r.data.get(f) or "").lower() for f in fields)
    }
    assert 0 < len(expected) < SIZE
    assert set(emails(html)) == expected


def _memberships(kind: str, **data: str) -> set[int]:
    return {r.parent for r in sandbox_records(kind) if data.items() <= r.data.items()}


def _dated(attribute: str, first: str, last: str) -> set[int]:
    return {r.rid for r in _people() if first <= r.data[attribute][:10] <= last}


def _range(attribute: str) -> tuple[str, str]:
    """A date range holding roughly the middle half of the contacts."""
    days = sorted(r.data[attribute][:10] for r in _people())
    return days[SIZE // 4], days[SIZE * 3 // 4]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("list=1", lambda: _memberships("contactList", list="1")),
        ("tag=1", lambda: _memberships("contactTag", tag="1")),
        ("status=2", lambda: _memberships("contactList", status="2")),
        ("list=1&status=2", lambda: _memberships("contactList", list="1", status="2")),
    ],
    ids=["list", "tag", "status on any list", "status on one list"],
)
def test_each_filter_shows_exactly_the_matching_contacts(acme, admin_client, query, expected):
    rids = expected()
    assert 0 < len(rids) <= 100
    html = _html(admin_client, f"?{query}&per_page=100")
    assert set(emails(html)) == _emails_of(rids)
    assert f"of {len(rids)} contact" in html


@pytest.mark.parametrize("attribute", ["cdate", "udate"], ids=["created", "updated"])
def test_date_range_filters_include_both_ends(acme, admin_client, attribute):
    first, last = _range(attribute)
    name = "created" if attribute == "cdate" else "updated"
    rids = _dated(attribute, first, last)
    assert 0 < len(rids) <= 100
    html = _html(admin_client, f"?{name}={first}..{last}&per_page=100")
    assert set(emails(html)) == _emails_of(rids)
    assert f'value="{first}..{last}"' in html  # the form shows the range
    # One end open; and the links of the two-box form (created_from / created_to) still work.
    since = _html(admin_client, f"?{name}={first}..&per_page=100")
    assert f"of {len(_dated(attribute, first, '9999'))} contact" in since
    old = _html(admin_client, f"?{name}_from={first}&{name}_to={last}&per_page=100")
    assert set(emails(old)) == _emails_of(rids) and f'value="{first}..{last}"' in old


def test_one_day_is_a_range_of_one_day(acme, admin_client):
    day = _people()[0].data["cdate"][:10]
    html = _html(admin_client, f"?created={day}&per_page=100")
    assert set(emails(html)) == _emails_of(_dated("cdate", day, day))


@pytest.mark.parametrize("sort", ["name", "-name", "email", "-email", "created", "-created"])
def test_each_sort_orders_the_rendered_rows(acme, admin_client, sort):
    expected = _expected_order(sort)
    assert emails(_html(admin_client, f"?sort={sort}")) == expected[:20]
    # The API sorted, not the page: the second page continues the order.
    assert emails(_html(admin_client, f"?sort={sort}&page=2")) == expected[20:40]
    html = _html(admin_client, f"?sort={sort}")
    direction = "descending" if sort.startswith("-") else "ascending"
    assert re.search(rf'aria-sort="{direction}">\s*<a class="sort" href="\?sort=', html)


def test_a_sort_header_links_to_the_other_direction_and_keeps_the_filters(acme, admin_client):
    html = _html(admin_client, "?list=1&sort=email&page=2")
    assert 'href="?list=1&amp;sort=-email"' in html  # same filters, page 1, reversed
    assert 'href="?list=1&amp;sort=name"' in html


def test_unknown_or_unsortable_sorts_fall_back_to_newest_first(acme, admin_client):
    newest = _expected_order("-created")[:20]
    assert emails(_html(admin_client, "?sort=phone")) == newest
    assert emails(_html(admin_client, "?sort=nonsense")) == newest


def test_paging_and_page_size(acme, admin_client):
    order = _expected_order("-created")
    assert emails(_html(admin_client, "?per_page=50")) == order[:50]
    assert emails(_html(admin_client, "?per_page=50&page=2")) == order[50:100]
    last = _html(admin_client, "?per_page=50&page=3")
    assert emails(last) == order[100:]
    assert f"101–{SIZE} of {SIZE} contacts" in last and "Page 3 of 3" in last
    assert "Next ›" not in last and "‹ Previous" in last
    assert len(emails(_html(admin_client, "?per_page=100"))) == 100
    assert emails(_html(admin_client, "?page=6")) == order[100:]
    # Sizes not offered, pages past the end or not numbers: test_list_bad_input.py.


# URLs and htmx --------------------------------------------------------------------------


def test_htmx_requests_get_only_the_results_and_push_a_url_that_reproduces_them(acme, admin_client):
    # What the toolbar sends: every field, empty ones too, plus the sort kept by the form.
    query = "?q=&list=1&status=&tag=&created_from=&created_to=&updated_from=&updated_to="
    query += "&per_page=50&sort=-name"
    response = admin_client.get(URL + query, **HTMX)
    partial = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in partial and '<form id="contact-filters"' not in partial
    assert partial.lstrip().startswith('<section id="contact-results"')
    assert "HX-Request" in response["Vary"]
    pushed = response["HX-Push-Url"]
    assert pushed == f"{URL}?list=1&per_page=50&sort=-name"
    # Refresh, back, a bookmark: the pushed URL renders the same rows, in a full page whose
    # controls show the same choices.
    page = _html(admin_client, pushed.removeprefix(URL))
    assert "<html" in page and '<form id="contact-filters"' in page
    assert table_rows(page) == table_rows(partial)
    assert '<option value="1" selected>Newsletter</option>' in page
    assert '<option value="50" selected>50</option>' in page
    again = _html(admin_client, pushed.removeprefix(URL))
    assert again[again.index("<section") :] == page[page.index("<section") :]


def test_the_same_query_string_renders_the_same_rows(acme, admin_client):
    query = "?q=a&tag=1&sort=email&per_page=20&page=2"
    assert table_rows(_html(admin_client, query)) == table_rows(_html(admin_client, query))


def test_history_restore_requests_get_the_full_page(acme, admin_client):
    html = _html(admin_client, "?page=2", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in html and '<form id="contact-filters"' in html


def test_the_toolbar_swaps_the_results_by_htmx_with_a_debounced_search(acme, admin_client):
    html = _html(admin_client)
    start = html.index('<form id="contact-filters"')
    toolbar = html[start : html.index("</form>", start)]
    assert 'hx-target="#contact-results"' in toolbar and 'hx-push-url="true"' in toolbar
    assert 'hx-trigger="input changed delay:300ms, search"' in toolbar
    for name in ("list", "tag", "status", "created", "updated", "per_page"):
        assert re.search(rf'name="{name}"[^>]*hx-trigger="change"', toolbar)
        assert f'<label for="id_{name}">' in toolbar
    results = html[html.index('<section id="contact-results"') :]
    assert 'href="?page=2" hx-get="?page=2"' in results  # the pager swaps in place too


# Empty and error states -----------------------------------------------------------------


def test_no_match_says_so_and_offers_to_clear_the_filters(acme, admin_client):
    html = _html(admin_client, "?q=zz-nobody&tag=4")
    assert "<table" not in html
    assert "No contacts match “zz-nobody”, tag vip —" in html
    assert '<a href="/a/acme/contacts/">clear filters</a>' in html


def test_an_unavailable_api_shows_an_error_in_place_of_the_table(acme, admin_client):
    _html(admin_client)  # lists, tags and organization names are cached
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = _html(admin_client, "?q=smith")
    assert "The contacts could not be loaded" in html and "<table" not in html
    assert '<form id="contact-filters"' in html and 'value="smith"' in html  # still usable
    partial = _html(admin_client, "?q=smith", **HTMX)
    assert "The contacts could not be loaded" in partial and "<html" not in partial
    SandboxAccount.objects.filter(slug="acme").update(error_rate=0.0)
    assert len(emails(_html(admin_client))) == 20  # "Try again" works once it answers


# Budget (P1) ----------------------------------------------------------------------------


def test_a_page_of_100_rows_costs_at_most_two_calls_and_a_change_costs_the_same(acme, admin_client):
    with count_api_calls() as cold:
        _html(admin_client, "?per_page=100")  # loads lists, tags and organization names
    changes = {
        "again": ("?per_page=100", {}),
        "sort": ("?per_page=100&sort=email", {}),
        "reverse sort": ("?per_page=100&sort=-name", {}),
        "filter": ("?per_page=100&status=1", {}),
        "two filters": ("?per_page=100&list=1&tag=1", {}),
        "search (htmx)": ("?per_page=100&q=a", HTMX),
        "next page (htmx)": ("?per_page=100&page=2", HTMX),
    }
    counts = {}
    for name, (query, headers) in changes.items():
        with count_api_calls() as calls:
            html = _html(admin_client, query, **headers)
        counts[name] = calls.count
        if name == "again":
            assert len(emails(html)) == 100
    assert cold.count <= 4, cold.summary()
    assert counts["again"] <= 2
    assert set(counts.values()) == {counts["again"]}, counts


# Safety and roles -----------------------------------------------------------------------


def test_html_in_contact_data_renders_as_text(acme, admin_client):
    contacts.create_contact(
        client_for_account(acme),
        "xss@example.com",
        first_name="<script>alert('x')</script>",
        last_name="<b>Bold</b>",
    )
    html = _html(admin_client, "?q=xss@example.com")
    assert "<script>alert" not in html and "<b>Bold" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;Bold&lt;/b&gt;" in html
    assert table_rows(html)[0]["name"] == "<script>alert('x')</script> <b>Bold</b>"


def test_viewers_see_no_edit_controls_editors_do(acme, client, django_user_model):
    for role, sees in (("viewer", False), ("editor", True)):
        user = django_user_model.objects.create_user(role, password="pw")
        Membership.objects.create(user=user, account=acme, role=role)
        client.force_login(user)
        html = _html(client)
        assert ("New contact" in html) is sees
        assert ("col-actions" in html) is sees
        assert len(emails(html)) == 20


def test_non_members_get_404(acme, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    with count_api_calls() as calls:
        assert client.get(URL).status_code == 404
    assert calls.count == 0
