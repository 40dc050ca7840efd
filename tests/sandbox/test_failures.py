"""How the sandbox answers the failures it injects, as the real API and its gateways do:
JSON for the API's own errors and 429s (with Retry-After in whole seconds), HTML pages for
the gateway errors."""

import pytest


def fail_next(sandbox, status: int) -> None:
    sandbox.account.fail_next_count = 1
    sandbox.account.fail_next_status = status
    sandbox.account.save()


@pytest.mark.parametrize(
    ("status", "title"),
    [(502, "502 Bad Gateway"), (503, "503 Service Temporarily Unavailable")],
)
def test_gateway_errors_are_html_pages(sandbox, status, title):
    fail_next(sandbox, status)
    response = sandbox.get("/contacts")
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text


@pytest.mark.parametrize("status", [500, 404, 400])
def test_other_injected_errors_are_json(sandbox, status):
    fail_next(sandbox, status)
    response = sandbox.get("/contacts")
    assert response.status_code == status
    assert response.json() == {"message": "Internal Server Error"}
    assert "Retry-After" not in response.headers


def test_an_injected_429_says_retry_after_one_second(sandbox):
    fail_next(sandbox, 429)
    response = sandbox.get("/contacts")
    assert response.status_code == 429
    assert response.json() == {"message": "Too Many Requests"}
    assert response.headers["Retry-After"] == "1"
    assert sandbox.get("/contacts").status_code == 200  # only the next one failed
