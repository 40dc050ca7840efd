"""A contact page that meets a tag, list, field or organization created in ActiveCampaign
since acdash cached the account's metadata reloads that metadata once, instead of showing
"(unnamed tag)" or "—". Over real HTTP against the sandbox.
"""

from collections import Counter

from acdash.activecampaign import count_api_calls
from acdash.sandbox.models import SandboxAccount

from . import test_detail as shared
from .test_detail import page_url, section, warm_metadata

acme, api, ac, person = shared.acme, shared.api, shared.ac, shared.person


def gets(calls) -> Counter:
    return Counter(c.path for c in calls.calls if c.method == "GET")


def test_names_created_since_the_cache_was_filled_are_shown(acme, ac, api, admin_client, person):
    warm_metadata(ac)
    # Behind acdash's back: a new tag, list, field and organization, all on the contact.
    tag = api.ok("POST", "/tags", {"tag": {"tag": "Late tag", "tagType": "contact"}})["tag"]
    api.ok("POST", "/contactTags", {"contactTag": {"contact": str(person.id), "tag": tag["id"]}})
    new_list = {"name": "Late list", "stringid": "late", "sender_url": "https://x.example"}
    new_list["sender_reminder"] = "You signed up."
    listed = api.ok("POST", "/lists", {"list": new_list})["list"]
    membership = {"list": int(listed["id"]), "contact": person.id, "status": 1}
    api.ok("POST", "/contactLists", {"contactList": membership})
    field = api.ok("POST", "/fields", {"field": {"title": "Shoe size", "type": "text"}})["field"]
    values = [{"field": field["id"], "value": "42"}]
    api.ok("PUT", f"/contacts/{person.id}", {"contact": {"fieldValues": values}})
    org = api.ok("POST", "/accounts", {"account": {"name": "Late Org"}})["account"]
    link = {"contact": person.id, "account": int(org["id"])}
    api.ok("POST", "/accountContacts", {"accountContact": link})

    with count_api_calls() as calls:
        html = admin_client.get(page_url(person.id)).content.decode()
    assert ">Late tag" in section(html, "tags") and "(unnamed tag)" not in html
    assert "Late list" in section(html, f"list-{listed['id']}")
    assert "Shoe size" in html and "42" in section(html, f"field-{field['id']}")
    assert "<dd>Late Org</dd>" in html
    reloaded = gets(calls)
    for path in ("/tags", "/lists", "/fields", "/accounts"):
        assert reloaded[path] == 1, calls.summary()  # once each, in this request

    with count_api_calls() as calls:
        admin_client.get(page_url(person.id))
    assert not {"/tags", "/lists", "/fields", "/accounts"} & set(gets(calls)), calls.summary()


def test_an_id_that_stays_missing_reloads_once_per_request(acme, ac, admin_client, person):
    # A link to a tag the API no longer has (as left by a concurrent delete).
    sandbox = SandboxAccount.objects.get(slug="acme")
    ghost = {"contact": str(person.id), "tag": "98765", "cdate": "2024-01-01T00:00:00-06:00"}
    sandbox.records.create(kind="contactTag", rid=999, parent=person.id, data=ghost)
    warm_metadata(ac)
    for _ in range(2):
        with count_api_calls() as calls:
            response = admin_client.get(page_url(person.id))
        assert response.status_code == 200
        assert gets(calls)["/tags"] == 1, calls.summary()
