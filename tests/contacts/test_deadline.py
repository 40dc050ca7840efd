"""A hung API never holds a page past its budget: with the sandbox's hang knob on, the
contact page, the contact list, an overview card and an inline save answer within the
budget + 1 s with "ActiveCampaign is not answering" and a Retry.

The elapsed-time bounds are the acceptance criterion itself (DESIGN.md R7), kept generous:
a hung call would otherwise hold the page for the full 30 s read timeout.
"""

import time
from collections.abc import Callable, Iterator

import pytest
from django.http import HttpResponse

from acdash.activecampaign import count_api_calls
from acdash.contacts.detail_forms import CORE_FIELDS
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount

from . import test_parallel
from .test_detail import HTMX, page_url
from .test_inline_edit import hidden_inputs, open_editor, section

BUDGET = 1.0
HANG_SECONDS = 3.0
NOT_ANSWERING = "ActiveCampaign is not answering"

own_limiter = test_parallel.own_limiter  # a fixture


class Hang:
    """Makes every sandbox request of the account hang under a one-second budget, and times
    acdash's answers."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.sent = 0  # API requests acdash sent while the sandbox hung

    def start(self) -> None:
        self.settings.ACTIVECAMPAIGN_INTERACTIVE_DEADLINE = BUDGET
        SandboxAccount.objects.filter(slug="acme").update(hang_rate=1.0, hang_seconds=HANG_SECONDS)
        faults.reset("acme")

    def answer(self, request: Callable[[], HttpResponse]) -> str:
        """The response's text; it must come within the budget + 1 s."""
        started = time.monotonic()
        with count_api_calls() as calls:
            response = request()
        elapsed = time.monotonic() - started
        self.sent += calls.count
        assert elapsed < BUDGET + 1, f"answered after {elapsed:.1f} s"
        assert response.status_code == 200
        return response.content.decode()

    def wait_for_the_hung_requests(self) -> None:
        """The sandbox logs a hung request (504) when it ends: wait (bounded) for all of
        them, so that none ends up in a later test's log."""
        give_up = time.monotonic() + HANG_SECONDS + 10
        while faults.request_log.snapshot("acme")["by_status"].get("504", 0) < self.sent:
            assert time.monotonic() < give_up, "the hung requests never ended"
            time.sleep(0.1)


@pytest.fixture
def hung(acme, own_limiter, settings) -> Iterator[Hang]:
    hang = Hang(settings)
    yield hang
    hang.wait_for_the_hung_requests()


def test_the_contact_page_answers_within_the_budget_with_a_retry(hung, admin_client):
    hung.start()
    html = hung.answer(lambda: admin_client.get(page_url(1)))
    assert NOT_ANSWERING in html
    assert f'<a class="btn btn-secondary btn-small" href="{page_url(1)}">Retry</a>' in html
    assert hung.sent >= 3  # the page's calls hung together, not one after another


def test_the_contact_list_fragment_answers_within_the_budget_with_a_retry(hung, admin_client):
    hung.start()
    url = "/a/acme/contacts/?q=smith"
    html = hung.answer(lambda: admin_client.get(url, headers=HTMX))
    assert NOT_ANSWERING in html and "<html" not in html
    assert f'hx-get="{url}"' in html and ">Retry</a>" in html
    assert hung.sent >= 1


def test_an_overview_card_answers_within_the_budget_with_a_retry_in_place(hung, admin_client):
    hung.start()
    html = hung.answer(lambda: admin_client.get("/a/acme/card/", headers=HTMX))
    assert NOT_ANSWERING in html
    assert 'hx-get="/a/acme/card/" hx-target="#card-acme" hx-swap="outerHTML">Retry</a>' in html
    assert hung.sent == 3  # its three calls hung together


def test_an_inline_save_answers_within_the_budget_and_keeps_the_editor(hung, admin_client):
    page = admin_client.get(page_url(1)).content.decode()
    url = "/a/acme/contacts/1/core/"
    editor = open_editor(admin_client, url, page, "core")
    hung.start()
    shown = {name: editor[f"orig_{name}"] for name in CORE_FIELDS}
    data = {**editor, **shown, "first_name": "Changed"}
    html = hung.answer(lambda: admin_client.post(url, data, headers=HTMX))
    assert NOT_ANSWERING in html
    assert hidden_inputs(section(html, "core"))["version"] == editor["version"]  # ready again
    assert hung.sent >= 1
