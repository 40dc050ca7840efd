"""Deals, secondary contacts and deal roles behave as the API reference documents."""

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import HttpRequest, QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acdash.sandbox import store
from acdash.sandbox.models import SandboxRecord
from acdash.sandbox.resources.deallisting import list_deals
from acdash.sandbox.resources.deals import bulk_update_owners
from acdash.sandbox.routing import Ctx
from tests.conformance.shapes import assert_conforms, checked, mismatches, operations
from tests.sandbox.test_pipelines import (
    error_at,
    fill_computed,
    make_contact,
    make_deal,
    make_pipeline,
    make_user,
)


def repaired(method: str, path: str, status: int, broken: str, fixed: str, name=None) -> Any:
    """A reference example that is not valid JSON, with its one syntax slip fixed."""
    checked(method, path, status)
    for response in operations()[(method, path)]["responses"]:
        if response["status"] == status and (name is None or response["name"] == name):
            assert broken in response["raw"]
            return json.loads(response["raw"].replace(broken, fixed, 1))
    raise KeyError((method, path, status))


# POST/PUT /deals: the example lacks the comma before "dealStages".
WRITE_EXAMPLE = {"broken": '} "dealStages"', "fixed": '}, "dealStages"'}


def assert_like(body: Any, example: Any) -> None:
    problems = mismatches(body, example)
    assert not problems, "\n".join(problems)


def fill_contact(sandbox, contact_id: str, account: str) -> None:
    """Give a contact the dates and organization that only the API's own processes set, as
    seeded contacts have them, so side-loads compare with examples that show them set."""
    record = store.find(sandbox.account, "contact", contact_id)
    dates = {name: "2021-11-28 00:00:00" for name in ("bounced_date", "socialdata_lastcheck")}
    dates |= {name: "2021-11-28T00:00:00-06:00" for name in ("adate", "edate")}
    dates |= {"rating_tstamp": "2021-11-28", "deleted_at": "2021-11-28 00:00:00", "ua": ""}
    store.update(record, **dates, organization=account)


@pytest.fixture
def board(sandbox) -> dict[str, Any]:
    """An owner, an account (organization), its contact, and a pipeline with its three
    default stages. Accounts are another family's; a record is all a deal needs."""
    owner = make_user(sandbox)
    account = store.create(sandbox.account, "account", {"name": "Acme"}).id_str
    contact = make_contact(sandbox, "johndoe@example.com", firstName="John", lastName="Doe")
    fill_contact(sandbox, contact, account)
    group, stages = make_pipeline(sandbox)
    return {
        "owner": owner,
        "account": account,
        "contact": contact,
        "group": group,
        "stages": stages,
    }


