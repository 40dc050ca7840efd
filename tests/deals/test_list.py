# ruff: noqa: F401, F811 (fixtures imported from deal_fixtures)
"""The deals list over HTTP against a seeded sandbox account: the table, filters, search,
sorts, page sizes and paging, pushed URLs, bad values, the error state, the call budget (≤ 2
with metadata cached) and what viewers see. Expected rows come from the sandbox's records."""

import re

from acdash.activecampaign import count_api_calls
from acdash.sandbox.models import SandboxAccount
from tests.contacts import table_links, table_rows
from tests.deals.deal_fixtures import HTMX, acme, deal_records, viewer_client

URL = "/a/acme/deals/"


def _html(client, query: str = "", **headers) -> str:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return [row["title"] for row in table_rows(html)]


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-deal-id="(\d+)"', html)]


def _expected(key=None, reverse=False, keep=lambda d: True) -> list[int]:
    """Deal ids in the API's order: by ``key`` (ties by id, ascending) or newest first."""
    records = [r for r in deal_records() if keep(r.data)]
    if key is None:
        records.sort(key=lambda r: (r.data["cdate"], r.rid), reverse=True)
    else:
        records.sort(key=lambda r: key(r.data), reverse=reverse)
    return [r.rid for r in records]


def test_the_list_shows_the_newest_deals_first_with_names_for_ids(acme, admin_client):
    html = _html(admin_client)
    headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?\s*(\w+)', html)
    assert headers == ["Deal", "Value", "Contact", "Stage", "Owner", "Status", "Created", "Actions"]
    assert "1–20 of 200 deals" in html
    assert 'href="/a/acme/deals/" aria-current="page">All deals</a>' in html  # the side nav
    assert _ids(html) == _expected()[:20]
    rows, links = table_rows(html), table_links(html)
    first = next(r for r in deal_records() if r.rid == _ids(html)[0])
    assert rows[0]["title"] == first.data["title"]
    assert links[0]["title"] == f"/a/acme/deals/{first.rid}/"
    assert links[0]["contact"] == f"/a/acme/contacts/{first.data['contact']}/"
    assert rows[0]["contact"] and rows[0]["owner"] != "—" and rows[0]["stage"] != "—"
    cents = int(first.data["value"])
    assert (
        rows[0]["value"] == f"{first.data['currency'].upper()} {cents // 100:,}.{cents % 100:02d}"
    )


def test_filters_use_the_apis_filters(acme, admin_client):
    html = _html(admin_client, "?status=1&per_page=100")
    won = _expected(keep=lambda d: d["status"] == "1")
    assert _ids(html) == won[:100] and f"of {len(won)} deal" in html
    assert {row["status"] for row in table_rows(html)} == {"Won"}
    some = deal_records()[0].data
    html = _html(admin_client, f"?pipeline={some['group']}&owner={some['owner']}&per_page=100")
    match = _expected(keep=lambda d: (d["group"], d["owner"]) == (some["group"], some["owner"]))
    assert _ids(html) == match[:100]
    html = _html(admin_client, f"?stage={some['stage']}&per_page=100")
    assert _ids(html) == _expected(keep=lambda d: d["stage"] == some["stage"])[:100]


def test_search_finds_deals_by_title(acme, admin_client):
    title = deal_records()[5].data["title"]
    html = _html(admin_client, f"?q={title}&per_page=100")
    assert title in _titles(html)
    assert f"matching “{title}”" in html


def test_sorts_page_sizes_and_pages(acme, admin_client):
    html = _html(admin_client, "?sort=value&per_page=50")
    assert _ids(html) == _expected(key=lambda d: (int(d["value"]),))[:50]
    html = _html(admin_client, "?sort=-value&per_page=50&page=2")
    value = {r.rid: int(r.data["value"]) for r in deal_records()}
    values = [value[i] for i in _ids(html)]
    assert values == sorted(values, reverse=True) and "51–100 of 200 deals" in html
    assert 'aria-sort="descending"' in html
    titles = _titles(_html(admin_client, "?sort=title&per_page=100"))
    assert titles == sorted(titles, key=str.lower)


def test_htmx_swaps_only_the_results_and_pushes_the_url(acme, admin_client):
    response = admin_client.get(URL + "?status=2&q=&page=2", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="deal-results"' in html
    assert response["HX-Push-Url"] == "/a/acme/deals/?status=2&page=2"
    assert "HX-Request" in response["Vary"]


def test_bad_values_are_named_and_ignored(acme, admin_client):
    html = _html(admin_client, "?stage=99999&owner=abc&status=7&per_page=33&page=zz")
    assert "there is no stage “99999”" in html and "there is no owner “abc”" in html
    assert "there is no status “7”" in html and "choose 20, 50 or 100" in html
    assert "There is no page “zz”" in html
    assert "1–20 of 200 deals" in html  # nothing applied
    html = _html(admin_client, "?page=999")
    assert "showing the last page, 10" in html and "181–200 of 200" in html


def test_an_unavailable_api_shows_an_error_with_retry(acme, admin_client):
    _html(admin_client)
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = _html(admin_client, "?q=x")
    assert "The deals could not be loaded from ActiveCampaign." in html and "Retry" in html
    assert "<table" not in html and '<form id="deal-filters"' in html
    SandboxAccount.objects.filter(slug="acme").update(error_rate=0.0)
    assert len(_ids(_html(admin_client))) == 20


def test_a_page_of_100_costs_at_most_two_calls_with_metadata_cached(acme, admin_client):
    _html(admin_client)  # pipelines and users cached
    for query, headers in (
        ("?per_page=100", {}),
        ("?per_page=100&sort=title", {}),
        ("?per_page=100&status=0&q=a", HTMX),
        ("?per_page=100&page=2", HTMX),
    ):
        with count_api_calls() as calls:
            html = _html(admin_client, query, **headers)
        assert calls.count <= 2, calls.summary()
        assert _ids(html)


def test_viewers_see_the_list_without_write_controls(acme, viewer_client):
    html = _html(viewer_client)
    assert len(_ids(html)) == 20
    assert "New deal" not in html and "/delete/" not in html and ">Actions<" not in html
