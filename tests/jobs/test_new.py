# ruff: noqa: F401, F811 (fixtures imported from bulk_fixtures)
"""The bulk preview page (jobs:new) over HTTP: who may open it, what a hostile or broken
request gets (a clear message, never a 500, nothing written), and the selection toolbar on
the contact, deal and task lists."""

import pytest

from acdash.jobs.models import Job
from tests.jobs.bulk_fixtures import (
    acme,
    api,
    editor_client,
    new_url,
    viewer_client,
    writes_sent,
)

POST_URL = "/a/acme/jobs/new/"


def test_a_viewer_may_neither_preview_nor_start_a_job(viewer_client, api):
    assert viewer_client.get(new_url(type="deal", action="delete", ids="1")).status_code == 403
    response = viewer_client.post(
        POST_URL, {"type": "deal", "action": "delete", "ids": "1", "confirm_count": "1"}
    )
    assert response.status_code == 403
    assert not Job.objects.exists() and writes_sent(api) == []


def test_a_stranger_gets_404(acme, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    assert client.get(new_url(type="deal", action="delete", ids="1")).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"action": "delete", "ids": "1"}, "Choose contacts, deals or tasks"),
        ({"type": "invoice", "action": "delete", "ids": "1"}, "Choose contacts, deals or tasks"),
        ({"type": "deal", "action": "explode", "ids": "1"}, "There is no such action for deals"),
        ({"type": "deal", "action": "add_tag", "ids": "1"}, "There is no such action for deals"),
        ({"type": "deal", "action": "delete"}, "Select some deals first"),
        ({"type": "deal", "action": "delete", "ids": "1,x"}, "“x” is not a record id"),
        ({"type": "deal", "action": "delete", "ids": "-4"}, "“-4” is not a record id"),
        ({"type": "deal", "action": "delete", "ids": "0"}, "“0” is not a record id"),
        ({"type": "deal", "action": "delete", "ids": "9" * 40}, "is not a record id"),
        ({"type": "deal", "action": "delete", "ids": "١٢"}, "is not a record id"),
        (
            {"type": "deal", "action": "delete", "ids": ",".join(["1"] * 10_001)},
            "Select at most 10,000 records",
        ),
        ({"type": "deal", "action": "delete", "query": "stage=abc"}, "The filter cannot be"),
        ({"type": "task", "action": "delete", "query": "due_from=2026-99-01"}, "Due from"),
        ({"type": "contact", "action": "delete", "query": "tag=vip"}, "there is no tag “vip”"),
        ({"type": "contact", "action": "delete", "query": "q=" + "x" * 3000}, "too long"),
        ({"type": "contact", "action": "delete", "query": "q=a\x00b"}, "control characters"),
    ],
)
def test_a_broken_or_hostile_request_is_refused_clearly_and_writes_nothing(
    editor_client, api, params, message
):
    for response in (editor_client.get(new_url(**params)), editor_client.post(POST_URL, params)):
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    assert not Job.objects.exists() and writes_sent(api) == []


