"""Pipelines (``/dealGroups``) and stages (``/dealStages``) behave as the reference documents."""

from typing import Any

from acdash.sandbox import store
from tests.conformance.shapes import assert_conforms

# Helpers shared with test_deals.py ---------------------------------------------------------


def make_user(sandbox, username: str = "owner") -> str:
    """Users belong to another family; a record is all a deal owner needs."""
    data = {"username": username, "firstName": username.title(), "lastName": "", "email": ""}
    return store.create(sandbox.account, "user", data, key=username).id_str


def make_contact(sandbox, email: str = "jane@example.com", **attrs: Any) -> str:
    body = sandbox.ok("POST", "/contacts", {"contact": {"email": email, **attrs}})
    return body["contact"]["id"]


def make_pipeline(sandbox, title: str = "Sales", **attrs: Any) -> tuple[str, list[str]]:
    """A pipeline and its default stages' ids, in board order."""
    body = sandbox.ok(
        "POST", "/dealGroups", {"dealGroup": {"title": title, "currency": "usd"} | attrs}
    )
    return body["dealGroup"]["id"], body["dealGroup"]["stages"]


def make_deal(sandbox, contact: str, stage: str, **attrs: Any) -> dict[str, Any]:
    deal = {"title": "Deal", "contact": contact, "value": 1000, "currency": "usd", "stage": stage}
    deal |= {"owner": "1"} | attrs
    return sandbox.ok("POST", "/deals", {"deal": deal}, status=201)["deal"]


def fill_computed(sandbox, deal_id: str) -> None:
    """Give a deal the attributes only the API's own processes set (close date, win
    probability), as seeded deals have them, so its shape compares with the examples'."""
    record = store.find(sandbox.account, "deal", deal_id)
    computed = {"edate": "2019-11-22 14:15:37", "winProbability": 44}
    store.update(record, **computed, winProbabilityMdate="2019-10-05T12:27:22-05:00")


def error_at(response, status: int = 422) -> tuple[str, str]:
    """(code, pointer) of a 422's first error."""
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert {"title", "detail", "code", "source"} <= set(error)
    return error["code"], error["source"]["pointer"]


# Pipelines ---------------------------------------------------------------------------------


def test_create_pipeline_makes_default_stages_and_conforms(sandbox):
    for name in ("three", "four"):
        make_user(sandbox, name)
    request = {
        "dealGroup": {
            "title": "Qualifications",
            "allgroups": 1,
            "allusers": 0,
            "autoassign": 1,
            "currency": "eur",
            "users": ["1", "2"],
        }
    }
    body = sandbox.ok("POST", "/dealGroups", request, status=200)
    assert_conforms(body, "POST", "/dealGroups", 200)
    group = body["dealGroup"]
    assert [s["title"] for s in body["dealStages"]] == ["To Contact", "In Contact", "Follow Up"]
    assert group["stages"] == [s["id"] for s in body["dealStages"]]
    assert [u["user"] for u in body["dealGroupUsers"]] == ["1", "2"]
    assert group["dealGroupUsers"] == [u["id"] for u in body["dealGroupUsers"]]
    assert group["links"]["stages"].endswith(f"/api/3/dealGroups/{group['id']}/stages")

    detail = sandbox.ok("GET", f"/dealGroups/{group['id']}")
    assert_conforms(detail, "GET", "/dealGroups/{id}", 200)
    assert detail["dealGroup"]["currency"] == "eur"
    assert detail["dealGroup"]["allusers"] == "0"  # reads answer flags as strings


def test_pipeline_validation_is_422_and_writes_nothing(sandbox):
    code, pointer = error_at(sandbox.post("/dealGroups", {"dealGroup": {"currency": "usd"}}))
    assert (code, pointer) == ("field_missing", "/data/attributes/title")
    code, pointer = error_at(sandbox.post("/dealGroups", {"dealGroup": {"title": "T"}}))
    assert (code, pointer) == ("field_missing", "/data/attributes/currency")
    bad_user = {"dealGroup": {"title": "T", "currency": "usd", "users": ["99"]}}
    assert error_at(sandbox.post("/dealGroups", bad_user)) == (
        "related_missing",
        "/data/attributes/users",
    )
    bad_flag = {"dealGroup": {"title": "T", "currency": "usd", "autoassign": 7}}
    assert error_at(sandbox.post("/dealGroups", bad_flag))[1] == "/data/attributes/autoassign"
    assert sandbox.ok("GET", "/dealGroups")["meta"]["total"] == "0"
    assert sandbox.ok("GET", "/dealStages")["meta"]["total"] == "0"


