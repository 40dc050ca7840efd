"""Structured logs: a request's lines, the API call lines included, share its request id."""

import json
import logging

import pytest

from acdash.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_lines():
    """The JSON lines the production handler would write, collected."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(logging.DEBUG)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in ("acdash", "django.request")}
    logging.getLogger("acdash").setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in lines]
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_a_page_and_its_api_calls_log_one_request_id(connected, admin_client, json_lines):
    response = admin_client.get(f"/a/{connected.slug}/contacts/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    lines = json_lines()
    # The sandbox, served by the live server, logs its own requests under their own ids.
    page = f"/a/{connected.slug}/contacts/"
    access = [line for line in lines if line["logger"] == "acdash.access"]
    (request_line,) = [line for line in access if line["path"] == page]
    assert request_line["request_id"] == request_id
    assert request_line["status"] == 200 and request_line["method"] == "GET"
    calls = [line for line in lines if line["logger"] == "acdash.activecampaign"]
    assert calls, "the page called the API"
    assert {line["request_id"] for line in calls} == {request_id}
    assert all(line["api_method"] == "GET" and line["api_status"] == 200 for line in calls)


def test_an_error_line_carries_the_request_id_of_its_request(admin_client, json_lines):
    response = admin_client.get("/a/no-such-account/contacts/")
    assert response.status_code == 404
    warnings = [line for line in json_lines() if line["logger"] == "django.request"]
    assert [line["request_id"] for line in warnings] == [response["X-Request-ID"]]
    assert warnings[0]["level"] == "WARNING" and warnings[0]["status_code"] == 404


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"})
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad\nid"})
    assert len(replaced["X-Request-ID"]) == 32 and "\n" not in replaced["X-Request-ID"]
