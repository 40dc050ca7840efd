"""The deal board: columns per stage with counts and totals, cards, filters in the URL,
per-stage paging, moving deals (with the API's refusals), the call budget and roles."""

import json
import re

import pytest

from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount

from .pipeline_fixtures import pipeline, records, stages

HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}


def _board_url(group) -> str:
    return f"/a/acme/pipelines/{group.rid}/"


def _column(html: str, stage_id: int) -> str:
    start = html.index(f'<section class="board-column" data-stage-id="{stage_id}"')
    end = html.find('<section class="board-column"', start + 1)
    return html[start : end if end != -1 else len(html)]


def _card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="deal-card" id="deal-(\d+)"', html)]


def test_a_column_per_stage_with_its_count_total_and_cards(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    html = admin_client.get(_board_url(sales)).content.decode()
    for stage in stages(sales):
        column = _column(html, stage.rid)
        assert stage.data["title"] in column
        deals = records("deal", stage=str(stage.rid))
        assert f'data-count="{len(deals)}"' in column
        usd = sum(int(d.data["value"]) for d in deals if d.data["currency"] == "usd")
        assert f'data-value-cents="{usd}"' in column
        shown = _card_ids(column)
        assert set(shown) <= {d.rid for d in deals}
        assert len(shown) == min(20, len(deals))


def test_a_card_shows_title_value_contact_owner_due_and_status(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    deal = records("deal", group=str(sales.rid))[0]
    html = admin_client.get(_board_url(sales) + f"?q={deal.data['title']}").content.decode()
    card = html[html.index(f'id="deal-{deal.rid}"') :]
    card = card[: card.index("</li>")]
    assert deal.data["title"] in card
    assert f"/a/acme/deals/{deal.rid}/" in card
    assert f"/a/acme/contacts/{deal.parent}/" in card
    owner = next(u for u in records("user") if u.rid == int(deal.data["owner"]))
    assert owner.data["firstName"] in card
    assert {"0": "Open", "1": "Won", "2": "Lost"}[deal.data["status"]] in card


def test_contact_names_fill_the_cards_out_of_band(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    html = admin_client.get(_board_url(sales)).content.decode()
    loader = re.search(r'hx-get="(/a/acme/pipelines/\d+/contacts/\?[^"]+)"', html).group(1)
    answer = admin_client.get(loader.replace("&amp;", "&"), **HTMX).content.decode()
    contact = records("contact")[int(re.search(r"c=(\d+)", loader).group(1)) - 1]
    assert f'hx-swap-oob="innerHTML:.deal-contact-{contact.rid}"' in answer
    assert contact.data["firstName"] in answer


def test_names_seen_lately_are_on_the_cards_without_another_request(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    html = admin_client.get(_board_url(sales)).content.decode()
    loader = re.search(r'hx-get="(/a/acme/pipelines/\d+/contacts/\?[^"]+)"', html).group(1)
    admin_client.get(loader.replace("&amp;", "&"), **HTMX)  # reads the names, remembers them
    with count_api_calls() as stats:
        html = admin_client.get(_board_url(sales)).content.decode()
    assert "/contacts/?c=" not in html  # nothing left to name later
    assert "/contacts" not in [c.path for c in stats.calls]
    deal = records("deal", group=str(sales.rid))[0]
    contact = records("contact")[int(deal.parent) - 1]
    card = html[html.index(f'id="deal-{deal.rid}"') :]
    assert contact.data["firstName"] in card[: card.index("</li>")]


def test_filters_narrow_every_column_and_the_url_reproduces_the_view(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    owner = records("deal", group=str(sales.rid))[0].data["owner"]
    query = f"?q=&owner={owner}&status=open"
    response = admin_client.get(_board_url(sales) + query, **HTMX)
    assert response["HX-Push-Url"] == _board_url(sales) + f"?owner={owner}&status=open"
    html = response.content.decode()
    for stage in stages(sales):
        matching = records("deal", stage=str(stage.rid), owner=owner, status="0")
        column = _column(html, stage.rid)
        assert f'data-count="{len(matching)}"' in column
        assert set(_card_ids(column)) <= {d.rid for d in matching}
    full = admin_client.get(response["HX-Push-Url"]).content.decode()
    assert _card_ids(full) == _card_ids(html)


def test_an_unknown_owner_is_refused_by_the_field_and_not_applied(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    html = admin_client.get(_board_url(sales) + "?owner=999999&status=maybe").content.decode()
    assert html.count('class="errorlist"') == 2
    first = stages(sales)[0]
    assert f'data-count="{len(records("deal", stage=str(first.rid)))}"' in _column(html, first.rid)


def test_a_long_column_loads_more_on_demand(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    stage = max(stages(sales), key=lambda s: len(records("deal", stage=str(s.rid))))
    deals = records("deal", stage=str(stage.rid))
    assert len(deals) > 20, "the seed gives the first stage more than a page of deals"
    html = admin_client.get(_board_url(sales)).content.decode()
    more = re.search(rf'hx-get="([^"]+/stages/{stage.rid}/\?offset=20[^"]*)"', html).group(1)
    page = admin_client.get(more.replace("&amp;", "&"), **HTMX).content.decode()
    first, second = _card_ids(_column(html, stage.rid)), _card_ids(page)
    assert len(second) == min(20, len(deals) - 20)
    assert not set(first) & set(second)
    assert set(first + second) <= {d.rid for d in deals}
    if len(deals) > 40:
        assert "offset=40" in page


def test_a_large_pipelines_board_costs_one_call_per_stage(deal_account, admin_client, monkeypatch):
    """Where the pipeline's deals take as many pages as it has stages (pages of 10 here), a
    column costs one call, and only the first board pays for finding that out."""
    monkeypatch.setattr("acdash.activecampaign.dealboard.MAX_LIMIT", 10)
    sales = pipeline("Sales Pipeline")
    assert len(stages(sales)) == 6
    with count_api_calls() as first:
        admin_client.get(_board_url(sales))  # also caches the pipelines and users
    with count_api_calls() as warm:
        html = admin_client.get(_board_url(sales)).content.decode()
    with count_api_calls() as filtered:
        admin_client.get(_board_url(sales) + "?status=open&q=a", **HTMX)
    assert [c.path for c in first.calls].count("/deals") == 7, first.summary()
    assert warm.count == 6, warm.summary()
    assert filtered.count == 6, filtered.summary()
    assert all(call.path == "/deals" for call in warm.calls)
    first_stage = stages(sales)[0]
    deals = records("deal", stage=str(first_stage.rid))
    assert f'data-count="{len(deals)}"' in _column(html, first_stage.rid)


def _load_with_fragments(client, url: str) -> str:
    """The board as a browser loads it: the page, then its contact names fragment."""
    html = client.get(url).content.decode()
    loader = re.search(r'hx-get="(/a/acme/pipelines/\d+/contacts/\?[^"]+)"', html)
    if loader:
        client.get(loader.group(1).replace("&amp;", "&"), **HTMX)
    return html


def test_every_seeded_board_loads_within_one_second_of_the_accounts_budget(
    deal_account, admin_client
):
    """A board and its contact names cost at most 5 calls (the account's budget a second) at
    the seeded stage counts (6, 4 and 5), with the pipelines and users cached."""
    for group in records("dealGroup"):
        _load_with_fragments(admin_client, _board_url(group))  # caches pipelines and users
        with count_api_calls() as load:
            html = _load_with_fragments(admin_client, _board_url(group))
        assert load.count <= 5, f"{group.data['title']}: {load.summary()}"
        for stage in stages(group):
            deals = records("deal", stage=str(stage.rid))
            column = _column(html, stage.rid)
            assert f'data-count="{len(deals)}"' in column
            assert _card_ids(column) == [d.rid for d in deals][:20]


# Moving a deal --------------------------------------------------------------------------


def _deal_in(group):
    first = stages(group)[0]
    return records("deal", stage=str(first.rid))[0], stages(group)[1]


def test_a_moved_deal_persists_and_is_audited(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    deal, target = _deal_in(sales)
    url = f"{_board_url(sales)}deals/{deal.rid}/move/"
    response = admin_client.post(url, {"stage": target.rid}, **JSON)
    assert response.status_code == 200
    assert json.loads(response.content)["ok"] is True
    deal.refresh_from_db()
    assert deal.data["stage"] == str(target.rid)
    html = admin_client.get(_board_url(sales)).content.decode()
    assert (
        f'id="deal-{deal.rid}"' in _column(html, target.rid)
        or len(records("deal", stage=str(target.rid))) > 20
    )
    entry = AuditEntry.objects.get(object_type="deal", object_id=str(deal.rid))
    assert entry.action == "move" and target.data["title"] in entry.summary


def test_the_move_menu_without_script_redirects_to_the_filtered_board(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    deal, target = _deal_in(sales)
    url = f"{_board_url(sales)}deals/{deal.rid}/move/"
    response = admin_client.post(url, {"stage": target.rid, "query": "status=open"})
    assert response.status_code == 302
    assert response["Location"] == _board_url(sales) + "?status=open"
    deal.refresh_from_db()
    assert deal.data["stage"] == str(target.rid)


@pytest.mark.parametrize("stage", ["", "abc", "99999999999999999999999", "-1"])
def test_a_bad_stage_changes_nothing(deal_account, admin_client, stage):
    sales = pipeline("Sales Pipeline")
    deal, _ = _deal_in(sales)
    before = dict(deal.data)
    response = admin_client.post(
        f"{_board_url(sales)}deals/{deal.rid}/move/", {"stage": stage}, **JSON
    )
    assert response.status_code == 422
    assert json.loads(response.content)["ok"] is False
    deal.refresh_from_db()
    assert deal.data == before


def test_a_stage_of_another_pipeline_is_refused_before_any_write(deal_account, admin_client):
    sales, renewals = pipeline("Sales Pipeline"), pipeline("Renewals")
    deal, _ = _deal_in(sales)
    other = stages(renewals)[0]
    with count_api_calls() as calls:
        response = admin_client.post(
            f"{_board_url(sales)}deals/{deal.rid}/move/", {"stage": other.rid}, **JSON
        )
    assert "not in this pipeline" in json.loads(response.content)["message"]
    assert not [c for c in calls.calls if c.method != "GET"]
    deal.refresh_from_db()
    assert deal.data["stage"] == stages(sales)[0].id_str


def test_an_api_refusal_of_a_move_says_so_and_nothing_moves(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    deal, target = _deal_in(sales)
    admin_client.get(_board_url(sales))  # the board's stages are cached now
    target.delete()  # gone in ActiveCampaign behind acdash's back: the API refuses the stage
    response = admin_client.post(
        f"{_board_url(sales)}deals/{deal.rid}/move/", {"stage": target.rid}, **JSON
    )
    answer = json.loads(response.content)
    assert response.status_code == 422 and answer["ok"] is False
    assert answer["message"].startswith("ActiveCampaign refused the move")
    deal.refresh_from_db()
    assert deal.data["stage"] == stages(sales)[0].id_str
    assert not AuditEntry.objects.filter(object_type="deal").exists()


def test_an_unavailable_api_shows_the_board_error_with_retry(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    admin_client.get(_board_url(sales))
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = admin_client.get(_board_url(sales)).content.decode()
    assert "The deals could not be loaded" in html and "Retry" in html


# Roles ----------------------------------------------------------------------------------


def test_a_viewer_sees_the_board_without_move_controls_and_cannot_move(deal_role):
    client = deal_role("viewer")
    sales = pipeline("Sales Pipeline")
    deal, target = _deal_in(sales)
    html = client.get(_board_url(sales)).content.decode()
    assert _card_ids(html)
    assert "move-form" not in html and "draggable" not in html
    response = client.post(f"{_board_url(sales)}deals/{deal.rid}/move/", {"stage": target.rid})
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.data["stage"] == stages(sales)[0].id_str


def test_an_editor_gets_the_move_menu_on_every_card(deal_role):
    client = deal_role("editor")
    html = client.get(_board_url(pipeline("Renewals"))).content.decode()
    assert html.count('class="move-form"') == len(_card_ids(html)) > 0


def test_each_cards_move_menu_offers_every_stage_its_own_selected_and_disabled(
    deal_account, admin_client
):
    sales = pipeline("Sales Pipeline")
    html = admin_client.get(_board_url(sales)).content.decode()
    every = [s.rid for s in stages(sales)]
    for stage in stages(sales):
        column = _column(html, stage.rid)
        for deal_id in _card_ids(column):
            menu = column[column.index(f'<select id="move-{deal_id}"') :]
            menu = menu[: menu.index("</select>")]
            assert [int(v) for v in re.findall(r'<option value="(\d+)"', menu)] == every
            chosen = re.findall(r'<option value="(\d+)" selected disabled>', menu)
            assert chosen == [str(stage.rid)]


def test_a_deal_id_past_64_bits_is_no_deal(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    target = stages(sales)[1]
    url = f"{_board_url(sales)}deals/{2**64}/move/"
    response = admin_client.post(url, {"stage": target.rid}, **JSON)
    assert response.status_code == 422
    assert "no longer exists" in json.loads(response.content)["message"]


def test_a_pipeline_without_stages_says_so(deal_account, admin_client):
    renewals = pipeline("Renewals")
    for stage in stages(renewals):
        stage.delete()
    html = admin_client.get(_board_url(renewals)).content.decode()
    assert "This pipeline has no stages" in html


def test_an_unknown_pipeline_is_a_404_page(deal_account, admin_client):
    response = admin_client.get("/a/acme/pipelines/999999/")
    assert response.status_code == 404
    assert "Pipeline not found" in response.content.decode()


def test_the_boards_fragments_outside_htmx_lead_to_the_board(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    stage = stages(sales)[0]
    for part in (f"stages/{stage.rid}/?offset=20", "contacts/?c=1"):
        response = admin_client.get(_board_url(sales) + part)
        assert response.status_code == 302 and response["Location"] == _board_url(sales)


def test_an_overdue_next_task_is_marked_on_its_card(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    deal = records("deal", group=str(sales.rid))[0]
    deal.data["nextdate"] = "2020-01-01T10:00:00-06:00"
    deal.save()
    html = admin_client.get(_board_url(sales) + f"?q={deal.data['title']}").content.decode()
    card = html[html.index(f'id="deal-{deal.rid}"') :]
    assert "2020-01-01" in card[: card.index("</li>")]
    assert "(overdue)" in card[: card.index("</li>")]
