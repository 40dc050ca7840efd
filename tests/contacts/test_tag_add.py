"""Adding a tag on the contact page: a tag the contact has already, a tag created in
ActiveCampaign since the cache was filled, and suggestion ids that are not tags. Over real
HTTP against the sandbox; the sandbox's request log and records are the oracle.
"""

import pytest

from acdash.activecampaign import count_api_calls, tags
from acdash.audit.models import AuditEntry

from . import test_detail as shared
from .test_detail import HTMX, section, warm_metadata

acme, api, ac, person = shared.acme, shared.api, shared.ac, shared.person


def add_url(contact_id: int) -> str:
    return f"/a/acme/contacts/{contact_id}/tags/"


def tag_writes(api) -> int:
    """Tags created and contacts tagged, as the sandbox logged them."""
    counts = api.log()["by_operation"]
    return sum(n for op, n in counts.items() if op in {"Tag_createTag", "Tag_addContactTag"})


def test_adding_a_tag_the_contact_has_says_already_tagged_and_writes_nothing(
    acme, ac, api, admin_client, person
):
    vip = next(t for t in tags.search_tags(ac, "vip") if t.name == "vip")
    tags.add_tag(ac, person.id, vip.id)
    warm_metadata(ac)
    writes = tag_writes(api)
    assert writes == 1
    for posted in ({"tag": "VIP"}, {"tag": "vi", "tag_id": vip.id}):
        with count_api_calls() as calls:
            response = admin_client.post(add_url(person.id), posted, headers=HTMX)
        html = response.content.decode()
        assert "Already tagged “vip”." in html
        assert response["HX-Retarget"] == "#tags"
        assert [c.method for c in calls.calls] == ["GET"], calls.summary()
    assert tag_writes(api) == writes
    assert [t.name for t in tags.contact_tags(ac, person.id)] == ["vip"]
    assert not AuditEntry.objects.exists()


def test_a_tag_created_in_activecampaign_since_is_used_not_refused(
    acme, ac, api, admin_client, person
):
    warm_metadata(ac)  # the cached catalog lacks the tag created next
    api.ok("POST", "/tags", {"tag": {"tag": "Trade show 2026", "tagType": "contact"}})
    with count_api_calls() as calls:
        html = admin_client.post(
            add_url(person.id), {"tag": "trade show 2026"}, headers=HTMX
        ).content.decode()
    assert "Added tag “Trade show 2026”." in html
    assert ">Trade show 2026" in section(html, "tags")
    lookups = [c for c in calls.calls if c.method == "GET" and c.path == "/tags"]
    assert len(lookups) <= 2, calls.summary()  # the lookup by name, and the reloaded cache
    assert not [c for c in calls.calls if c.method == "POST" and c.path == "/tags"]
    assert [t.name for t in tags.contact_tags(ac, person.id)] == ["Trade show 2026"]
    entries = AuditEntry.objects.filter(account=acme).values_list("object_type", "action")
    assert list(entries) == [("contact", "tag.add")]  # no tag was created


@pytest.mark.parametrize("tag_id", ["abc", "-5", "0", "1.5", "9" * 30, "999999"])
def test_a_bad_tag_id_gets_a_clear_message_and_writes_nothing(
    acme, ac, api, admin_client, person, tag_id
):
    writes = tag_writes(api)
    response = admin_client.post(add_url(person.id), {"tag": "", "tag_id": tag_id}, headers=HTMX)
    assert response.status_code < 500
    form = section(response.content.decode(), "tag-form")
    assert "That is not a tag of this account: type the tag&#x27;s name instead." in form
    assert 'aria-invalid="true"' in form
    assert tag_writes(api) == writes
    assert tags.contact_tags(ac, person.id) == []
    assert not AuditEntry.objects.exists()


def test_the_tag_form_is_a_combobox_with_its_script(acme, admin_client, person):
    page = admin_client.get(f"/a/acme/contacts/{person.id}/").content.decode()
    form = section(page, "tag-form")
    assert 'role="combobox"' in form and 'aria-controls="tag-suggestions"' in form
    assert 'role="listbox"' in form and 'aria-expanded="false"' in form
    assert 'src="/static/js/tag-suggest.js"' in form
    added = admin_client.post(add_url(person.id), {"tag": "fresh"}, headers=HTMX).content.decode()
    assert "tag-suggest.js" not in added  # loaded once, by the page
    assert "data-focus-after-swap" in section(added, "tag-form")
