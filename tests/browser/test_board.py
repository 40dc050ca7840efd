"""The deal board in a real browser: drag a card to the next stage, move one with the
keyboard through its "Move to…" menu, see a refused move put back, and use the board at
390 px (the columns scroll inside the board, not the page).

Chromium is the test process's shared one (conftest.py; never skipped).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.deals import pipeline_fixtures
from tests.deals.pipeline_fixtures import pipeline, records, stages

from .conftest import log_in

deal_account = pipeline_fixtures.deal_account


@pytest.fixture
def page(chromium, live_server, deal_account, editor) -> Page:
    """A logged-in editor of the account, through the login page."""
    return log_in(chromium, live_server.url, editor(deal_account))


def _column(page: Page, stage) -> object:
    return page.locator(f'.board-column[data-stage-id="{stage.rid}"]')


def _first_deal(group):
    first, second = stages(group)[:2]
    return records("deal", stage=str(first.rid))[0], first, second


def test_drag_a_card_to_the_next_stage_and_see_it_there_after_reload(page, live_server):
    renewals = pipeline("Renewals")
    deal, _, second = _first_deal(renewals)
    page.goto(f"{live_server.url}/a/acme/pipelines/{renewals.rid}/")
    before = int(_column(page, second).locator("[data-count]").inner_text())
    page.locator(f"#deal-{deal.rid}").drag_to(_column(page, second).locator(".column-head"))
    expect(page.locator("#toasts")).to_contain_text(f"Moved {deal.data['title']}")
    expect(_column(page, second).locator(f"#deal-{deal.rid}")).to_be_visible()
    expect(_column(page, second).locator("[data-count]")).to_have_text(str(before + 1))
    page.reload()
    expect(_column(page, second).locator(f"#deal-{deal.rid}")).to_be_visible()
    deal.refresh_from_db()
    assert deal.data["stage"] == str(second.rid)


def test_move_a_deal_with_the_keyboard(page, live_server):
    renewals = pipeline("Renewals")
    deal, _, second = _first_deal(renewals)
    page.goto(f"{live_server.url}/a/acme/pipelines/{renewals.rid}/")
    menu = page.locator(f"#move-{deal.rid}")
    menu.focus()
    menu.select_option(str(second.rid))
    page.keyboard.press("Tab")
    expect(page.locator(f"#deal-{deal.rid} .move-form button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#toasts")).to_contain_text(f"Moved {deal.data['title']}")
    expect(_column(page, second).locator(f"#deal-{deal.rid}")).to_be_visible()
    page.reload()
    expect(_column(page, second).locator(f"#deal-{deal.rid}")).to_be_visible()


def test_a_refused_move_puts_the_card_back_and_says_why(page, live_server):
    renewals = pipeline("Renewals")
    deal, first, second = _first_deal(renewals)
    page.goto(f"{live_server.url}/a/acme/pipelines/{renewals.rid}/")
    count = _column(page, first).locator("[data-count]").inner_text()
    second.delete()  # gone in ActiveCampaign behind the board's back: the API refuses it
    page.locator(f"#move-{deal.rid}").select_option(str(second.rid))
    page.locator(f"#deal-{deal.rid} .move-form button").click()
    expect(page.locator("#toasts")).to_contain_text("ActiveCampaign refused the move")
    expect(_column(page, first).locator(f"#deal-{deal.rid}")).to_be_visible()
    expect(_column(page, first).locator("[data-count]")).to_have_text(count)
    deal.refresh_from_db()
    assert deal.data["stage"] == str(first.rid)


def test_the_board_at_390_px_scrolls_its_columns_not_the_page(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    sales = pipeline("Sales Pipeline")
    page.goto(f"{live_server.url}/a/acme/pipelines/{sales.rid}/")
    board = page.locator("#board-columns")
    expect(board.locator(".board-column").first).to_be_visible()
    sizes = board.evaluate("b => [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1], "the six columns are wider than the board: it scrolls"
    assert sizes[2] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls"
    board.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    last = stages(sales)[-1]
    expect(_column(page, last)).to_be_in_viewport()


def test_show_more_after_a_move_continues_where_the_column_left_off(page, live_server):
    sales = pipeline("Sales Pipeline")
    first, second = stages(sales)[:2]
    in_first = records("deal", stage=str(first.rid))
    assert len(in_first) > 20
    page.goto(f"{live_server.url}/a/acme/pipelines/{sales.rid}/")
    column = _column(page, first)
    moved = column.locator(".deal-card").first
    moved_id = moved.get_attribute("data-deal-id")
    column.locator(f"#move-{moved_id}").select_option(str(second.rid))
    column.locator(f"#deal-{moved_id} .move-form button").click()
    expect(page.locator("#toasts")).to_contain_text("Moved")
    column.get_by_role("button", name="Show more").click()
    expect(column.locator(".deal-card")).to_have_count(min(40, len(in_first)) - 1)
    shown = column.locator(".deal-card").evaluate_all("cards => cards.map(c => c.dataset.dealId)")
    assert len(shown) == len(set(shown))
    assert set(shown) == {str(d.rid) for d in in_first[: len(shown) + 1]} - {moved_id}
