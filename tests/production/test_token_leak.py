"""R5: once an account is connected, its API token is in no page, no log record and no
error report — browsing every main page, and when a request fails deep in the HTTP stack.
The same pages hold no inline style attribute and no script without the CSP nonce."""

import logging
import re

import pytest
import urllib3
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.log import AdminEmailHandler

from acdash.sandbox import seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord

SLUG = "acme"
# The main pages, by name: (URL name, whether it takes the account, the contact).
PAGES = [
    ("overview", ()),
    ("accounts:home", (SLUG,)),
    ("contacts:list", (SLUG,)),
    ("contacts:detail", (SLUG, "contact")),
    ("deals:pipelines", (SLUG,)),
    ("deals:list", (SLUG,)),
    ("tasks:list", (SLUG,)),
    ("tasks:mine", ()),
    ("setup:fields_home", (SLUG,)),
    ("setup:tags", (SLUG,)),
    ("setup:branding", (SLUG,)),
    ("console:index", (SLUG,)),
    ("audit:account", (SLUG,)),
    ("audit:all", ()),
    ("marketing:campaigns", (SLUG,)),
    ("accounts:edit", (SLUG,)),
    ("accounts:manage", ()),
]


class Boom(RuntimeError):
    pass


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_token_is_in_no_page_log_record_or_error_report(
    live_server, transactional_db, settings, everything_logged, mailoutbox, monkeypatch
):
    seed.seed_account(SLUG, "Acme", 25, 7)
    SandboxAccount.objects.filter(slug=SLUG).update(rate_limit=100_000)
    token = SandboxAccount.objects.get(slug=SLUG).api_token
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    browser = Client(raise_request_exception=False)
    browser.force_login(root)
    connected = browser.post(
        "/manage/accounts/new/",
        {
            "name": "Acme",
            "slug": SLUG,
            "api_url": f"{live_server.url}/sandbox/{SLUG}",
            "api_token": token,
        },
    )
    assert connected.status_code == 302, connected.content.decode()[:2000]

    contact = SandboxRecord.objects.filter(account__slug=SLUG, kind="contact").first().rid
    texts = []
    for name, args in PAGES:
        page = reverse(name, args=[contact if a == "contact" else a for a in args])
        response = browser.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        texts.append(html)
        assert not re.search(r"\sstyle=\"", html), f"{page}: an inline style attribute"
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "nonce=" in tag, f"{page}: an inline script without the nonce"

    # An error report: DEBUG on, the admins mailed, while the token is in the stack's frames.
    settings.DEBUG = True
    settings.ADMINS = ["ops@example.com"]
    mail = AdminEmailHandler(include_html=True)
    logging.getLogger("django.request").addHandler(mail)

    def urlopen(self, method, url, body=None, headers=None, **kwargs):
        raise Boom("the network stack failed")

    monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", urlopen)
    try:
        failed = browser.get(f"/a/{SLUG}/card/?refresh=1")
    finally:
        logging.getLogger("django.request").removeHandler(mail)
    assert failed.status_code == 500 and "urlopen" in failed.content.decode()
    assert mailoutbox, "the admins were mailed a report"
    texts.append(failed.content.decode())
    texts += [m.body for m in mailoutbox] + [str(c) for m in mailoutbox for c, _ in m.alternatives]

    records = everything_logged.records
    assert any(r.name == "acdash.activecampaign" for r in records), "API calls were logged"
    texts += [r.getMessage() for r in records] + [everything_logged.text]
    texts += [str(vars(r)) for r in records]
    leaks = [text[max(0, text.find(token) - 200) :][:400] for text in texts if token in text]
    assert not leaks, leaks
