# ruff: noqa: F401, F811 (fixtures imported from deal_fixtures)
"""Writes of the deal page over HTTP against the sandbox: the details editor and each
custom field (values checked against the API's metadata, amounts in cents, the API's 422s
by their fields, nothing changed on bad input, audited), creating and deleting deals."""

import re
from datetime import date
from decimal import Decimal

import pytest

from acdash.activecampaign import deals
from acdash.activecampaign.customfields import list_custom_fields
from acdash.activecampaign.pipelines import list_pipelines
from acdash.activecampaign.users import list_users
from acdash.audit.models import AuditEntry
from tests.deals.deal_fixtures import (
    HTMX,
    ac,
    acme,
    api,
    deal_field_ids,
    deal_record,
    deal_records,
    held_values,
)


@pytest.fixture
def deal(ac) -> deals.Deal:
    return deals.read_deal(ac, deal_records()[0].rid)


def _form(deal: deals.Deal, **changes) -> dict:
    data = {
        "title": deal.title,
        "value": f"{deal.value_cents / 100:.2f}",
        "currency": deal.currency,
        "stage": deal.stage_id,
        "owner": deal.owner_id,
        "status": int(deal.status),
    }
    return {**data, **changes}


def _post(client, deal_id: int, part: str, data: dict) -> str:
    response = client.post(f"/a/acme/deals/{deal_id}/{part}", data, **HTMX)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_details_editor_opens_with_the_deals_values(acme, admin_client, deal):
    html = admin_client.get(f"/a/acme/deals/{deal.id}/core/?edit=1", **HTMX).content.decode()
    assert f'value="{deal.title}"' in html and "<select" in html
    assert f'value="{deal.value_cents // 100:,}.{deal.value_cents % 100:02d}"' in html


