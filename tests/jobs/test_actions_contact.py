# ruff: noqa: F401, F811 (fixtures imported from bulk_fixtures)
"""Bulk actions on contacts over HTTP against the sandbox: each action's form is checked
against the account's metadata, its preview counts and skips, and its job leaves the
sandbox as intended (through the contact kind, by bulk import or one call per record)."""

import pytest
from django.core.cache import cache

from acdash.audit.models import AuditEntry
from acdash.jobs.contract import KINDS
from acdash.sandbox.models import SandboxRecord
from tests.contacts import SLUG
from tests.jobs.bulk_fixtures import (
    ac,
    acme,
    api,
    editor_client,
    new_url,
    records,
    run_started,
    writes_sent,
)

KIND = KINDS["contact"]
POST_URL = "/a/acme/jobs/new/"
IDS = "1,2,3,4"


def held(ac, key: str, ids: str = IDS) -> dict[str, object]:
    cache.clear()
    return {i: r.values[key] for i, r in KIND.read(ac, ids.split(","), [key]).items()}


def start(client, action: str, **params):
    return run_started(
        client.post(POST_URL, {"type": "contact", "action": action, "ids": IDS, **params})
    )


def tag_id(name: str) -> int:
    tag = SandboxRecord.objects.get(account__slug=SLUG, kind="tag", data__tag=name)
    return tag.rid


def test_set_and_clear_a_dropdown_field(editor_client, ac):
    preview = editor_client.get(
        new_url(type="contact", action="set_field", ids=IDS, field=5, value="Retail", preview=1)
    ).content.decode()
    assert "“Industry” = Retail" in preview
    job = start(editor_client, "set_field", field=5, value="Retail")
    assert job.failed == 0 and job.done + job.skipped == 4
    assert set(held(ac, "field:5").values()) == {"Retail"}
    start(editor_client, "clear_field", field=5)
    assert set(held(ac, "field:5").values()) == {""}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (5, "Mining", "is not one of the field&#x27;s options"),
        (7, "CRM, Fax", "Choose among the field&#x27;s options"),
        (3, "yesterday", "Write the date as YYYY-MM-DD"),
        (4, "5pm", "Write the date and time"),
        (5, "", "Enter the value"),
        (42, "x", "not one of this account&#x27;s choices"),
    ],
)
def test_a_value_the_field_cannot_hold_is_refused(editor_client, api, field, value, message):
    response = editor_client.post(
        POST_URL,
        {"type": "contact", "action": "set_field", "ids": IDS, "field": field, "value": value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert writes_sent(api) == []


def test_set_a_core_field_and_refuse_a_bad_email(editor_client, api, ac):
    bad = editor_client.post(
        POST_URL,
        {"type": "contact", "action": "set_core", "ids": IDS, "name": "email", "value": "nope"},
    )
    assert bad.status_code == 400 and "Enter an email address" in bad.content.decode()
    assert writes_sent(api) == []
    start(editor_client, "set_core", name="lastName", value="Bulkington")
    assert set(held(ac, "lastName").values()) == {"Bulkington"}


def test_add_a_new_tag_creates_it_on_confirm_then_remove_it(editor_client, ac):
    job = start(editor_client, "add_tag", tag="bulk-new")
    new = tag_id("bulk-new")
    assert job.target == {f"tag:{new}": True} and job.done == 4
    created = AuditEntry.objects.get(object_type="tag", action="create")
    assert created.object_id == str(new) and created.summary == "Created tag bulk-new"
    assert set(held(ac, f"tag:{new}").values()) == {True}
    again = editor_client.get(
        new_url(type="contact", action="add_tag", ids=IDS, tag="BULK-NEW", preview=1)
    ).content.decode()
    assert "<strong>4</strong> will be skipped" in again and "already tagged" in again
    start(editor_client, "remove_tag", tag="bulk-new")
    assert set(held(ac, f"tag:{new}").values()) == {False}


def test_removing_a_tag_that_does_not_exist_is_refused(editor_client, api):
    response = editor_client.post(
        POST_URL, {"type": "contact", "action": "remove_tag", "ids": IDS, "tag": "no-such-tag"}
    )
    assert response.status_code == 400
    assert "There is no tag “no-such-tag”" in response.content.decode()
    assert writes_sent(api) == []


def test_subscribe_then_unsubscribe_a_list(editor_client, ac):
    start(editor_client, "subscribe", list=5)
    assert set(held(ac, "list:5").values()) == {1}
    start(editor_client, "unsubscribe", list=5)
    assert set(held(ac, "list:5").values()) == {2}
    unknown = editor_client.post(
        POST_URL, {"type": "contact", "action": "subscribe", "ids": IDS, "list": 77}
    )
    assert unknown.status_code == 400


def test_delete_contacts_of_a_filter_after_typing_their_count(editor_client):
    vip = tag_id("vip")
    tagged = {
        r.parent
        for r in SandboxRecord.objects.filter(account__slug=SLUG, kind="contactTag", key=str(vip))
    }
    assert tagged
    params = {"type": "contact", "action": "delete", "query": f"tag={vip}"}
    preview = editor_client.get(new_url(**params)).content.decode()
    assert f"<strong data-count>{len(tagged)}</strong> contacts selected" in preview
    job = run_started(editor_client.post(POST_URL, {**params, "confirm_count": str(len(tagged))}))
    assert job.done == len(tagged)
    assert not tagged & set(records("contact"))
