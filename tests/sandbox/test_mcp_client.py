"""A client written by others is the test: ActiveCampaign's official MCP server.

Its HTTP client is ``ACMCPHttpClient`` in ``ac_mcp_server/ac_client.py`` of the package
``ac-mcp-server`` 0.12.0 (PyPI; the archived ActiveCampaign MCP server), with its request
parameter models in ``ac_mcp_server/types.py``. The package is not a dependency (it needs
fastmcp, and is not on the local index), so ``McpClient`` below repeats what
``ACMCPHttpClient`` sends, method by method: the same paths, query parameters (as its
``_generate_query_params`` flattens the models: ``filters[x]``, ``orders[x]``,
``filters[x][op]``), JSON bodies (``{"<envelope>": model_dump(exclude_none=True)}``),
headers (``User-Agent: ac-mcp-client-0.1.0`` and ``Api-Token``), and its handling of the
answer: ``raise_for_status()`` then ``response.json()``. Each test then reads the answer the
way the client's callers do.
"""

from typing import Any

import requests

from acdash.sandbox.routing import resolve
from tests.conformance.shapes import assert_conforms


class McpClient:
    def __init__(self, sandbox) -> None:
        # ACMCPHttpClientAuth(url=AC_API_URL, header_name="Api-Token", header_value=token);
        # endpoints start with /api/3, so the url is the account URL a user pastes.
        self.base_url = sandbox.api_url
        self.headers = {"User-Agent": "ac-mcp-client-0.1.0", "Api-Token": sandbox.account.api_token}

    def call_ac_api(self, endpoint: str, method: str = "GET", data=None, params=None) -> Any:
        url = f"{self.base_url}{endpoint}"
        if data:
            response = requests.request(method, url, headers=self.headers, json=data, params=params)
        else:
            response = requests.request(method, url, headers=self.headers, params=params)
        response.raise_for_status()
        return response.json()

    # The client's methods, in its order.
    def list_contacts(self, params):
        return self.call_ac_api("/api/3/contacts", params=params)

    def get_contact(self, contact_id):
        return self.call_ac_api(f"/api/3/contacts/{contact_id}")

    def create_or_update_contact(self, contact):
        return self.call_ac_api("/api/3/contact/sync", method="POST", data={"contact": contact})

    def list_tags(self, params):
        return self.call_ac_api("/api/3/tags", params=params)

    def get_tag(self, tag_id):
        return self.call_ac_api(f"/api/3/tags/{tag_id}")

    def create_contact_tag(self, tag):
        return self.call_ac_api("/api/3/tags", method="POST", data={"tag": tag})

    def add_tag_to_contact(self, contact_tag):
        data = {"contactTag": contact_tag}
        return self.call_ac_api("/api/3/contactTags", method="POST", data=data)

    def list_contact_custom_fields(self, params):
        return self.call_ac_api("/api/3/fields", params=params)

    def get_contact_custom_field(self, field_id):
        return self.call_ac_api(f"/api/3/fields/{field_id}")

    def create_contact_custom_field(self, field):
        custom_field = self.call_ac_api("/api/3/fields", method="POST", data={"field": field})
        # "Always associate custom fields with the relid 0" (the client's own comment).
        self.create_contact_field_relationship({"relid": 0, "field": custom_field["field"]["id"]})
        return custom_field

    def create_field_options(self, options):
        data = {"fieldOptions": options}
        return self.call_ac_api("/api/3/fieldOptions/bulk", method="POST", data=data)

    def create_contact_field_relationship(self, rel):
        return self.call_ac_api("/api/3/fieldRels", method="POST", data={"fieldRel": rel})

    def list_contact_field_values(self, params):
        return self.call_ac_api("/api/3/fieldValues", params=params)

    def get_contact_field_value(self, field_value_id):
        return self.call_ac_api(f"/api/3/fieldValues/{field_value_id}")

    def create_contact_field_value(self, value):
        data = {"fieldValue": value}
        return self.call_ac_api("/api/3/fieldValues", method="POST", data=data)

    def update_contact_field_value(self, field_value_id, value):
        endpoint = f"/api/3/fieldValues/{field_value_id}"
        return self.call_ac_api(endpoint, method="PUT", data={"fieldValue": value})

    def list_email_activities(self, params):
        return self.call_ac_api("/api/3/emailActivities", params=params)

    def list_campaigns(self, params):
        return self.call_ac_api("/api/3/campaigns", params=params)

    def get_campaign(self, campaign_id):
        return self.call_ac_api(f"/api/3/campaigns/{campaign_id}")

    def get_campaign_links(self, campaign_id):
        return self.call_ac_api(f"/api/3/campaigns/{campaign_id}/links")

    def list_automations(self, params):
        return self.call_ac_api("/api/3/automations", params=params)

    def list_contact_automations(self, params):
        return self.call_ac_api("/api/3/contactAutomations", params=params)

    def get_contact_automation(self, contact_automation_id):
        return self.call_ac_api(f"/api/3/contactAutomations/{contact_automation_id}")

    def add_contact_to_automation(self, contact_automation):
        data = {"contactAutomation": contact_automation}
        return self.call_ac_api("/api/3/contactAutomations", method="POST", data=data)

    def remove_contact_from_automation(self, contact_automation_id):
        endpoint = f"/api/3/contactAutomations/{contact_automation_id}"
        return self.call_ac_api(endpoint, method="DELETE")

    def list_groups(self, params):
        return self.call_ac_api("/api/3/groups", params=params)

    def list_lists(self, params):
        return self.call_ac_api("/api/3/lists", params=params)

    def get_list(self, list_id):
        return self.call_ac_api(f"/api/3/lists/{list_id}")

    def create_list(self, list_params):
        return self.call_ac_api("/api/3/lists", method="POST", data={"list": list_params})

    def update_list(self, list_id, list_params):
        endpoint = f"/api/3/lists/{list_id}"
        return self.call_ac_api(endpoint, method="PUT", data={"list": list_params})

    def create_list_group_permission(self, permission):
        data = {"listGroup": permission}
        return self.call_ac_api("/api/3/listGroups", method="POST", data=data)

    def add_contact_to_list(self, contact_list):
        data = {"contactList": contact_list}
        return self.call_ac_api("/api/3/contactLists", method="POST", data=data)