def test_saving_details_sends_what_changed_and_is_audited(acme, admin_client, ac, deal):
    other = next(p for p in list_pipelines(ac) if p.id != deal.pipeline_id and p.stages)
    stage = other.stages[-1]
    html = _post(
        admin_client,
        deal.id,
        "core/",
        _form(deal, title="Bigger deal", value="1,234.50", stage=stage.id, status=1),
    )
    saved = deal_record(deal.id).data
    assert (saved["title"], saved["value"], saved["stage"]) == (
        "Bigger deal",
        "123450",
        str(stage.id),
    )
    assert saved["group"] == str(other.id) and saved["status"] == "1"
    assert "Saved Bigger deal." in html and f"{deal.currency} 1,234.50" in html
    assert stage.title in html and "Won" in html
    entry = AuditEntry.objects.get(action="update", object_type="deal")
    assert entry.before["title"] == deal.title and entry.after["value"] == 123450


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "abc"}, "value", "“abc” is not an amount"),
        ({"value": "12.345"}, "value", "at most two decimals"),
        ({"value": "-5"}, "value", "cannot be negative"),
        ({"stage": 99999}, "stage", "not a stage of this account"),
        ({"owner": 99999}, "owner", "not a user of this account"),
        ({"currency": "xyz"}, "currency", "“xyz” is not a currency code"),
        ({"currency": "u$d"}, "currency", "three-letter currency code"),
        ({"status": 9}, "status", "Pick open, won or lost."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_details_get_a_message_by_the_field_and_change_nothing(
    acme, admin_client, deal, changes, field, message
):
    before = deal_record(deal.id).data
    html = _post(admin_client, deal.id, "core/", _form(deal, **changes))
    # The message sits in the field's own group.
    group = html.split(f'<div class="field field-{field}">', 1)[1].split('<div class="field ', 1)[0]
    assert message in group
    assert deal_record(deal.id).data == before and not AuditEntry.objects.exists()


def _new_stage(api, pipeline_id: int, title: str) -> int:
    body = api.ok("POST", "/dealStages", {"dealStage": {"title": title, "group": str(pipeline_id)}})
    return int(body["dealStage"]["id"])


def test_a_stage_created_in_activecampaign_since_is_found(acme, admin_client, api, deal):
    admin_client.get(f"/a/acme/deals/{deal.id}/")  # pipelines cached without the new stage
    stage = _new_stage(api, deal.pipeline_id, "Negotiation (new)")
    html = _post(admin_client, deal.id, "core/", _form(deal, stage=stage))
    assert deal_record(deal.id).data["stage"] == str(stage)
    assert "Negotiation (new)" in html


def test_the_apis_refusal_shows_by_the_field_and_changes_nothing(acme, admin_client, api, deal):
    stage = _new_stage(api, deal.pipeline_id, "Doomed")
    admin_client.get(f"/a/acme/deals/{deal.id}/")  # pipelines cached with it
    api.ok("DELETE", f"/dealStages/{stage}")  # gone in ActiveCampaign, not in the cache
    before = deal_record(deal.id).data
    html = _post(admin_client, deal.id, "core/", _form(deal, stage=stage, title="Renamed"))
    group = html.split('<div class="field field-stage">', 1)[1].split('<div class="field ', 1)[0]
    assert "The related stage does not exist." in group
    assert deal_record(deal.id).data == before and not AuditEntry.objects.exists()


def test_an_unchanged_save_sends_nothing(acme, admin_client, deal):
    before = deal_record(deal.id).data
    html = _post(admin_client, deal.id, "core/", _form(deal))
    assert "No changes." in html and deal_record(deal.id).data == before


def _field_post(client, deal_id: int, field_id: int, **data) -> str:
    return _post(client, deal_id, f"fields/{field_id}/", data)


def test_a_currency_field_takes_an_amount_and_stores_cents(acme, admin_client, ac, deal):
    field = deal_field_ids(ac)["currency"]
    html = _field_post(admin_client, deal.id, field, value="1,234.50", currency="eur")
    held = held_values(ac, deal.id)[field]
    assert (held.value, held.currency) == (123450, "EUR")
    assert "EUR 1,234.50" in html and "Saved" in html
    assert AuditEntry.objects.get(action="field.update").after["value"] == "EUR 1,234.50"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("currency", "abc", "“abc” is not an amount"),
        ("number", "abc", "“abc” is not a number"),
        ("date", "2026-02-30", "Enter a valid date."),
        ("dropdown", "Not an option", "is not an option of"),
        ("multiselect", "Nope", "is not an option of"),
    ],
)
def test_bad_field_values_are_refused_by_the_field(
    acme, admin_client, ac, deal, kind, value, message
):
    field = deal_field_ids(ac)[kind]
    before = held_values(ac, deal.id).get(field)
    html = _field_post(admin_client, deal.id, field, value=value)
    assert message in html and "<form" in html
    assert held_values(ac, deal.id).get(field) == before
    assert not AuditEntry.objects.exists()


def test_each_type_saves_typed(acme, admin_client, ac, deal):
    fields = {f.type: f for f in list_custom_fields(ac, "deal")}
    ids = deal_field_ids(ac)
    _field_post(admin_client, deal.id, ids["number"], value="1,250.5")
    _field_post(admin_client, deal.id, ids["date"], value="2027-03-31")
    _field_post(admin_client, deal.id, ids["dropdown"], value=fields["dropdown"].options[1])
    admin_client.post(
        f"/a/acme/deals/{deal.id}/fields/{ids['multiselect']}/",
        {"value": fields["multiselect"].options[:2]},
        **HTMX,
    )
    _field_post(admin_client, deal.id, ids["text"], value="Klaviyo")
    held = held_values(ac, deal.id)
    assert held[ids["number"]].value == Decimal("1250.5")
    assert held[ids["date"]].value == date(2027, 3, 31)
    assert held[ids["dropdown"]].value == fields["dropdown"].options[1]
    assert held[ids["multiselect"]].value == fields["multiselect"].options[:2]
    assert held[ids["text"]].value == "Klaviyo"


def test_creating_a_deal_for_a_contact(acme, admin_client, ac):
    contact = deal_records()[3].data["contact"]
    page = admin_client.get(f"/a/acme/deals/new/?contact={contact}").content.decode()
    assert f'value="{contact}"' in page
    pipeline = list_pipelines(ac)[0]
    data = {
        "title": "Fresh deal",
        "contact": contact,
        "value": "2,500",
        "currency": "usd",
        "stage": pipeline.stages[0].id,
        "owner": list_users(ac)[0].id,
        "status": 0,
    }
    response = admin_client.post("/a/acme/deals/new/", data)
    assert response.status_code == 302
    created = max(deal_records(), key=lambda r: r.rid)
    assert response["Location"] == f"/a/acme/deals/{created.rid}/"
    assert (created.data["title"], created.data["value"], created.data["contact"]) == (
        "Fresh deal",
        "250000",
        contact,
    )
    assert created.data["group"] == str(pipeline.id)
    assert AuditEntry.objects.get(action="create").object_id == str(created.rid)


