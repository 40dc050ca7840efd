"""Tags and lists over HTTP: counts that match the sandbox at 1 call per item shown (the
only count the API offers), rename, merge (every contact of the merged tag re-tagged,
batch by batch, then the tag deleted), delete unused; lists created and renamed; the API's
422s by the field; every write audited."""

import pytest

from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.setup import tags as tag_views

from . import form_values
from .conftest import record, records

TAGS = "/a/acme/tags/"


def _tagged(tag_id: int) -> set[int]:
    return {r.parent for r in records("contactTag") if r.key == str(tag_id)}


def _by_count() -> list:
    """The contact tags, most used first."""
    tags = [t for t in records("tag") if t.data["tagType"] == "contact"]
    return sorted(tags, key=lambda t: (-len(_tagged(t.rid)), t.rid))


def test_tags_are_listed_by_name_with_their_contact_counts(acme, admin_client):
    with count_api_calls() as calls:
        html = admin_client.get(TAGS).content.decode()
    shown = sorted(records("tag"), key=lambda t: t.data["tag"].lower())[:20]
    for tag in shown:
        row = html.split(f'data-tag-id="{tag.rid}"')[1].split("</tr>")[0]
        assert f'<td class="col-count" data-label="Contacts">{len(_tagged(tag.rid))}</td>' in row
    assert calls.count == 1 + len(shown)


def test_rename_a_tag_and_a_name_in_use_is_refused_by_the_name(acme, admin_client):
    first, second = _by_count()[:2]
    url = f"{TAGS}{first.rid}/rename/"
    html = admin_client.post(url, {"name": second.data["tag"]}).content.decode()
    assert "already exists" in html.split('id="field-name"')[1]
    assert record("tag", tag=first.data["tag"]).rid == first.rid
    response = admin_client.post(url, {"name": "Renamed tag"}, follow=True)
    assert f"Renamed tag “{first.data['tag']}” to “Renamed tag”." in response.content.decode()
    assert record("tag", tag="Renamed tag").rid == first.rid
    assert [e.action for e in AuditEntry.objects.all()] == ["update"]


@pytest.mark.parametrize("htmx", [False, True])
def test_merge_retags_every_contact_of_the_merged_tag_then_deletes_it(
    acme, admin_client, monkeypatch, htmx
):
    monkeypatch.setattr(tag_views, "MERGE_BATCH", 3)
    source, target = _by_count()[:2]
    moving, kept = _tagged(source.rid), _tagged(target.rid)
    assert len(moving) > 3  # more than one batch
    url = f"{TAGS}{source.rid}/merge/"
    page = admin_client.get(url).content.decode()
    assert f"({len(moving)} contacts)" in page
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data: dict = {"into": target.rid}
    steps = 0
    while True:
        response = admin_client.post(url, data, **headers)
        steps += 1
        if response.status_code == 302 or "HX-Redirect" in response:
            break
        html = response.content.decode()
        assert "Re-tagged" in html and "left" in html
        data = form_values(f"<main>{html}</main>") if htmx else form_values(html)
        assert steps < 50
    assert steps == -(-len(moving) // 3)
    assert _tagged(target.rid) == moving | kept
    assert not [t for t in records("tag") if t.rid == source.rid]
    assert not _tagged(source.rid)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["merge.retag"] * steps + ["merge"]
    assert f"{len(moving)} contacts re-tagged" in entries[-1].summary


def test_only_an_unused_tag_is_deleted(acme, admin_client):
    used = _by_count()[0]
    page = admin_client.get(f"{TAGS}{used.rid}/delete/").content.decode()
    assert "only unused tags are deleted here" in page
    admin_client.post(f"{TAGS}{used.rid}/delete/")
    assert record("tag", tag=used.data["tag"])
    unused = next(t for t in records("tag") if not _tagged(t.rid))
    response = admin_client.post(f"{TAGS}{unused.rid}/delete/", follow=True)
    assert f"Deleted the unused tag “{unused.data['tag']}”." in response.content.decode()
    assert not [t for t in records("tag") if t.rid == unused.rid]


def _subscribers(list_id: int) -> int:
    return len(
        [r for r in records("contactList") if r.key == str(list_id) and r.data["status"] == "1"]
    )


def test_lists_show_their_subscriber_counts(acme, admin_client):
    with count_api_calls() as calls:
        html = admin_client.get("/a/acme/lists/").content.decode()
    for found in records("list"):
        row = html.split(f'data-list-id="{found.rid}"')[1].split("</tr>")[0]
        assert f'data-label="Subscribers">{_subscribers(found.rid)}</td>' in row
    assert calls.count == 1 + len(records("list"))


def test_create_and_rename_a_list(acme, admin_client):
    taken = records("list")[0].data["name"]
    form = {"name": taken, "sender_url": "https://acme.example", "sender_reminder": "You asked."}
    html = admin_client.post("/a/acme/lists/new/", form).content.decode()
    assert "There is already a list with this name." in html.split('id="field-name"')[1]
    response = admin_client.post("/a/acme/lists/new/", {**form, "name": "Launch news"}, follow=True)
    assert "Created list “Launch news”." in response.content.decode()
    created = record("list", name="Launch news")
    assert created.data["sender_url"] == "https://acme.example"
    admin_client.post(f"/a/acme/lists/{created.rid}/rename/", {"name": "Launch updates"})
    assert record("list", name="Launch updates").rid == created.rid
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["create", "update"]
    assert "Launch updates" in admin_client.get("/a/acme/lists/").content.decode()
