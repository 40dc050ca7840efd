"""The sandbox's token check: like the real API, only the account's own Api-Token opens it."""

import pytest
import requests

from acdash.sandbox.models import SandboxAccount


def call(sandbox, method: str, path: str, token: str | None, **kwargs) -> requests.Response:
    headers = {} if token is None else {"Api-Token": token}
    return requests.request(method, sandbox.base + path, headers=headers, timeout=30, **kwargs)


def wrong_tokens(sandbox) -> list[str | None]:
    token = sandbox.account.api_token
    other = SandboxAccount.objects.create(slug="other", name="Other account")
    return [
        None,  # no header at all
        "",
        token[:-1] + ("a" if token[-1] != "a" else "b"),
        token[:-1],
        token + "x",
        token.upper() if token.upper() != token else token.lower() + "X",
        other.api_token,  # another account's token
    ]


def test_every_wrong_token_is_403_and_changes_nothing(sandbox):
    for token in wrong_tokens(sandbox):
        read = call(sandbox, "GET", "/contacts", token)
        assert (read.status_code, read.json()) == (403, {"message": "Forbidden"}), token
        write = call(sandbox, "POST", "/contacts", token, json={"contact": {"email": "x@e.com"}})
        assert write.status_code == 403, token
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "0"
    log = sandbox.log()
    assert log["by_operation"]["unauthorised"] == 14
    assert log["by_status"] == {"403": 14, "200": 1}


def test_the_accounts_own_token_opens_it(sandbox):
    response = call(sandbox, "GET", "/contacts", sandbox.account.api_token)
    assert response.status_code == 200 and response.json()["contacts"] == []
    assert "unauthorised" not in sandbox.log()["by_operation"]


def test_refused_tokens_do_not_use_the_rate_limit(sandbox):
    sandbox.account.rate_limit = 1
    sandbox.account.save()
    assert call(sandbox, "GET", "/contacts", "wrong").status_code == 403
    assert call(sandbox, "GET", "/contacts", sandbox.account.api_token).status_code == 200


def test_an_unknown_account_is_404(sandbox, live_server):
    response = requests.get(
        f"{live_server.url}/sandbox/nobody/api/3/contacts",
        headers={"Api-Token": sandbox.account.api_token},
        timeout=30,
    )
    assert response.status_code == 404
    assert response.json() == {"message": "No sandbox account named nobody"}


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_the_request_log_needs_the_accounts_token(sandbox, live_server, method):
    url = f"{sandbox.api_url}/_sandbox/log"
    for token in wrong_tokens(sandbox):
        headers = {} if token is None else {"Api-Token": token}
        assert requests.request(method, url, headers=headers, timeout=30).status_code == 403
    sandbox.get("/contacts")
    own = {"Api-Token": sandbox.account.api_token}
    response = requests.request(method, url, headers=own, timeout=30)
    assert response.status_code == 200
    total = sandbox.log()["total"]
    assert total == (0 if method == "DELETE" else 1)  # the log's own requests are not logged
