"""The webhooks screens over HTTP against a seeded sandbox account: the list, a create /
edit / delete round trip (audited), events and sources from the API's own lists, bad input
refused before any call, and the API's 422 shown by the field it names."""

import re
from html import unescape

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import count_api_calls, metadata, webhooks
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxRecord
from tests.contacts import table_rows

LIST = "/a/acme/webhooks/"
NEW = LIST + "new/"


def _hooks() -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug="acme", kind="webhook").order_by("rid"))


def _text(response) -> str:
    return unescape(response.content.decode())


def _checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'type="checkbox" name="{name}" value="([^"]+)"', html)


def test_the_list_shows_the_accounts_webhooks(as_role):
    rows = table_rows(as_role("viewer").get(LIST).content.decode())
    assert [row["name"] for row in rows] == [r.data["name"] for r in _hooks()]
    assert rows[0]["url"] == _hooks()[0].data["url"]
    assert rows[0]["events"] == ", ".join(_hooks()[0].data["events"])
    assert "actions" not in rows[0]  # a viewer gets no edit links


def test_the_form_offers_the_apis_own_events_and_sources(as_role):
    html = as_role("editor").get(NEW).content.decode()
    assert "sms_reply" in _checkboxes(html, "events") and "deal_add" in _checkboxes(html, "events")
    assert sorted(_checkboxes(html, "sources")) == ["admin", "api", "public", "system"]


def test_create_edit_and_delete_round_trip_through_the_screens(as_role):
    client = as_role("editor")
    created = client.post(
        NEW,
        {
            "name": "Order feed",
            "url": "https://hooks.example.com/orders",
            "events": ["subscribe", "sent"],
            "sources": ["api"],
        },
    )
    assert created.status_code == 302 and created["Location"] == LIST
    hook = next(r for r in _hooks() if r.data["name"] == "Order feed")
    assert hook.data["events"] == ["subscribe", "sent"] and hook.data["sources"] == ["api"]
    listed = client.get(LIST)
    assert "Order feed" in [row["name"] for row in table_rows(listed.content.decode())]
    assert "Created webhook “Order feed”." in _text(listed)

    edit_url = f"{LIST}{hook.rid}/"
    form = _text(client.get(edit_url))
    assert 'value="https://hooks.example.com/orders"' in form
    assert re.search(r'value="sent"[^>]*checked', form)
    saved = client.post(
        edit_url,
        {
            "name": "Order feed 2",
            "url": "https://hooks.example.com/v2",
            "events": ["open"],
            "sources": ["api", "admin"],
        },
    )
    assert saved.status_code == 302
    hook.refresh_from_db()
    assert hook.data["name"] == "Order feed 2" and hook.data["events"] == ["open"]

    confirm = client.get(f"{edit_url}delete/")
    assert "Delete webhook “Order feed 2”?" in _text(confirm)
    assert SandboxRecord.objects.filter(pk=hook.pk).exists()  # the GET only asks
    deleted = client.post(f"{edit_url}delete/")
    assert deleted.status_code == 302
    assert not SandboxRecord.objects.filter(pk=hook.pk).exists()
    listed = client.get(LIST)
    assert "Deleted webhook “Order feed 2”." in _text(listed)
    assert "Order feed 2" not in [row["name"] for row in table_rows(listed.content.decode())]

    trail = list(
        AuditEntry.objects.order_by("pk").values_list("object_type", "action", "object_id")
    )
    assert trail == [("webhook", a, str(hook.rid)) for a in ("create", "update", "delete")]
    update = AuditEntry.objects.get(action="update")
    assert update.before["name"] == "Order feed" and update.after["name"] == "Order feed 2"


def test_a_value_outside_the_apis_lists_is_refused_before_any_call(as_role):
    client = as_role("editor")
    client.get(NEW)  # the lists are now cached
    with count_api_calls() as calls:
        response = client.post(
            NEW, {"name": "X", "url": "ftp://nope", "events": ["teleport"], "sources": ["moon"]}
        )
    html = _text(response)
    assert response.status_code == 200
    assert html.count("Select a valid choice") == 2 and "Enter a valid URL" in html
    assert calls.count == 0
    assert len(_hooks()) == 2


def test_the_apis_422_for_an_unknown_event_is_shown_by_the_events_field(as_role, acme):
    """The event lists are cached: one the API has since stopped accepting still passes
    the form, and the API's refusal lands by the field (and the stale lists are dropped)."""
    api = client_for_account(acme)
    metadata.cached(api, webhooks.EVENTS_CACHE, lambda: ["subscribe", "teleport"])
    client = as_role("editor")
    response = client.post(
        NEW,
        {"name": "X", "url": "https://x.example.com/", "events": ["teleport"], "sources": ["api"]},
    )
    html = _text(response)
    assert response.status_code == 200
    events_block = html[html.index('class="field field-events"') :][:3000]
    assert 'The event "teleport" is not valid.' in events_block
    assert len(_hooks()) == 2 and not AuditEntry.objects.exists()
    assert "teleport" not in _checkboxes(_text(client.get(NEW)), "events")  # reloaded


def test_viewers_may_not_write(as_role):
    client = as_role("viewer")
    hook = _hooks()[0]
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "x"}).status_code == 403
    assert client.post(f"{LIST}{hook.rid}/", {"name": "x"}).status_code == 403
    assert client.post(f"{LIST}{hook.rid}/delete/").status_code == 403
    assert len(_hooks()) == 2


def test_a_webhook_that_does_not_exist_is_a_404(as_role):
    client = as_role("editor")
    assert client.get(f"{LIST}99999/").status_code == 404
    assert client.get(f"{LIST}99999/delete/").status_code == 404