def test_list_pipelines_filters_orders_and_side_loads_stages(sandbox):
    contact = make_contact(sandbox)
    make_user(sandbox)
    in_contact, _ = make_pipeline(sandbox, "In Contact Pipeline")
    busy, busy_stages = make_pipeline(sandbox, "Busy")
    empty = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "Bare", "currency": "usd"}})
    bare = empty["dealGroup"]["id"]
    for stage in empty["dealGroup"]["stages"]:
        sandbox.ok("DELETE", f"/dealStages/{stage}")
    for _ in range(2):
        make_deal(sandbox, contact, busy_stages[0])

    body = sandbox.ok("GET", "/dealGroups")
    assert_conforms(body, "GET", "/dealGroups", 200)
    assert body["meta"]["total"] == "3"
    assert {s["group"] for s in body["dealStages"]} == {in_contact, busy}

    def titles(query: str) -> list[str]:
        return [g["title"] for g in sandbox.ok("GET", f"/dealGroups?{query}")["dealGroups"]]

    assert titles("filters[title]=contact") == ["In Contact Pipeline"]
    assert titles("filters[have_stages]=1") == ["In Contact Pipeline", "Busy"]
    assert titles("filters[have_stages]=0") == ["Bare"]
    assert titles("orders[title]=ASC") == ["Bare", "Busy", "In Contact Pipeline"]
    assert titles("orders[title]=DESC") == ["In Contact Pipeline", "Busy", "Bare"]
    assert titles("orders[popular]=DESC")[0] == "Busy"
    page = sandbox.ok("GET", "/dealGroups?limit=1&offset=2")
    assert [g["id"] for g in page["dealGroups"]] == [bare] and page["meta"]["total"] == "3"
    assert page["dealStages"] == []


def test_update_pipeline_conforms_and_replaces_users(sandbox):
    for name in ("a", "b", "c"):
        make_user(sandbox, name)
    group, _ = make_pipeline(sandbox, users=["1", "2"])
    request = {
        "dealGroup": {
            "title": "Qualifications",
            "allgroups": 1,
            "allusers": 0,
            "autoassign": 1,
            "currency": "eur",
            "users": ["3"],
            "groups": [],
        }
    }
    body = sandbox.ok("PUT", f"/dealGroups/{group}", request)
    assert_conforms(body, "PUT", "/dealGroups/{id}", 200)
    assert [u["user"] for u in body["dealGroupUsers"]] == ["3"]
    detail = sandbox.ok("GET", f"/dealGroups/{group}")["dealGroup"]
    assert (detail["title"], detail["currency"]) == ("Qualifications", "eur")


def test_delete_pipeline_takes_its_stages_and_deals(sandbox):
    contact = make_contact(sandbox)
    make_user(sandbox)
    group, stages = make_pipeline(sandbox)
    other, other_stages = make_pipeline(sandbox, "Other")
    doomed = make_deal(sandbox, contact, stages[1])
    kept = make_deal(sandbox, contact, other_stages[0])
    # The reference's example is an empty string; the sandbox answers {} like other deletes.
    assert sandbox.ok("DELETE", f"/dealGroups/{group}") == {}
    missing = sandbox.get(f"/dealGroups/{group}")
    assert missing.status_code == 404
    assert missing.json() == {"message": f"No Result found for DealGroup with id {group}"}
    assert sandbox.get(f"/dealStages/{stages[0]}").status_code == 404
    assert sandbox.get(f"/deals/{doomed['id']}").status_code == 404
    assert sandbox.ok("GET", f"/deals/{kept['id']}")["deal"]["group"] == other
    assert sandbox.delete(f"/dealGroups/{group}").status_code == 404


# Stages ------------------------------------------------------------------------------------


def stage_request(group: str, **attrs: Any) -> dict[str, Any]:
    stage = {
        "title": "Initial Contact",
        "cardRegion1": "title",
        "cardRegion2": "next-action",
        "cardRegion3": "show-avatar",
        "cardRegion4": "contact-fullname-orgname",
        "cardRegion5": "value",
        "color": "32B0FC",
        "dealOrder": "next-action DESC",
        "group": group,
        "order": 1,
        "width": 360,
    }
    return {"dealStage": stage | attrs}


def test_stage_crud_conforms(sandbox):
    group, stages = make_pipeline(sandbox)
    # Default stages answer cdate/udate null (as POST /dealGroups shows); the GET /dealStages
    # example lists stages made by POST /dealStages, so list only those.
    for stage_id in stages:
        sandbox.ok("DELETE", f"/dealStages/{stage_id}")
    body = sandbox.ok("POST", "/dealStages", stage_request(group), status=200)
    assert_conforms(body, "POST", "/dealStages", 200)
    stage = body["dealStage"]
    assert (stage["group"], stage["width"], stage["title"]) == (group, 360, "Initial Contact")

    detail = sandbox.ok("GET", f"/dealStages/{stage['id']}")
    assert_conforms(detail, "GET", "/dealStages/{id}", 200)
    assert (detail["dealStage"]["width"], detail["dealStage"]["order"]) == ("360", "1")

    update = stage_request(group, title="Qualifications - Low", color="696969", width=270)
    body = sandbox.ok("PUT", f"/dealStages/{stage['id']}", update)
    assert_conforms(body, "PUT", "/dealStages/{id}", 200)
    assert sandbox.ok("GET", f"/dealStages/{stage['id']}")["dealStage"]["color"] == "696969"

    assert_conforms(sandbox.ok("GET", "/dealStages"), "GET", "/dealStages", 200)
    deleted = sandbox.ok("DELETE", f"/dealStages/{stage['id']}")
    assert_conforms(deleted, "DELETE", "/dealStages/{id}", 200)
    assert sandbox.get(f"/dealStages/{stage['id']}").status_code == 404
    assert sandbox.ok("GET", f"/dealGroups/{group}")["dealGroup"]["stages"] == []