# ListCreateParams(name=…, sender_url=…, sender_reminder=…) as model_dump(exclude_none=True)
# gives it: the model's defaults included, no stringid.
NEW_LIST = {
    "name": "MCP list",
    "channel": "email",
    "sender_url": "https://example.com",
    "sender_reminder": "You signed up on our site.",
    "send_last_broadcast": 0,
    "carboncopy": "",
    "subscription_notify": "",
    "unsubscription_notify": "",
}


def test_campaigns_links_and_email_activities(seeded):
    client = McpClient(seeded)
    # CampaignListParams(limit=5, orders={"sdate": "DESC"}, filters={"type": "single"}, status=…)
    campaigns = client.list_campaigns(
        {"limit": 5, "orders[sdate]": "DESC", "filters[type]": "single"}
    )
    assert_conforms(campaigns, "GET", "/campaigns", 200)
    assert len(campaigns["campaigns"]) == 5 and campaigns["meta"]["total"] == "6"
    first = campaigns["campaigns"][0]
    for key in ("type", "userid", "name", "status", "links", "id", "user"):  # its Campaign model
        assert isinstance(first[key], str | dict)
    campaign = client.get_campaign(int(first["id"]))
    assert campaign["campaign"]["id"] == first["id"]
    links = client.get_campaign_links(int(first["id"]))
    assert {"campaignid", "messageid", "link", "name", "ref", "tracked", "id"} <= set(
        links["links"][0]
    )
    # EmailActivityListParams(limit=10, orders={"tstamp": "DESC"}, filters={"subscriberid": …})
    everything = client.list_email_activities({"limit": 100})
    assert int(everything["meta"]["total"]) >= 6
    one = everything["emailActivities"][0]
    mine = client.list_email_activities(
        {"limit": 10, "orders[tstamp]": "DESC", "filters[subscriberid]": one["subscriberid"]}
    )
    assert {a["subscriberid"] for a in mine["emailActivities"]} == {one["subscriberid"]}
    for key in ("subscriberid", "userid", "d_id", "reltype", "relid", "tstamp", "id", "contact"):
        assert isinstance(one[key], str), key


def test_automations_and_contact_automations_add_list_read_remove(seeded):
    client = McpClient(seeded)
    # AutomationListParams(limit=10, filters={"status": "1"}, orders={"name": "ASC"})
    automations = client.list_automations(
        {"limit": 10, "filters[status]": "1", "orders[name]": "ASC"}
    )
    names = [a["name"] for a in automations["automations"]]
    assert names == sorted(names) and len(names) == 3
    assert {"total", "starts", "filtered"} <= set(automations["meta"])  # its AutomationMeta

    contact = client.create_or_update_contact(
        {"email": "mcp@example.com", "firstName": "Mo", "lastName": "Cee", "phone": "555"}
    )["contact"]
    automation = automations["automations"][0]["id"]
    # ContactAutomationCreateParams(contact=int, automation=int): integers in the body.
    created = client.add_contact_to_automation(
        {"contact": int(contact["id"]), "automation": int(automation)}
    )
    entry = created["contactAutomation"]
    assert (entry["contact"], entry["automation"]) == (contact["id"], automation)
    assert created["contacts"][0]["email"] == "mcp@example.com"

    # ContactAutomationListParams(filters={"subscriberid": …, "adddate": {"gte": "2020-01-01"}})
    listed = client.list_contact_automations({"filters[subscriberid]": contact["id"], "limit": 20})
    assert [ca["id"] for ca in listed["contactAutomations"]] == [entry["id"]]
    assert listed["meta"]["total"] == "1"
    read = client.get_contact_automation(int(entry["id"]))
    assert read["contactAutomation"]["automation"] == automation
    assert client.remove_contact_from_automation(int(entry["id"])) == {}
    after = client.list_contact_automations({"filters[subscriberid]": contact["id"]})
    assert after["contactAutomations"] == []
    detail = client.get_contact(int(contact["id"]))
    assert detail["contact"]["contactAutomations"] == []