def test_creating_with_bad_values_creates_nothing(acme, admin_client, ac):
    count = len(deal_records())
    pipeline = list_pipelines(ac)[0]
    base = {"title": "X", "contact": "1", "value": "1", "currency": "usd", "status": 0}
    base["stage"] = pipeline.stages[0].id
    for changes, message in (
        ({"value": "abc"}, "“abc” is not an amount"),
        ({"stage": 99999}, "not a stage of this account"),
        ({"contact": "999999"}, "The related contact does not exist."),  # the API's 422
    ):
        html = admin_client.post("/a/acme/deals/new/", {**base, **changes}).content.decode()
        name = next(iter(changes))
        group = html.split(f'id="field-{name}"', 1)[1].split('<div class="field"', 1)[0]
        assert message in group
    assert len(deal_records()) == count and not AuditEntry.objects.exists()


def test_deleting_asks_naming_the_deal_then_deletes(acme, admin_client, deal):
    page = admin_client.get(f"/a/acme/deals/{deal.id}/delete/").content.decode()
    assert f"Delete the deal <strong>{deal.title}</strong>" in page
    assert deal_record(deal.id) is not None  # a GET deletes nothing
    response = admin_client.post(f"/a/acme/deals/{deal.id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/a/acme/deals/"
    assert deal_record(deal.id) is None
    assert AuditEntry.objects.get(action="delete").before["title"] == deal.title
    again = admin_client.post(f"/a/acme/deals/{deal.id}/delete/")
    assert again.status_code == 302  # already gone: said so, not an error


def _opened(deal: deals.Deal) -> dict:
    """The originals the editor carries: the deal's attributes when it opened."""
    values = {
        "title": deal.title,
        "value": deal.value_cents,
        "currency": deal.currency,
        "stage": deal.stage_id,
        "owner": deal.owner_id,
        "status": int(deal.status),
    }
    return {f"orig_{k}": "" if v is None else str(v) for k, v in values.items()}


def test_the_editor_carries_what_it_opened_with(acme, admin_client, deal):
    html = admin_client.get(f"/a/acme/deals/{deal.id}/core/?edit=1", **HTMX).content.decode()
    for name, value in _opened(deal).items():
        assert f'name="{name}" value="{value}"' in html


def test_a_field_changed_elsewhere_that_the_user_left_alone_keeps_its_new_value(
    acme, admin_client, api, deal
):
    api.ok("PUT", f"/deals/{deal.id}", {"deal": {"title": "Renamed elsewhere"}})
    data = {**_form(deal, value="99.00"), **_opened(deal)}  # the title as it opened
    html = _post(admin_client, deal.id, "core/", data)
    saved = deal_record(deal.id).data
    assert (saved["title"], saved["value"]) == ("Renamed elsewhere", "9900")
    assert "Saved Renamed elsewhere." in html


def test_a_field_the_user_changed_that_changed_elsewhere_asks_first(acme, admin_client, api, deal):
    api.ok("PUT", f"/deals/{deal.id}", {"deal": {"value": 777}})
    data = {**_form(deal, value="5.00"), **_opened(deal)}
    html = _post(admin_client, deal.id, "core/", data)
    assert "Changed in ActiveCampaign since you opened this." in html
    assert "7.77" in html and "5.00" in html
    assert deal_record(deal.id).data["value"] == "777" and not AuditEntry.objects.exists()
    # Saving again, with the originals the warning returned, overwrites.
    again = dict(re.findall(r'name="(orig_\w+)" value="([^"]*)"', html))
    assert again["orig_value"] == "777"
    _post(admin_client, deal.id, "core/", {**_form(deal, value="5.00"), **again})
    assert deal_record(deal.id).data["value"] == "500"
