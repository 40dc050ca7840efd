"""The contact list with values that cannot apply — dates out of range, page numbers and
sizes that are huge, negative or not numbers, hostile text: each answers the page (never a
500), names what it ignored above the results, and costs no extra API call; page numbers
past the end show the last page."""

from acdash.activecampaign import count_api_calls
from acdash.contacts.forms import LIST_PARAMETERS
from tests.contacts import SIZE, emails, sandbox_records

URL = "/a/acme/contacts/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _newest() -> list[str]:
    people = sandbox_records("contact")
    people.sort(key=lambda r: r.data["cdate"], reverse=True)
    return [r.data["email"] for r in people]


def _get(client, query: str, **headers) -> str:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _notices(html: str) -> str:
    start = html.find('<ul class="notices"')
    return html[start : html.index("</ul>", start)] if start >= 0 else ""


REFUSED = [  # (query, the notice it gets)
    ("created=9999-12-31", "Created: 9999-12-31 is out of range"),
    ("created=0001-01-01", "Created: 0001-01-01 is out of range"),
    ("created_to=9999-12-31", "Created: 9999-12-31 is out of range"),
    ("updated_from=0001-01-01", "Updated: 0001-01-01 is out of range"),
    ("updated=2024-13-45", "Updated: “2024-13-45” is not a date"),
    ("created=2025-03-01..2024-01-01", "Created: the range ends before it starts."),
    ("created=" + "9" * 10_000, "Created: write a day or a range"),
    ("per_page=7", "Rows per page: choose 20, 50 or 100"),
    ("per_page=-100", "Rows per page: choose 20, 50 or 100"),
    ("per_page=" + "9" * 400, "Rows per page: choose 20, 50 or 100"),
    ("per_page=lots", "Rows per page: choose 20, 50 or 100"),
    ("page=abc", "“abc” is not a page number: showing page 1."),
    ("page=1.5", "“1.5” is not a page number: showing page 1."),
    ("page=%F0%9F%98%80", "“😀” is not a page number: showing page 1."),
    ("page=-3", "There is no page -3: showing page 1."),
    ("page=0", "There is no page 0: showing page 1."),
    ("list=abc", "List: there is no list “abc”."),
    ("tag=-5", "Tag: there is no tag “-5”."),
    ("status=9", "List status: there is no status “9”."),
    ("q=a%00b", "Search: Null characters are not allowed."),
    ("q=" + "x" * 10_000, "Search: Ensure this value has at most 200 characters"),
]


def test_a_value_that_cannot_apply_is_named_and_the_first_page_shown(acme, admin_client):
    _get(admin_client, "")  # lists and tags cached, as on any later page
    newest = _newest()[:20]
    for query, message in REFUSED:
        with count_api_calls() as calls:
            html = _get(admin_client, f"?{query}")
        assert message in _notices(html), (query[:40], _notices(html))
        assert emails(html) == newest, query[:40]  # the refused value is not applied
        assert calls.count == 1, (query[:40], calls.summary())
    partial = _get(admin_client, "?created=9999-12-31", **HTMX)  # the results say it too
    assert "Created: 9999-12-31 is out of range" in _notices(partial)


def test_a_page_past_the_end_shows_the_last_page_and_says_so(acme, admin_client):
    _get(admin_client, "")
    for page in ["7", "99", "100001", "9" * 40]:
        with count_api_calls() as calls:
            html = _get(admin_client, f"?page={page}")
        assert emails(html) == _newest()[100:] and "Page 6 of 6" in html, page
        assert f"There is no page {page[:40]}: showing the last page, 6." in _notices(html)
        assert calls.count == 2, calls.summary()  # the asked page (empty), then the last one


def test_several_refusals_are_all_named_and_the_valid_filters_still_apply(acme, admin_client):
    html = _get(admin_client, "?tag=1&created=9999-12-31&per_page=5&page=x")
    notices = _notices(html)
    assert "Created: 9999-12-31 is out of range" in notices
    assert "Rows per page" in notices and "“x” is not a page number" in notices
    tagged = {r.parent for r in sandbox_records("contactTag") if r.data["tag"] == "1"}
    assert f"of {len(tagged)} contact" in html


def test_repeated_parameters_use_the_last_value(acme, admin_client):
    html = _get(admin_client, "?page=x&page=2")
    assert emails(html) == _newest()[20:40] and not _notices(html)


def test_a_valid_list_has_no_notices(acme, admin_client):
    html = _get(admin_client, "?created=1970-01-01..2099-12-31&per_page=100&page=2")
    assert not _notices(html) and len(emails(html)) == SIZE - 100


# Each API call waits its turn of the 5/s budget: a few values, the rest is tests/fuzz's.
HOSTILE = ["x" * 10_000, "\x00\u202e😀", "9" * 30]


def test_no_hostile_value_of_any_parameter_is_a_server_error(acme, admin_client):
    """The list's own share of the fuzz test (tests/fuzz), in one pass over its names."""
    _get(admin_client, "")
    for name in [*LIST_PARAMETERS, "back"]:
        shapes = [{name: value} for value in HOSTILE] + [{name: ["1", "x"]}]
        for params in shapes:
            response = admin_client.get(URL, params)
            assert response.status_code == 200, (params, response.status_code)