def test_lists_groups_and_list_group_permissions(seeded):
    client = McpClient(seeded)
    groups = client.list_groups({"limit": 10})
    assert int(groups["meta"]["total"]) >= 1 and groups["groups"][0]["title"]
    created = client.create_list(NEW_LIST)["list"]
    assert created["stringid"] == "mcp-list" and created["name"] == "MCP list"
    assert client.get_list(int(created["id"]))["list"]["stringid"] == "mcp-list"
    # ListListParams(filters=ListFilters(name="MCP"), orders=ListOrders(name="ASC"))
    found = client.list_lists({"filters[name]": "MCP", "orders[name]": "ASC"})
    assert [item["id"] for item in found["lists"]] == [created["id"]]
    # ListGroupPermissionParams(listid=int, groupid=int)
    permission = client.create_list_group_permission(
        {"listid": int(created["id"]), "groupid": int(groups["groups"][0]["id"])}
    )
    assert permission["listGroup"]["list"] == int(created["id"])
    contact = client.list_contacts({"limit": 1, "orders[id]": "ASC"})["contacts"][0]
    joined = client.add_contact_to_list(
        {"contact": int(contact["id"]), "list": int(created["id"]), "status": 1}
    )
    assert joined["contactList"]["list"] == created["id"]


def test_contacts_tags_and_custom_fields(seeded):
    client = McpClient(seeded)
    # ContactListParams(limit=5, search="a", orders={"email": "ASC"}, status=ContactStatus.ANY)
    contacts = client.list_contacts({"limit": 5, "orders[email]": "ASC", "status": -1})
    assert len(contacts["contacts"]) == 5 and int(contacts["meta"]["total"]) >= 40
    contact_id = int(contacts["contacts"][0]["id"])
    # TagCreateParams(tag=…) dumps description "" and tagType "contact".
    tag = client.create_contact_tag({"tag": "From MCP", "description": "", "tagType": "contact"})
    assert client.get_tag(int(tag["tag"]["id"]))["tag"]["tag"] == "From MCP"
    # TagListParams(search_filters={"contains": "MCP"}) -> filters[search][contains]
    tags = client.list_tags({"filters[search][contains]": "MCP", "limit": 10})
    assert [t["tag"] for t in tags["tags"]] == ["From MCP"]
    added = client.add_tag_to_contact({"contact": contact_id, "tag": int(tag["tag"]["id"])})
    assert added["contactTag"]["contact"] == str(contact_id)

    field = client.create_contact_custom_field({"title": "MCP colour", "type": "dropdown"})
    field_id = field["field"]["id"]
    assert client.get_contact_custom_field(int(field_id))["field"]["title"] == "MCP colour"
    fields = client.list_contact_custom_fields({"limit": 100})
    assert field_id in [f["id"] for f in fields["fields"]]

    value = client.create_contact_field_value(
        {"contact": contact_id, "field": int(field_id), "value": "red"}
    )
    value_id = int(value["fieldValue"]["id"])
    client.update_contact_field_value(value_id, {"value": "blue"})
    assert client.get_contact_field_value(value_id)["fieldValue"]["value"] == "blue"
    # ContactFieldValueListParams(filters={"fieldid": int})
    values = client.list_contact_field_values({"filters[fieldid]": int(field_id)})
    assert [v["value"] for v in values["fieldValues"]] == ["blue"]


def served(method: str, path: str) -> bool:
    return resolve(method, path) is not None


def test_list_update_and_field_options(seeded):
    """Two endpoints the reference leaves out (``PUT /lists/{id}``) or spells otherwise
    (``/fieldOption/bulk``); the sandbox's custom-field and list modules serve them."""
    assert served("PUT", "lists/1") and served("POST", "fieldOptions/bulk")
    client = McpClient(seeded)
    created = client.create_list(NEW_LIST)["list"]
    # ListUpdateParams(name=…) dumps its defaults too.
    changed = {**{k: v for k, v in NEW_LIST.items() if k != "channel"}, "name": "MCP renamed"}
    assert client.update_list(int(created["id"]), changed)["list"]["name"] == "MCP renamed"
    field_id = client.create_contact_custom_field({"title": "Size", "type": "dropdown"})["field"][
        "id"
    ]
    options = [
        {"orderid": 1, "value": "s", "label": "Small", "isdefault": False, "field": field_id},
        {"orderid": 2, "value": "l", "label": "Large", "isdefault": False, "field": field_id},
    ]
    made = client.create_field_options(options)
    assert [o["value"] for o in made["fieldOptions"]] == ["s", "l"]
