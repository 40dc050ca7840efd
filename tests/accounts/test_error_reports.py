"""No error report — the DEBUG page, the mail to admins, the log — ever contains a token.

Each test forces an exception where the token is in play, with DEBUG on, and reads every
report a developer or an admin would get.
"""

import logging
from collections.abc import Callable, Iterator

import pytest
import urllib3
from django.test import Client as BrowserClient
from django.utils.log import AdminEmailHandler

from acdash.accounts import verification
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount


class Boom(RuntimeError):
    pass


def fail(*args, **kwargs):
    raise Boom("forced failure")


@pytest.fixture
def reports(settings, caplog, mailoutbox) -> Iterator[Callable[[], list[str]]]:
    """DEBUG on and a mail to the admins for every server error; gives the reports' texts."""
    settings.DEBUG = True
    settings.ADMINS = ["ops@example.com"]
    handler = AdminEmailHandler(include_html=True)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)

    def texts() -> list[str]:
        assert mailoutbox, "the admins were mailed a report"
        mails = [mail.body for mail in mailoutbox]
        mails += [str(content) for mail in mailoutbox for content, _ in mail.alternatives]
        return [caplog.text, *mails]

    with caplog.at_level(logging.ERROR, logger="django.request"):
        yield texts
    logger.removeHandler(handler)


@pytest.fixture
def browser(admin_user) -> BrowserClient:
    """A logged-in superuser whose server errors come back as the DEBUG page."""
    client = BrowserClient(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def test_a_failure_inside_token_verification_never_reports_the_token(
    sandbox, browser, monkeypatch, reports
):
    token = sandbox.account.api_token
    monkeypatch.setattr(verification, "get_me", fail)
    response = browser.post(
        "/manage/accounts/new/",
        {"name": "Acme", "slug": "acme", "api_url": sandbox.api_url, "api_token": token},
    )
    page = response.content.decode()
    assert response.status_code == 500
    assert "Boom" in page and "verify_credentials" in page  # the DEBUG page, with its frames
    assert "********************" in page  # where the token was, masked
    for text in [page, *reports()]:
        assert token not in text
    assert not ConnectedAccount.objects.exists()


def test_a_failure_while_saving_an_edited_token_never_reports_it(
    connected, sandbox, browser, monkeypatch, reports
):
    new_token = "new-" + sandbox.account.api_token
    monkeypatch.setattr(verification, "get_me", lambda client: {"id": "1"})
    monkeypatch.setattr("acdash.accounts.crypto._fernet", fail)
    response = browser.post(
        f"/manage/accounts/{connected.slug}/",
        {"name": "Acme", "slug": "acme", "api_url": connected.api_url, "api_token": new_token},
    )
    page = response.content.decode()
    assert response.status_code == 500 and "set_token" in page
    for text in [page, *reports()]:
        assert new_token not in text
        assert sandbox.account.api_token not in text


def test_a_failure_deep_in_the_http_stack_never_reports_the_token(
    connected, sandbox, browser, monkeypatch, reports
):
    # The Api-Token header is a local of requests' and urllib3's frames below the client.
    def urlopen(self, method, url, body=None, headers=None, **kwargs):
        raise Boom("the network stack failed")

    monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", urlopen)
    response = browser.get(f"/a/{connected.slug}/card/?refresh=1")
    page = response.content.decode()
    assert response.status_code == 500 and "urlopen" in page
    for text in [page, *reports()]:
        assert sandbox.account.api_token not in text


def test_the_client_shows_its_url_and_never_its_token(connected, sandbox):
    client = client_for_account(connected)
    assert repr(client) == f"<Client {sandbox.api_url}>"
    assert sandbox.account.api_token not in repr(client) + str(client) + repr(connected)