def test_the_action_form_comes_first_and_a_preview_writes_nothing(editor_client, api):
    page = editor_client.get(new_url(type="contact", action="add_tag", ids=[1, 2, 3]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 contacts ticked" in html and 'name="tag"' in html
    assert "Preview</h2>" not in html  # nothing planned before the parameters are given
    preview = editor_client.get(
        new_url(type="contact", action="add_tag", ids=[1, 2, 3], tag="brand-new", preview=1)
    )
    html = preview.content.decode()
    assert preview.status_code == 200, html[:3000]
    assert "There is no tag “brand-new” yet: confirming creates it." in html
    assert "<strong>3</strong> will change" in html and "tagged brand-new" in html
    assert writes_sent(api) == []  # the tag is created only when the job is confirmed


def test_a_destructive_action_refuses_a_wrong_count(editor_client, api):
    params = {"type": "contact", "action": "delete", "ids": "1,2,3"}
    for typed in ("", "2", "three", "30"):
        response = editor_client.post(POST_URL, {**params, "confirm_count": typed})
        assert response.status_code == 400
        assert "Type the number of records, 3, to confirm" in response.content.decode()
    assert not Job.objects.exists() and writes_sent(api) == []


def test_confirming_starts_the_job_and_opens_its_progress_page(editor_client):
    response = editor_client.post(
        POST_URL, {"type": "deal", "action": "set_status", "query": "status=0", "status": 2}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "deal" and job.target == {"status": 2}
    assert job.selection["query"] == "status=0"  # run again when the job starts
    assert job.description == "Mark won or lost (deals): Lost"


@pytest.mark.parametrize(
    ("url", "noun"),
    [("/a/acme/contacts/", "contact"), ("/a/acme/deals/", "deal"), ("/a/acme/tasks/", "task")],
)
def test_editors_get_row_checkboxes_and_the_toolbar_viewers_do_not(
    editor_client, url, noun, django_user_model
):
    html = editor_client.get(url + "?per_page=20").content.decode()
    assert html.count('form="bulk-form"') == 20
    assert "Select every row on this page" in html
    assert f'<input type="hidden" name="type" value="{noun}">' in html
    assert 'name="query" value="per_page=20"' in html
    assert "matching this filter" in html
    viewer = django_user_model.objects.create_user("viv", password="pw")
    from acdash.accounts.models import ConnectedAccount, Membership

    Membership.objects.create(user=viewer, account=ConnectedAccount.objects.get(), role="viewer")
    editor_client.force_login(viewer)
    html = editor_client.get(url).content.decode()
    assert 'form="bulk-form"' not in html and "bulk-toolbar" not in html


VALID = {  # parameters that make each action's request valid, on ticked ids
    "set_field": {"field": "1", "value": "Paris"},
    "clear_field": {"field": "1"},
    "set_core": {"name": "lastName", "value": "Fuzz"},
    "add_tag": {"tag": "vip"},
    "remove_tag": {"tag": "vip"},
    "subscribe": {"list": "1"},
    "unsubscribe": {"list": "1"},
    "move_stage": {"stage": "2"},
    "change_owner": {"owner": "2"},
    "set_status": {"status": "1"},
    "complete": {"outcome": "1"},
    "reassign": {"owner": "2"},
    "change_due": {"due_date": "2027-01-01", "due_time": "09:00"},
    "delete": {"confirm_count": "2"},
}


def test_every_parameter_of_every_action_hostile_never_fails(editor_client, api):
    from acdash.jobs.actions import ACTIONS
    from tests.fuzz import HOSTILE, server_errors

    for action in ACTIONS:
        valid = {"type": action.object_type, "action": action.key, "ids": "1,2", "preview": "1"}
        valid |= VALID[action.key]
        for i, name in enumerate([*valid, "query"]):
            for k in range(3):
                data = {**valid, name: HOSTILE[(i * 3 + k) % len(HOSTILE)]}
                if name == "query":
                    data.pop("ids")
                for method in (editor_client.get, editor_client.post):
                    sent = len(writes_sent(api))
                    with server_errors() as errors:
                        response = method(POST_URL, data)
                    assert response.status_code < 500 and not errors, (action.key, data, errors)
                    if response.status_code >= 400:
                        assert len(writes_sent(api)) == sent, (action.key, data)


def test_the_page_size_of_the_list_is_no_filter_and_never_refused(editor_client):
    for noun in ("contact", "deal", "task"):
        url = new_url(type=noun, action="delete", query="per_page=33&page=2")
        assert editor_client.get(url).status_code == 200, noun


def test_choosing_another_action_on_the_page_shows_its_form(editor_client):
    html = editor_client.get(
        new_url(type="deal", action="change_owner", shown="move_stage", stage=2, ids=[1], preview=1)
    ).content.decode()
    assert 'name="owner"' in html and "errorlist" not in html and "Preview</h2>" not in html


def test_a_preview_too_slow_for_the_page_says_to_narrow_the_selection(editor_client, settings):
    url = new_url(type="deal", action="move_stage", query="status=0", stage=2, preview=1)
    assert editor_client.get(url).status_code == 200  # metadata cached
    settings.ACTIVECAMPAIGN_INTERACTIVE_DEADLINE = 0.001
    response = editor_client.get(url)
    assert response.status_code == 503
    assert "takes longer than a page may wait: narrow the filter" in response.content.decode()
    assert not Job.objects.exists()
