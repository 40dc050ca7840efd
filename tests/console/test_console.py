"""The API console over HTTP against a seeded sandbox account: every operation listed and
searchable, reads for every member, writes for admins only (confirmed, audited), bad input
named by its field with nothing sent, the API's own errors, and curl without the token."""

import json
import re
import time
from html import unescape
from urllib.parse import unquote

from acdash.activecampaign import console, count_api_calls
from acdash.audit.models import AuditEntry
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount, SandboxRecord

INDEX = "/a/acme/api/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(response) -> str:
    return unescape(response.content.decode())


def _pre(html: str, css: str) -> str:
    found = re.search(rf'<pre class="{css}"[^>]*>(.*?)</pre>', html, re.S)
    assert found, f"no {css} in the page"
    return unescape(found.group(1))


# The operations ---------------------------------------------------------------------------


def test_the_console_lists_every_operation_of_the_reference_by_family(as_role):
    html = _text(as_role("viewer").get(INDEX))
    links = re.findall(r'href="/a/acme/api/([A-Za-z0-9_-]+)/"', html)
    assert sorted(links) == sorted(console.operations())
    assert len(links) == len(json.loads(console.REFERENCE.read_text()))
    assert "List all webhooks" in html and "<h2" in html


def test_the_search_filters_by_name_or_path_with_and_without_htmx(as_role):
    client = as_role("viewer")
    by_name = _text(client.get(INDEX, {"q": "list all webhooks"}))
    assert "List all webhooks" in by_name and "Create a contact" not in by_name
    fragment = client.get(INDEX, {"q": "/webhooks/{id}"}, **HTMX)
    html = _text(fragment)
    assert html.lstrip().startswith('<section id="operations"')
    assert "Retrieve a webhook" in html and "List all webhooks" not in html
    assert unquote(fragment["HX-Push-Url"]).endswith("?q=/webhooks/{id}")
    assert "No operation matches" in _text(client.get(INDEX, {"q": "nothing-like-this"}))


def test_an_operation_shows_its_parameters_and_the_request_example(as_role):
    html = _text(as_role("admin").get(INDEX + "Webhook_updateExisting/"))
    assert 'name="path:id"' in html
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert json.loads(unescape(body)) == console.find("Webhook_updateExisting").example
    listing = _text(as_role("viewer").get(INDEX + "List_webhooks/"))
    assert 'name="query:filters[name]"' in listing and 'name="query:limit"' in listing


def test_every_operations_form_renders_from_the_reference_without_a_call(as_role):
    client = as_role("admin")
    with count_api_calls() as calls:
        for op in console.operations().values():
            html = _text(client.get(f"{INDEX}{op.id}/"))
            assert op.summary in html and op.path in html, op.id
            for param in op.params:
                assert f'name="{param.location}:{param.name}"' in html, (op.id, param.name)
            if op.has_body and op.example is not None:
                body = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
                assert json.loads(unescape(body)) == op.example, op.id
    assert calls.count == 0
    with_example = [o for o in console.operations().values() if o.has_body and o.example]
    assert len(with_example) >= 80


def test_an_unknown_operation_is_named_and_nothing_is_sent(as_role):
    response = as_role("viewer").get(INDEX + "No_such_operation/", {"send": "1"})
    assert response.status_code == 404
    assert "no operation “No_such_operation”" in _text(response)


# Reads ------------------------------------------------------------------------------------


def test_a_viewer_sends_a_read_and_sees_the_status_and_the_pretty_printed_answer(as_role):
    tag = SandboxRecord.objects.filter(account__slug="acme", kind="tag").order_by("rid").first()
    client = as_role("viewer")
    response = client.get(INDEX + "Tag_getTag/", {"send": "1", "path:id": str(tag.rid)})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'badge-ok">200<', html)
    answer = json.loads(_pre(html, "console-json"))
    assert answer["tag"]["id"] == str(tag.rid) and answer["tag"]["tag"] == tag.data["tag"]
    assert "\n  " in _pre(html, "console-json")  # pretty-printed
    assert not AuditEntry.objects.exists()  # reads are not audited


def test_the_curl_text_names_the_token_as_a_variable_and_never_holds_it(as_role, acme):
    token = SandboxAccount.objects.get(slug="acme").api_token
    response = as_role("viewer").get(
        INDEX + "List_webhooks/", {"send": "1", "query:filters[name]": "it's", "query:limit": "5"}
    )
    html = response.content.decode()
    curl = _pre(html, "console-curl")
    assert '-H "Api-Token: $AC_TOKEN"' in curl
    assert f"{acme.api_url}/api/3/webhooks?" in curl and "limit=5" in curl
    assert token not in html and token not in curl


