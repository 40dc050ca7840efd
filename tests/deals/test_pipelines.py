"""The pipelines page: stages with their deal count and value as bars, creating, renaming
and deleting pipelines, and creating, editing, reordering and deleting stages (a stage with
deals moves them first, where the user chose)."""

import re

import pytest
from django.core.cache import cache

from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount

from .pipeline_fixtures import pipeline, records, stages

PAGE = "/a/acme/pipelines/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _stage_row(html: str, stage_id: int) -> str:
    start = html.index(f'<li class="stage-row" id="stage-{stage_id}">')
    return html[start : html.index("</li>", start)]


def test_the_page_lists_every_pipeline_with_its_stages_in_order(deal_account, admin_client):
    with count_api_calls() as calls:
        html = admin_client.get(PAGE).content.decode()
    assert calls.count <= 1  # the pipelines, with their stages side-loaded
    for group in records("dealGroup"):
        assert group.data["title"] in html
        titles = [s.data["title"] for s in stages(group)]
        positions = [html.index(f">{t}<") for t in titles]
        assert positions == sorted(positions)
    assert "Deals &amp; pipelines" in html and 'aria-current="page"' in html


def test_figures_show_each_stages_deal_count_and_value_as_bars(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    admin_client.get(PAGE)
    with count_api_calls() as calls:
        html = admin_client.get(f"{PAGE}{sales.rid}/figures/", **HTMX).content.decode()
    assert calls.count <= len(stages(sales))
    counts = {s.rid: len(records("deal", stage=str(s.rid))) for s in stages(sales)}
    most = max(counts.values())
    for stage in stages(sales):
        row = _stage_row(html, stage.rid)
        n = counts[stage.rid]
        assert f"{n} deal" in row
        assert f'class="bar bar-count" data-width="{round(100 * n / most)}"' in row
        assert 'class="bar bar-value"' in row


# Pipelines ------------------------------------------------------------------------------


def test_creating_a_pipeline_gives_it_the_apis_three_stages(deal_account, admin_client):
    response = admin_client.post(f"{PAGE}new/", {"title": "Upsells", "currency": "eur"})
    assert response.status_code == 302
    created = pipeline("Upsells")
    assert created.data["currency"] == "eur"
    assert [s.data["title"] for s in stages(created)] == ["To Contact", "In Contact", "Follow Up"]
    html = admin_client.get(PAGE).content.decode()
    assert "Upsells" in html and "created with 3 stages" in html
    assert AuditEntry.objects.filter(object_type="pipeline", action="create").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "currency": "USD"}, "title"),
        ({"title": "X", "currency": "dollars"}, "currency"),
    ],
)
def test_bad_pipeline_values_are_refused_by_the_field(deal_account, admin_client, data, field):
    before = len(records("dealGroup"))
    response = admin_client.post(f"{PAGE}new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'id="id_{field}"[^>]*>\s*<ul class="errorlist', html)
    assert len(records("dealGroup")) == before


def test_renaming_a_pipeline(deal_account, admin_client):
    renewals = pipeline("Renewals")
    url = f"{PAGE}{renewals.rid}/rename/"
    assert 'value="Renewals"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"title": "Renewals 2027"}).status_code == 302
    renewals.refresh_from_db()
    assert renewals.data["title"] == "Renewals 2027"
    assert "Renewals 2027" in admin_client.get(PAGE).content.decode()


def test_deleting_a_pipeline_says_what_goes_with_it_then_does_it(deal_account, admin_client):
    renewals = pipeline("Renewals")
    deals = len(records("deal", group=str(renewals.rid)))
    url = f"{PAGE}{renewals.rid}/delete/"
    confirmation = admin_client.get(url).content.decode()
    assert "Renewals" in confirmation and f"{deals} deals" in confirmation
    assert "4 stages" in confirmation and "Quote Sent" in confirmation
    assert records("dealGroup", title="Renewals")  # nothing deleted by looking
    assert admin_client.post(url).status_code == 302
    assert not records("dealGroup", title="Renewals")
    assert not records("deal", group=str(renewals.rid))
    assert AuditEntry.objects.get(object_type="pipeline", action="delete").summary.endswith(
        f"4 stages and {deals} deals"
    )


# Stages ---------------------------------------------------------------------------------


def test_adding_a_stage_puts_it_last_with_its_colour(deal_account, admin_client):
    renewals = pipeline("Renewals")
    url = f"{PAGE}{renewals.rid}/stages/new/"
    assert admin_client.post(url, {"title": "Won back", "color": "#aa00cc"}).status_code == 302
    added = stages(renewals)[-1]
    assert added.data["title"] == "Won back" and added.data["color"] == "AA00CC"


def test_renaming_and_recolouring_a_stage(deal_account, admin_client):
    renewals = pipeline("Renewals")
    stage = stages(renewals)[1]
    url = f"{PAGE}{renewals.rid}/stages/{stage.rid}/edit/"
    assert admin_client.post(url, {"title": "Talking", "color": "#112233"}).status_code == 302
    stage.refresh_from_db()
    assert (stage.data["title"], stage.data["color"]) == ("Talking", "112233")


@pytest.mark.parametrize("color", ["red", "#12345", "#GGGGGG", "javascript:1"])
def test_a_bad_colour_is_refused_by_the_field_and_nothing_changes(
    deal_account, admin_client, color
):
    renewals = pipeline("Renewals")
    stage = stages(renewals)[1]
    before = dict(stage.data)
    url = f"{PAGE}{renewals.rid}/stages/{stage.rid}/edit/"
    response = admin_client.post(url, {"title": "Talking", "color": color})
    assert response.status_code == 200
    assert "six hex digits" in response.content.decode()
    stage.refresh_from_db()
    assert stage.data == before


def test_moving_a_stage_up_and_down(deal_account, admin_client):
    renewals = pipeline("Renewals")
    first, second, *_ = stages(renewals)
    url = f"{PAGE}{renewals.rid}/stages/{second.rid}/move/"
    admin_client.post(url, {"direction": "up"})
    assert [s.rid for s in stages(renewals)][:2] == [second.rid, first.rid]
    admin_client.post(url, {"direction": "down"})
    assert [s.rid for s in stages(renewals)][:2] == [first.rid, second.rid]
    admin_client.post(f"{PAGE}{renewals.rid}/stages/{first.rid}/move/", {"direction": "up"})
    assert stages(renewals)[0].rid == first.rid  # already first: stays


def test_deleting_a_stage_with_deals_moves_them_where_the_user_chose(deal_account, admin_client):
    sales = pipeline("Sales Pipeline")
    doomed, _, target, *_ = stages(sales)
    moving = {d.rid for d in records("deal", stage=str(doomed.rid))}
    assert moving
    url = f"{PAGE}{sales.rid}/stages/{doomed.rid}/delete/"
    confirmation = admin_client.get(url).content.decode()
    assert f"{len(moving)} deals" in confirmation and "Move its deals to" in confirmation
    # Without a choice (or with a stage of another pipeline) nothing happens.
    other = stages(pipeline("Renewals"))[0]
    for data in ({}, {"target": other.rid}, {"target": doomed.rid}, {"target": "x"}):
        response = admin_client.post(url, data)
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert records("dealStage", title=doomed.data["title"])
    response = admin_client.post(url, {"target": target.rid})
    assert response.status_code == 302
    assert doomed.rid not in [s.rid for s in stages(sales)]
    assert moving <= {d.rid for d in records("deal", stage=str(target.rid))}
    entry = AuditEntry.objects.get(object_type="stage", action="delete")
    assert f"its {len(moving)} deals moved to {target.data['title']}" in entry.summary


def test_deleting_an_empty_stage_asks_nothing_more(deal_account, admin_client):
    renewals = pipeline("Renewals")
    admin_client.post(f"{PAGE}{renewals.rid}/stages/new/", {"title": "Empty", "color": "#000000"})
    empty = stages(renewals)[-1]
    url = f"{PAGE}{renewals.rid}/stages/{empty.rid}/delete/"
    assert "It has no deals" in admin_client.get(url).content.decode()
    assert admin_client.post(url).status_code == 302
    assert empty.rid not in [s.rid for s in stages(renewals)]


# Roles ----------------------------------------------------------------------------------


def test_a_viewer_sees_the_figures_but_no_edit_controls_and_cannot_write(deal_role):
    client = deal_role("viewer")
    renewals = pipeline("Renewals")
    html = client.get(PAGE).content.decode()
    assert "Renewals" in html
    for control in ("Rename", "Delete…", "Edit stages", "New pipeline"):
        assert control not in html
    stage = stages(renewals)[0]
    for url, data in (
        (f"{PAGE}new/", {"title": "X", "currency": "USD"}),
        (f"{PAGE}{renewals.rid}/rename/", {"title": "X"}),
        (f"{PAGE}{renewals.rid}/delete/", {}),
        (f"{PAGE}{renewals.rid}/stages/new/", {"title": "X", "color": "#000000"}),
        (f"{PAGE}{renewals.rid}/stages/{stage.rid}/edit/", {"title": "X", "color": "#000000"}),
        (f"{PAGE}{renewals.rid}/stages/{stage.rid}/move/", {"direction": "down"}),
        (f"{PAGE}{renewals.rid}/stages/{stage.rid}/delete/", {}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"{PAGE}{renewals.rid}/delete/").status_code == 403
    assert pipeline("Renewals").data["title"] == "Renewals"
    assert not AuditEntry.objects.exists()


def test_an_unavailable_api_is_a_message_not_a_server_error(deal_account, admin_client):
    renewals = pipeline("Renewals")
    cache.clear()
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    page = admin_client.get(PAGE).content.decode()
    assert "The pipelines could not be loaded" in page and "Retry" in page
    response = admin_client.post(f"{PAGE}{renewals.rid}/rename/", {"title": "X"}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    figures = admin_client.get(f"{PAGE}{renewals.rid}/figures/", **HTMX).content.decode()
    assert "could not be loaded" in figures
    renewals.refresh_from_db()
    assert renewals.data["title"] == "Renewals"
