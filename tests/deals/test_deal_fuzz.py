# ruff: noqa: F401, F811 (fixtures imported from deal_fixtures)
"""Hostile values in every query parameter and form field of the deals list and the deal
page: never a server error, and nothing written on refused input."""

from acdash.activecampaign.customfields import list_custom_fields
from acdash.audit.models import AuditEntry
from tests.deals.deal_fixtures import HTMX, ac, acme, deal_records

HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "9" * 40,
    "1e309",
    "NaN",
    "Infinity",
    "1,2,3",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "é" * 300,
    "1.5",
    "[]",
    "%00",
]
# The deal page's writes cost API calls: the values most likely to break a parser.
SHORT = ["", "-1", "9" * 40, "1e309", "NaN", "<script>alert(1)</script>", "\x00", "é" * 300]


def test_the_list_survives_hostile_parameters(acme, admin_client):
    for name in ("q", "pipeline", "stage", "status", "owner", "per_page", "page", "sort"):
        for value in HOSTILE if name in ("sort", "page", "per_page") else SHORT:
            response = admin_client.get("/a/acme/deals/", {name: value}, **HTMX)
            assert response.status_code == 200, (name, value)
            assert b"<script>alert(1)</script>" not in response.content


def test_the_deal_page_survives_hostile_input(acme, admin_client, ac):
    deal = deal_records()[0]
    base = f"/a/acme/deals/{deal.rid}/"
    fields = list_custom_fields(ac, "deal")
    before = {r.rid: r.data for r in deal_records()}
    for value in SHORT:
        for name in ("title", "value", "currency", "stage", "owner", "status"):
            data = {"title": "T", "value": "1", "currency": "usd", "status": "0"}
            response = admin_client.post(base + "core/", {**data, name: value}, **HTMX)
            assert response.status_code == 200, (name, value)
        for field in fields:
            data = {"value": value, "currency": value}
            response = admin_client.post(f"{base}fields/{field.id}/", data, **HTMX)
            assert response.status_code == 200, (field.type, value)
        for data in ({"contact": value}, {"remove": value}):
            response = admin_client.post(base + "contacts/", data, **HTMX)
            assert response.status_code == 200, (data, value)
        response = admin_client.post(
            "/a/acme/deals/new/",
            {"title": value, "contact": value, "value": value, "stage": value, "currency": value},
        )
        assert response.status_code == 200, value
        assert admin_client.get(f"/a/acme/deals/new/?contact={value}").status_code == 200
    # Hostile values that are valid (a title, a text field) may save; ids and amounts never.
    after = {r.rid: r.data for r in deal_records()}
    assert after.keys() == before.keys()
    assert {k: v["value"] for k, v in after.items()} == {k: v["value"] for k, v in before.items()}
    assert not AuditEntry.objects.filter(action__in=("create", "delete", "contact.add")).exists()