def test_create_stage_appends_or_reorders(sandbox):
    group, _ = make_pipeline(sandbox)
    appended = sandbox.ok("POST", "/dealStages", {"dealStage": {"title": "Won", "group": group}})
    assert appended["dealStage"]["order"] == "4"
    assert appended["dealStage"]["width"] == "280"
    first = sandbox.ok("POST", "/dealStages?reorder=1", stage_request(group, title="First"))
    # Equal orders: the newest stage goes first, the rest follow.
    assert first["dealStage"]["order"] == 1
    board = sandbox.ok("GET", f"/dealGroups/{group}")
    order = [(s["title"], s["order"]) for s in board["dealStages"]]
    assert order == [
        ("First", "1"),
        ("To Contact", "2"),
        ("In Contact", "3"),
        ("Follow Up", "4"),
        ("Won", "5"),
    ]


def test_stage_validation_is_422(sandbox):
    group, _ = make_pipeline(sandbox)
    response = sandbox.post("/dealStages", {"dealStage": {"group": group}})
    assert error_at(response) == ("field_missing", "/data/attributes/title")
    response = sandbox.post("/dealStages", {"dealStage": {"title": "X", "group": "999"}})
    assert error_at(response) == ("related_missing", "/data/attributes/group")
    response = sandbox.post("/dealStages", stage_request(group, width="wide"))
    assert error_at(response)[1] == "/data/attributes/width"
    assert sandbox.ok("GET", "/dealStages")["meta"]["total"] == "3"
    assert sandbox.get("/dealStages/999").json() == {
        "message": "No Result found for DealStage with id 999"
    }


def test_list_stages_filters_and_orders(sandbox):
    first, _ = make_pipeline(sandbox, "First")
    second, _ = make_pipeline(sandbox, "Second")
    sandbox.ok("POST", "/dealStages", {"dealStage": {"title": "Alpha", "group": second}})

    def titles(query: str) -> list[str]:
        return [s["title"] for s in sandbox.ok("GET", f"/dealStages?{query}")["dealStages"]]

    assert titles(f"filters[d_groupid]={first}") == ["To Contact", "In Contact", "Follow Up"]
    assert titles("filters[title]=contact") == ["To Contact", "In Contact"] * 2
    assert titles(f"filters[d_groupid]={second}&orders[title]=ASC") == [
        "Alpha",
        "Follow Up",
        "In Contact",
        "To Contact",
    ]
    page = sandbox.ok("GET", "/dealStages?limit=2&offset=6")
    assert [s["title"] for s in page["dealStages"]] == ["Alpha"] and page["meta"]["total"] == "7"


def test_stage_with_deals_cannot_be_deleted_until_they_move(sandbox):
    contact = make_contact(sandbox)
    make_user(sandbox)
    group, stages = make_pipeline(sandbox)
    _, foreign = make_pipeline(sandbox, "Other")
    deals = [make_deal(sandbox, contact, stages[0], title=t) for t in ("Another", "Urgent")]
    for deal in deals:
        fill_computed(sandbox, deal["id"])
    assert error_at(sandbox.delete(f"/dealStages/{stages[0]}"))[1] == "/data/attributes/stage"

    wrong = sandbox.put(f"/dealStages/{stages[0]}/deals", json={"deal": {"stage": foreign[0]}})
    assert wrong.status_code == 422
    assert_conforms(wrong.json(), "PUT", "/dealStages/{id}/deals", 422)
    assert wrong.json()["errors"][0]["detail"] == "Target stage does not belong to same pipeline"

    moved = sandbox.ok("PUT", f"/dealStages/{stages[0]}/deals", {"deal": {"stage": stages[2]}})
    assert_conforms(moved, "PUT", "/dealStages/{id}/deals", 200)
    assert [d["id"] for d in moved["deals"]] == [d["id"] for d in deals]
    for deal in deals:
        assert sandbox.ok("GET", f"/deals/{deal['id']}")["deal"]["stage"] == stages[2]
    assert sandbox.ok("DELETE", f"/dealStages/{stages[0]}") == {}
    assert sandbox.ok("GET", f"/dealGroups/{group}")["dealGroup"]["stages"] == stages[1:]


def test_stage_moved_to_another_pipeline_takes_its_deals(sandbox):
    contact = make_contact(sandbox)
    make_user(sandbox)
    _, stages = make_pipeline(sandbox)
    other, _ = make_pipeline(sandbox, "Other")
    deal = make_deal(sandbox, contact, stages[0])
    sandbox.ok("PUT", f"/dealStages/{stages[0]}", {"dealStage": {"group": other}})
    assert sandbox.ok("GET", f"/deals/{deal['id']}")["deal"]["group"] == other