def board_deal(sandbox, board: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    """A deal of the board's contact and account, with the API-computed attributes set."""
    deal = make_deal(
        sandbox, board["contact"], board["stages"][0], account=board["account"], **attrs
    )
    fill_computed(sandbox, deal["id"])
    return deal


def deal_request(board: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    """The reference's request example, pointed at this sandbox's objects."""
    deal = {
        "title": "AC Deal",
        "description": "This deal is an important deal",
        "contact": board["contact"],
        "account": board["account"],
        "currency": "usd",
        "group": board["group"],
        "owner": board["owner"],
        "percent": None,
        "stage": board["stages"][0],
        "status": 0,
        "value": 45600,
    }
    return {"deal": deal | attrs}


def count(sandbox) -> int:
    return store.records(sandbox.account, "deal").count()


# Create, read, update, delete ----------------------------------------------------------------


def test_create_read_update_delete_conform(sandbox, board):
    # A stage made by POST /dealStages: default stages answer cdate/udate null, the example's
    # side-loaded stage has them set.
    for index, title in enumerate(("Qualified", "Proposal")):
        stage = {"dealStage": {"title": title, "group": board["group"]}}
        board["stages"][index] = sandbox.ok("POST", "/dealStages", stage)["dealStage"]["id"]
    created = sandbox.ok("POST", "/deals", deal_request(board), status=201)
    assert_like(created, repaired("POST", "/deals", 201, **WRITE_EXAMPLE))
    deal = created["deal"]
    assert (deal["value"], deal["status"], deal["contact"]) == (45600, 0, int(board["contact"]))
    assert [c["id"] for c in created["contacts"]] == [board["contact"]]
    assert [s["id"] for s in created["dealStages"]] == [board["stages"][0]]

    fill_computed(sandbox, deal["id"])
    read = sandbox.ok("GET", f"/deals/{deal['id']}")
    # The example lacks the opening quote of links.contact.
    assert_like(
        read,
        repaired(
            "GET",
            "/deals/{id}",
            200,
            '"contact":/api',
            '"contact": "/api',
            "with pipeline permission",
        ),
    )
    stored = read["deal"]
    assert (stored["value"], stored["status"], stored["currency"]) == ("45600", "0", "usd")
    assert (stored["group"], stored["stage"], stored["owner"]) == (
        board["group"],
        board["stages"][0],
        board["owner"],
    )
    assert stored["links"]["notes"].endswith(f"/api/3/deals/{deal['id']}/notes")

    change = deal_request(board, title="Bigger", value=99900, status=1, stage=board["stages"][1])
    updated = sandbox.ok("PUT", f"/deals/{deal['id']}", change)
    assert_like(updated, repaired("PUT", "/deals/{id}", 200, **WRITE_EXAMPLE))
    after = sandbox.ok("GET", f"/deals/{deal['id']}")["deal"]
    assert (after["title"], after["value"], after["status"], after["stage"]) == (
        "Bigger",
        "99900",
        "1",
        board["stages"][1],
    )

    # The example answer is an empty string; the sandbox answers {} like other deletes.
    assert sandbox.ok("DELETE", f"/deals/{deal['id']}") == {}
    missing = sandbox.get(f"/deals/{deal['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"message": f"No Result found for Deal with id {deal['id']}"}
    assert sandbox.delete(f"/deals/{deal['id']}").status_code == 404


def test_create_with_custom_fields_echoes_them(sandbox, board):
    meta = {"fieldLabel": "Source", "fieldType": "text", "isFormVisible": 1, "displayOrder": 1}
    field = sandbox.ok("POST", "/dealCustomFieldMeta", {"dealCustomFieldMetum": meta})
    field_id = int(field["dealCustomFieldMetum"]["id"])
    fields = [{"customFieldId": field_id, "fieldValue": "Referral"}]
    created = sandbox.ok("POST", "/deals", deal_request(board, fields=fields), status=201)
    deal_id = created["deal"]["id"]
    assert created["deal"]["fields"] == [
        {"customFieldId": field_id, "fieldValue": "Referral", "dealId": deal_id}
    ]
    data = sandbox.ok("GET", f"/dealCustomFieldData?filters[dealId]={deal_id}")
    assert [d["fieldValue"] for d in data["dealCustomFieldData"]] == ["Referral"]


def test_stage_and_pipeline_rules(sandbox, board):
    _, other_stages = make_pipeline(sandbox, "Other")
    stages = board["stages"]
    # The stage alone places the deal in the stage's pipeline; the pipeline alone, in its
    # first stage.
    request = deal_request(board, stage=stages[2])
    del request["deal"]["group"]
    by_stage = sandbox.ok("POST", "/deals", request, status=201)["deal"]
    assert (by_stage["group"], by_stage["stage"]) == (board["group"], stages[2])
    request = deal_request(board)
    del request["deal"]["stage"]
    by_group = sandbox.ok("POST", "/deals", request, status=201)["deal"]
    assert by_group["stage"] == stages[0]

    unknown = sandbox.post("/deals", deal_request(board, stage="999"))
    assert error_at(unknown) == ("related_missing", "/data/attributes/stage")
    foreign = sandbox.post("/deals", deal_request(board, stage=other_stages[0]))
    assert error_at(foreign) == ("field_invalid", "/data/attributes/stage")
    no_group = sandbox.post("/deals", deal_request(board, group="999"))
    assert error_at(no_group) == ("related_missing", "/data/attributes/group")
    request = deal_request(board)
    del request["deal"]["stage"], request["deal"]["group"]
    assert error_at(sandbox.post("/deals", request)) == ("field_missing", "/data/attributes/group")

    # An update may not move a deal into another pipeline's stage, nor to an unknown one.
    deal_id = by_group["id"]
    for stage in (other_stages[1], "999"):
        response = sandbox.put(f"/deals/{deal_id}", json={"deal": {"stage": stage, "title": "X"}})
        assert error_at(response)[1] == "/data/attributes/stage"
    assert sandbox.ok("GET", f"/deals/{deal_id}")["deal"]["title"] == "AC Deal"
    assert count(sandbox) == 2


@pytest.mark.parametrize(
    "change, code, attribute",
    [
        ({"title": ""}, "field_missing", "title"),
        ({"contact": None, "account": None}, "field_missing", "contact"),
        ({"value": None}, "field_missing", "value"),
        ({"currency": ""}, "field_missing", "currency"),
        ({"value": -5}, "field_invalid", "value"),
        ({"value": "lots"}, "field_invalid", "value"),
        ({"currency": "dollars"}, "field_invalid", "currency"),
        ({"status": 7}, "field_invalid", "status"),
        ({"percent": "half"}, "field_invalid", "percent"),
        ({"contact": "999"}, "related_missing", "contact"),
        ({"owner": "999"}, "related_missing", "owner"),
        ({"account": "999"}, "related_missing", "account"),
    ],
)
def test_invalid_deal_is_422_and_writes_nothing(sandbox, board, change, code, attribute):
    response = sandbox.post("/deals", deal_request(board, **change))
    assert error_at(response) == (code, f"/data/attributes/{attribute}")
    assert count(sandbox) == 0
    deal = make_deal(sandbox, board["contact"], board["stages"][0], title="Kept")
    response = sandbox.put(f"/deals/{deal['id']}", json={"deal": {"description": "new"} | change})
    assert error_at(response) == (code, f"/data/attributes/{attribute}")
    kept = sandbox.ok("GET", f"/deals/{deal['id']}")["deal"]
    assert (kept["title"], kept["description"]) == ("Kept", "")


def test_owner_is_auto_assigned_round_robin_unless_disabled(sandbox, board):
    second = make_user(sandbox, "second")
    group, stages = make_pipeline(sandbox, "Round", users=[board["owner"], second])
    request = deal_request(board, group=group, stage=stages[0])
    del request["deal"]["owner"]
    owners = [sandbox.ok("POST", "/deals", request)["deal"]["owner"] for _ in range(3)]
    assert owners == [board["owner"], second, board["owner"]]
    manual, manual_stages = make_pipeline(sandbox, "Manual", autoassign=0)
    request = deal_request(board, group=manual, stage=manual_stages[0])
    del request["deal"]["owner"]
    assert error_at(sandbox.post("/deals", request)) == ("field_missing", "/data/attributes/owner")


# Listing ---------------------------------------------------------------------------------------


@pytest.fixture
def listing(sandbox, board) -> dict[str, Any]:
    """Four deals across two pipelines, two contacts and two owners."""
    other_owner = make_user(sandbox, "other")
    zed = make_contact(sandbox, "zed@example.com", firstName="Zed", lastName="Zulu")
    # Tags are another family's; a contactTag record is all the tag filter reads.
    tag = {"contact": zed, "tag": "1"}
    store.create(sandbox.account, "contactTag", tag, parent=int(zed), key="1")
    second, second_stages = make_pipeline(sandbox, "Second")
    john, stages = board["contact"], board["stages"]
    deals = [
        make_deal(sandbox, john, stages[0], title="Alpha Roof", value=50000),
        make_deal(sandbox, john, stages[1], title="Beta Wall", value=1000, status=1),
        make_deal(sandbox, zed, stages[1], title="Gamma Roof", value=250000, owner=other_owner),
        make_deal(sandbox, zed, second_stages[0], title="Delta", value=7500, currency="eur"),
    ]
    return board | {"deals": [d["id"] for d in deals], "zed": zed, "second": second}


def titles(sandbox, query: str) -> list[str]:
    return [d["title"] for d in sandbox.ok("GET", f"/deals?{query}")["deals"]]


def test_list_conforms_with_currency_totals(sandbox, board):
    for value in (10000, 20000):
        board_deal(sandbox, board, value=value)
    body = sandbox.ok("GET", "/deals")
    assert_conforms(body, "GET", "/deals", 200)
    # As in the example: meta.total is a number here, currency totals are strings.
    assert body["meta"] == {
        "currencies": {"USD": {"currency": "USD", "total": "2", "value": "30000"}},
        "total": 2,
    }


def test_list_filters(sandbox, listing):
    stages = listing["stages"]
    assert titles(sandbox, "") == ["Alpha Roof", "Beta Wall", "Gamma Roof", "Delta"]
    assert titles(sandbox, "filters[title]=roof") == ["Alpha Roof", "Gamma Roof"]
    assert titles(sandbox, f"filters[stage]={stages[1]}") == ["Beta Wall", "Gamma Roof"]
    assert titles(sandbox, f"filters[group]={listing['second']}") == ["Delta"]
    assert titles(sandbox, "filters[status]=1") == ["Beta Wall"]
    assert titles(sandbox, "filters[owner]=2") == ["Gamma Roof"]
    assert titles(sandbox, "filters[minimum_value]=500") == ["Alpha Roof", "Gamma Roof"]
    assert titles(sandbox, "filters[maximum_value]=75") == ["Beta Wall", "Delta"]
    assert titles(sandbox, "filters[tag]=1") == ["Gamma Roof", "Delta"]
    assert titles(sandbox, "filters[tag]=-1") == ["Gamma Roof", "Delta"]
    assert titles(sandbox, "filters[tag]=-2") == ["Alpha Roof", "Beta Wall"]
    assert titles(sandbox, "filters[score]=1:5") == []
    assert titles(sandbox, "filters[tasktype]=1") == []
    assert sandbox.ok("GET", "/deals")["meta"]["currencies"] == {
        "USD": {"currency": "USD", "total": "3", "value": "301000"},
        "EUR": {"currency": "EUR", "total": "1", "value": "7500"},
    }
    body = sandbox.ok("GET", "/deals?filters[group]=" + listing["second"])
    assert body["meta"] == {
        "currencies": {"EUR": {"currency": "EUR", "total": "1", "value": "7500"}},
        "total": 1,
    }
    # Deal dates are the account's local time, as the API gives them: "today" is the
    # account's date, which differs from UTC's for hours around midnight.
    local_today = timezone.now().astimezone(ZoneInfo(sandbox.account.timezone)).date()
    today = local_today.isoformat()
    tomorrow = (local_today + timedelta(days=2)).isoformat()
    assert len(titles(sandbox, f"filters[created_after]={today}")) == 4
    assert titles(sandbox, f"filters[created_before]={today}") == []
    assert len(titles(sandbox, f"filters[updated_before]={tomorrow}")) == 4
    assert titles(sandbox, f"filters[updated_after]={tomorrow}") == []


def test_list_search_fields(sandbox, listing):
    assert titles(sandbox, "filters[search]=roof&filters[search_field]=title") == [
        "Alpha Roof",
        "Gamma Roof",
    ]
    assert titles(sandbox, "filters[search]=Zed Zulu&filters[search_field]=contact") == [
        "Gamma Roof",
        "Delta",
    ]
    assert titles(sandbox, "filters[search]=john&filters[search_field]=contact") == [
        "Alpha Roof",
        "Beta Wall",
    ]
    assert titles(sandbox, "filters[search]=delta") == ["Delta"]
    assert titles(sandbox, "filters[search]=zulu") == ["Gamma Roof", "Delta"]


def test_list_next_task_range(sandbox, listing):
    now = timezone.now()
    due = {
        listing["deals"][0]: now + timedelta(hours=2),
        listing["deals"][1]: now + timedelta(days=3),
        listing["deals"][2]: now - timedelta(days=1),
    }
    for deal_id, moment in due.items():
        record = store.find(sandbox.account, "deal", deal_id)
        store.update(record, nextdate=store.iso(sandbox.account, moment), nexttaskid="1")
    assert titles(sandbox, "filters[nextdate_range]=upcoming") == ["Alpha Roof"]
    assert titles(sandbox, "filters[nextdate_range]=scheduled") == ["Beta Wall"]
    assert titles(sandbox, "filters[nextdate_range]=overdue") == ["Gamma Roof"]
    assert titles(sandbox, "filters[nextdate_range]=no-task") == ["Delta"]
    # Due tasks soonest first, then deals without a task, then overdue ones.
    assert titles(sandbox, "orders[next-action]=ASC") == [
        "Alpha Roof",
        "Beta Wall",
        "Delta",
        "Gamma Roof",
    ]


def test_list_orders_and_paging(sandbox, listing):
    assert titles(sandbox, "orders[title]=ASC") == [
        "Alpha Roof",
        "Beta Wall",
        "Delta",
        "Gamma Roof",
    ]
    assert titles(sandbox, "orders[value]=DESC") == [
        "Gamma Roof",
        "Alpha Roof",
        "Delta",
        "Beta Wall",
    ]
    newest = store.find(sandbox.account, "deal", listing["deals"][1])
    store.update(newest, cdate=store.iso(sandbox.account, timezone.now() + timedelta(days=1)))
    assert titles(sandbox, "orders[cdate]=DESC")[0] == "Beta Wall"
    assert titles(sandbox, "orders[contact_name]=DESC&orders[value]=ASC") == [
        "Delta",
        "Gamma Roof",
        "Beta Wall",
        "Alpha Roof",
    ]
    assert titles(sandbox, "orders[contact_orgname]=ASC")[0] == "Alpha Roof"
    page = sandbox.ok("GET", "/deals?orders[title]=ASC&limit=2&offset=1")
    assert [d["title"] for d in page["deals"]] == ["Beta Wall", "Delta"]
    assert page["meta"]["total"] == 4
    assert sandbox.get("/deals?orders[title]=UP").status_code == 400


def test_list_query_count_does_not_grow_with_deals(sandbox, board):
    clone_deals(sandbox, board_deal(sandbox, board), 149)
    ctx = direct_ctx(sandbox, "", "limit=100")
    with CaptureQueriesContext(connection) as queries:
        body = list_deals(ctx)
    assert len(body["deals"]) == 100 and body["meta"]["total"] == 150
    assert len(queries) <= 3  # page, total, currency totals


# Bulk owner update ---------------------------------------------------------------------------


def clone_deals(sandbox, deal: dict[str, Any], count: int) -> None:
    """Many copies of a deal, written at once as the seed generator writes them."""
    record = store.find(sandbox.account, "deal", deal["id"])
    rows = [SandboxRecord(parent=record.parent, data=dict(record.data)) for _ in range(count)]
    store.bulk_create(sandbox.account, "deal", rows)


def direct_ctx(sandbox, body: str, query: str = "") -> Ctx:
    """A handler context outside HTTP, so the test can count the handler's queries."""
    base = f"http://testserver/sandbox/{sandbox.account.slug}/api/3"
    return Ctx(sandbox.account, HttpRequest(), base, QueryDict(query), body.encode())


def test_bulk_update_owners_conforms(sandbox, board):
    second = make_user(sandbox, "second")
    ids = [make_deal(sandbox, board["contact"], board["stages"][0])["id"] for _ in range(3)]
    request = {"deals": [{"id": int(ids[0]), "ownerId": 2}, {"id": int(ids[1]), "ownerId": 2}]}
    request["deals"] += [{"id": int(ids[2]), "ownerId": 1}, {"id": 99999999, "ownerId": 2}]
    body = sandbox.ok("PATCH", "/deals/bulkUpdate", request)
    assert_conforms(body, "PATCH", "/deals/bulkUpdate", 200)
    assert body == {"success": ids[:2], "nochange": [ids[2]], "failed": ["99999999"]}
    assert sandbox.ok("GET", f"/deals/{ids[0]}")["deal"]["owner"] == second

    # A missing or unknown owner rejects the whole request.
    for deals, title in (
        (
            [{"id": int(ids[2]), "ownerId": 2}, {"id": int(ids[0])}],
            f"ownerId is required for a deal '{ids[0]}'.",
        ),
        (
            [{"id": int(ids[2]), "ownerId": 2}, {"id": int(ids[0]), "ownerId": 999999}],
            f"Owner(user) with id '999999' was not found for a deal '{ids[0]}'.",
        ),
    ):
        response = sandbox.patch("/deals/bulkUpdate", json={"deals": deals})
        assert response.status_code == 422
        assert_conforms(response.json(), "PATCH", "/deals/bulkUpdate", 422)
        assert response.json()["errors"][0]["title"] == title
        assert sandbox.ok("GET", f"/deals/{ids[2]}")["deal"]["owner"] == board["owner"]


def test_bulk_update_of_1000_deals_uses_a_few_queries(sandbox, board):
    make_user(sandbox, "second")
    clone_deals(sandbox, board_deal(sandbox, board), 999)
    ids = list(store.records(sandbox.account, "deal").values_list("rid", flat=True))
    request = json.dumps({"deals": [{"id": rid, "ownerId": 2} for rid in ids]})
    with CaptureQueriesContext(connection) as queries:
        body = bulk_update_owners(direct_ctx(sandbox, request))
    assert len(body["success"]) == 1000
    assert len(queries) <= 6  # users, deals, one UPDATE per 500 deals
    assert {d.data["owner"] for d in store.records(sandbox.account, "deal")} == {"2"}


def test_deal_activities_is_an_empty_list(sandbox, board):
    body = sandbox.ok("GET", "/dealActivities")
    # The example lacks its opening brace.
    assert_like(
        body, repaired("GET", "/dealActivities", 200, '"dealActivities"', '{"dealActivities"')
    )
    assert body == {"dealActivities": [], "meta": {"total": "0"}}


# A contact's deals -----------------------------------------------------------------------------


def test_contact_views_of_deals_conform(sandbox, board):
    deal = board_deal(sandbox, board)
    contact = board["contact"]
    detail = sandbox.ok("GET", f"/contacts/{contact}")
    assert_conforms(detail, "GET", "/contacts/{id}", 200)
    assert [d["id"] for d in detail["deals"]] == [deal["id"]]
    listed = sandbox.ok("GET", f"/contacts/{contact}/deals")
    assert_conforms(listed, "GET", "/contacts/{id}/deals", 200)
    assert [d["id"] for d in listed["deals"]] == [deal["id"]]


def test_contact_contact_deals_lists_secondary_roles(sandbox, board):
    deal = board_deal(sandbox, board)
    secondary = make_contact(sandbox, "second@example.com")
    sandbox.ok("POST", "/contactDeals", {"contactDeal": {"contact": secondary, "deal": deal["id"]}})
    body = sandbox.ok("GET", f"/contacts/{secondary}/contactDeals")
    assert_conforms(body, "GET", "/contacts/{id}/contactDeals", 200)
    assert [c["id"] for c in body["contacts"]] == [board["contact"]]
    assert [d["id"] for d in body["deals"]] == [deal["id"]]
    assert [(r["deal"], r["contact"]) for r in body["contactDeals"]] == [(deal["id"], secondary)]
    missing = sandbox.get("/contacts/100/contactDeals")
    assert missing.status_code == 404
    assert_conforms(missing.json(), "GET", "/contacts/{id}/contactDeals", 404)
    assert missing.json() == {"message": "No Result found for Subscriber with id 100"}


# Secondary contacts ----------------------------------------------------------------------------


def test_secondary_contact_crud_conforms(sandbox, board):
    role = sandbox.ok("POST", "/dealRoles", {"title": "Decision Maker"})["dealRole"]["id"]
    deal = board_deal(sandbox, board)
    other = make_contact(sandbox, "other@example.com")
    third = make_contact(sandbox, "third@example.com")
    request = {"contactDeal": {"contact": int(other), "deal": int(deal["id"])}}
    created = sandbox.ok("POST", "/contactDeals", request, status=200)
    assert_conforms(created, "POST", "/contactDeals", 200)
    row = created["contactDeal"]["id"]

    listed = sandbox.ok("GET", "/contactDeals")
    assert_conforms(listed, "GET", "/contactDeals", 200)
    assert listed["meta"]["total"] == "1"
    one = sandbox.ok("GET", f"/contactDeals/{row}")
    assert_conforms(one, "GET", "/contactDeals/{id}", 200)
    assert (one["contactDeal"]["contact"], one["contactDeal"]["deal"]) == (other, deal["id"])

    updated = sandbox.ok(
        "PUT", f"/contactDeals/{row}", {"contactDeal": {"contact": int(third), "role": int(role)}}
    )
    assert_conforms(updated, "PUT", "/contactDeals/{id}", 200)
    assert sandbox.ok("GET", f"/contacts/{third}/contactDeals")["contactDeals"][0]["role"] == role

    assert_conforms(
        sandbox.ok("DELETE", f"/contactDeals/{row}"), "DELETE", "/contactDeals/{id}", 200
    )
    for method in ("GET", "PUT", "DELETE"):
        missing = sandbox.request(method, "/contactDeals/100", json={"contactDeal": {}})
        assert missing.status_code == 404
        assert_conforms(missing.json(), method, "/contactDeals/{id}", 404)
        assert missing.json() == {"message": "No Result found for SubscriberDeal with id 100"}


def test_secondary_contact_validation_conforms(sandbox, board):
    deal = make_deal(sandbox, board["contact"], board["stages"][0])
    other = make_contact(sandbox, "other@example.com")
    row = sandbox.ok(
        "POST", "/contactDeals", {"contactDeal": {"contact": other, "deal": deal["id"]}}
    )
    row_id = row["contactDeal"]["id"]
    third = make_contact(sandbox, "third@example.com")
    sandbox.ok("POST", "/contactDeals", {"contactDeal": {"contact": third, "deal": deal["id"]}})

    def check(response, method, path, index, title):
        assert response.status_code == 422
        examples = [r for r in operations()[(method, path)]["responses"] if r["status"] == 422]
        checked(method, path, 422)
        assert_like(response.json(), examples[index]["json"])
        assert response.json()["errors"][0]["title"] == title

    duplicate = "The given contact is already associated to the deal"
    for contact in (other, board["contact"]):  # the primary contact is associated too
        response = sandbox.post(
            "/contactDeals", {"contactDeal": {"contact": contact, "deal": deal["id"]}}
        )
        check(response, "POST", "/contactDeals", 0, duplicate)
    response = sandbox.post("/contactDeals", {"contactDeal": {"deal": deal["id"]}})
    check(response, "POST", "/contactDeals", 1, "The contactDeal contact was not provided.")
    response = sandbox.put(f"/contactDeals/{row_id}", json={"contactDeal": {"contact": third}})
    check(response, "PUT", "/contactDeals/{id}", 0, duplicate)
    response = sandbox.put(f"/contactDeals/{row_id}", json={"contactDeal": {"contact": 999}})
    check(response, "PUT", "/contactDeals/{id}", 1, "The related contact does not exist.")
    assert error_at(
        sandbox.post("/contactDeals", {"contactDeal": {"contact": other, "deal": 999}})
    ) == (
        "related_missing",
        "/data/attributes/deal",
    )
    assert sandbox.ok("GET", "/contactDeals")["meta"]["total"] == "2"
    assert sandbox.ok("GET", f"/contactDeals/{row_id}")["contactDeal"]["contact"] == other


def test_deleting_a_deal_removes_its_secondary_contacts(sandbox, board):
    deal = make_deal(sandbox, board["contact"], board["stages"][0])
    other = make_contact(sandbox, "other@example.com")
    sandbox.ok("POST", "/contactDeals", {"contactDeal": {"contact": other, "deal": deal["id"]}})
    sandbox.ok("DELETE", f"/deals/{deal['id']}")
    assert sandbox.ok("GET", "/contactDeals")["contactDeals"] == []


# Deal roles ------------------------------------------------------------------------------------


def test_deal_roles_conform(sandbox):
    created = sandbox.ok("POST", "/dealRoles", {"title": "Finance"}, status=200)
    assert_conforms(created, "POST", "/dealRoles", 200)
    sandbox.ok("POST", "/dealRoles", {"dealRole": {"title": "Contributor"}})
    listed = sandbox.ok("GET", "/dealRoles")
    assert_conforms(listed, "GET", "/dealRoles", 200)
    assert [r["title"] for r in listed["dealRoles"]] == ["Contributor", "Finance"]
    assert listed["meta"]["total"] == "2"
    assert [r["title"] for r in sandbox.ok("GET", "/dealRoles?search=fin")["dealRoles"]] == [
        "Finance"
    ]
    assert error_at(sandbox.post("/dealRoles", {"title": "finance"})) == (
        "duplicate",
        "/data/attributes/title",
    )
    assert error_at(sandbox.post("/dealRoles", {})) == ("field_missing", "/data/attributes/title")
    deleted = sandbox.ok("DELETE", f"/dealRoles/{created['dealRole']['id']}")
    assert_conforms(deleted, "DELETE", "/dealRoles/{id}", 200)
    assert sandbox.delete(f"/dealRoles/{created['dealRole']['id']}").status_code == 404
    assert sandbox.ok("GET", "/dealRoles")["meta"]["total"] == "1"