def test_an_api_error_shows_the_apis_own_body_and_status(as_role):
    response = as_role("viewer").get(INDEX + "Tag_getTag/", {"send": "1", "path:id": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'badge-error">404<', html)
    assert json.loads(_pre(html, "console-json")) == {
        "message": "No Result found for Tag with id 999999"
    }


def test_a_429_shows_the_apis_answer_after_the_clients_retries(as_role):
    SandboxAccount.objects.filter(slug="acme").update(throttle_rate=1.0)
    html = as_role("viewer").get(INDEX + "Tag_listAllTags/", {"send": "1"}).content.decode()
    assert re.search(r'badge-error">429<', html) and "attempts" in html


def test_a_read_that_outlasts_the_deadline_is_a_clear_message_not_a_500(as_role, settings):
    settings.ACTIVECAMPAIGN_INTERACTIVE_DEADLINE = 0.5
    SandboxAccount.objects.filter(slug="acme").update(latency_ms=1500)
    response = as_role("viewer").get(INDEX + "Tag_listAllTags/", {"send": "1"})
    assert response.status_code == 200
    assert "No answer" in response.content.decode()
    assert "ActiveCampaign is not answering" in _text(response)
    # The sandbox logs the slow request when it ends: wait (bounded) so it never lands in
    # a later test's log.
    give_up = time.monotonic() + 10
    while not faults.request_log.snapshot("acme")["by_operation"].get("Tag_listAllTags"):
        assert time.monotonic() < give_up, "the slow request never ended"
        time.sleep(0.05)


# Bad input --------------------------------------------------------------------------------


def test_bad_input_is_named_by_its_field_and_nothing_is_sent(as_role):
    client = as_role("admin")
    cases = [
        ("Tag_getTag", "get", {"send": "1", "path:id": "abc"}, "path:id", "whole number"),
        ("Tag_getTag", "get", {"send": "1", "path:id": ""}, "path:id", "required"),
        ("Tag_getTag", "get", {"send": "1", "path:id": "../users"}, "path:id", "whole number"),
        ("List_webhooks", "get", {"send": "1", "query:limit": "ten"}, "query:limit", "whole"),
        (
            "List_webhooks",
            "get",
            {"send": "1", "query:filters[name]": "a\r\nApi-Token: x"},
            "query:filters[name]",
            "one line",
        ),
        ("Tag_createTag", "post", {"body": "{not json"}, "body", "not valid JSON"),
    ]
    with count_api_calls() as calls:  # acdash's own calls: none was sent
        for op_id, method, data, field, message in cases:
            response = getattr(client, method)(INDEX + f"{op_id}/", data)
            html = _text(response)
            assert response.status_code == 200, op_id
            assert "Nothing was sent" in html and message in html, (op_id, data)
            assert re.search(
                rf'aria-invalid="true"[^>]*name="{re.escape(field)}"|name="{re.escape(field)}"[^>]*aria-invalid="true"',
                html,
            ), field
            assert "console-result" not in html
    assert calls.count == 0


def test_a_string_path_parameter_cannot_leave_its_segment(as_role):
    op = next(o for o in console.operations().values() if any(not p.integer for p in o.path_params))
    name = next(p.name for p in op.path_params if not p.integer)
    client = as_role("admin")
    for value in ("..", "a/b", "x\\y", "a\r\nHost: evil"):
        form = {f"path:{p.name}": "1" for p in op.path_params} | {f"path:{name}": value}
        method = "post" if op.is_write else "get"
        html = _text(getattr(client, method)(INDEX + f"{op.id}/", {"send": "1", **form}))
        assert "Nothing was sent" in html, value


# Writes -----------------------------------------------------------------------------------


def test_an_editor_cannot_send_a_write(as_role):
    client = as_role("editor")
    read = client.get(INDEX + "Tag_listAllTags/", {"send": "1"}).content.decode()
    assert re.search(r'badge-ok">200<', read)  # an editor's reads are sent
    page = _text(client.get(INDEX + "Tag_createTag/"))
    assert "only the account's admins may send it" in page
    body = json.dumps({"tag": {"tag": "by-editor", "tagType": "contact", "description": ""}})
    response = client.post(INDEX + "Tag_createTag/", {"body": body, "confirm": "yes"})
    assert response.status_code == 403
    assert not _tags_named("by-editor")
    assert not AuditEntry.objects.exists()


def test_a_viewer_cannot_post_at_all(as_role):
    response = as_role("viewer").post(INDEX + "Tag_createTag/", {"body": "{}", "confirm": "yes"})
    assert response.status_code == 403


def test_an_admins_write_is_confirmed_by_method_and_path_then_sent_and_audited(as_role):
    client = as_role("admin")
    body = json.dumps({"tag": {"tag": "from-console", "tagType": "contact", "description": "x"}})
    review = client.post(INDEX + "Tag_createTag/", {"body": body}, **HTMX)
    html = _text(review)
    assert "Send POST /tags?" in html and "Yes, send POST /tags" in html
    assert not AuditEntry.objects.exists()
    assert not _tags_named("from-console")
    sent = client.post(INDEX + "Tag_createTag/", {"body": body, "confirm": "yes"}, **HTMX)
    html = sent.content.decode()
    assert re.search(r'badge-ok">201<', html)
    created = _tags_named("from-console")
    assert len(created) == 1
    received = faults.request_log.snapshot("acme")["recent"]
    assert [r["method"] for r in received if r["path"].endswith("/tags")].count("POST") == 1
    assert json.loads(_pre(html, "console-json"))["tag"]["id"] == str(created[0].rid)
    entry = AuditEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.action) == ("api", "Tag_createTag", "post")
    assert entry.user.username == "admin-user" and entry.after["status"] == 201
    assert entry.summary == "API console: POST /tags → 201"


def test_a_write_the_api_refuses_shows_its_422_and_is_audited_with_it(as_role):
    client = as_role("admin")
    body = json.dumps({"tag": {"tagType": "contact"}})
    html = client.post(INDEX + "Tag_createTag/", {"body": body, "confirm": "yes"}).content.decode()
    assert re.search(r'badge-error">422<', html)
    assert "errors" in json.loads(_pre(html, "console-json"))
    assert AuditEntry.objects.get().after["status"] == 422


def _tags_named(name: str) -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug="acme", kind="tag", key=name))
