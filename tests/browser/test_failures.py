"""A failed htmx request never does nothing silently: a toast says what happened and its
Retry sends the same request again. Error answers never replace the page."""

import contextlib
import socket

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import Page, expect

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import contacts
from acdash.sandbox.models import SandboxRecord

from .conftest import htmx_settled, log_in, seeded_account

CARD = "**/a/acme/card/?refresh=1"


class _DroppingWSGIServer(ThreadedWSGIServer):
    """Remembers its connections, so stopping can drop them as a dying process would
    (otherwise the browser's keep-alive connection goes on being served)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: list[socket.socket] = []

    def get_request(self):
        connection, address = super().get_request()
        self.accepted.append(connection)
        return connection, address

    def drop_connections(self) -> None:
        for connection in self.accepted:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)


class _ServerThread(LiveServerThread):
    server_class = _DroppingWSGIServer

    def _create_server(self, connections_override=None):
        # Reuse the address: the restarted server takes the port its predecessor left.
        return self.server_class(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=True,
            connections_override=connections_override,
        )


class StoppableServer:
    """The app and its sandbox on a port of their own (0: any free one), stopped for real."""

    def __init__(self, port: int = 0) -> None:
        self.thread = _ServerThread("localhost", StaticFilesHandler, port=port)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://localhost:{self.thread.port}"

    def stop(self) -> None:
        httpd = self.thread.httpd
        self.thread.terminate()
        if httpd is not None:
            httpd.drop_connections()


@pytest.fixture
def server(transactional_db, settings):
    """A server this test may stop and start again on the same port; pytest-django's shared
    live server must stay up for the other tests of this process. The URL guard accepts
    sandbox URLs at this server's origin only."""
    servers = [StoppableServer()]
    settings.SANDBOX_ORIGIN = servers[0].url
    yield servers
    servers[-1].stop()


def overview_with_card(page: Page, url: str):
    page.goto(f"{url}/")
    card = page.get_by_role("row", name="Acme")  # the overview table's row of the account
    expect(card.get_by_role("link", name="120 contacts")).to_be_visible()
    return card


def error_toast(page: Page):
    return page.locator("#toasts").get_by_role("alert")


def test_server_stopped_mid_session_then_retry(chromium, server, editor):
    url = server[0].url
    acme = seeded_account(url)
    page = log_in(chromium, url, editor(acme))
    card = overview_with_card(page, url)

    server[0].stop()
    card.get_by_role("link", name="Refresh Acme").click()
    expect(error_toast(page)).to_contain_text("Could not reach acdash")
    # The page stays as it was.
    expect(card.get_by_role("link", name="120 contacts")).to_be_visible()

    server.append(StoppableServer(server[0].thread.port))
    with page.expect_response(lambda r: "/a/acme/card/" in r.url and r.ok):
        error_toast(page).get_by_role("button", name="Retry").click()
    expect(error_toast(page)).to_have_count(0)
    expect(card.get_by_role("link", name="120 contacts")).to_be_visible()
    expect(card.get_by_role("link", name="Refresh Acme")).to_be_focused()


@pytest.fixture
def page(chromium, live_server, transactional_db, editor) -> Page:
    acme = seeded_account(live_server.url)
    return log_in(chromium, live_server.url, editor(acme))


def test_a_5xx_answer_is_a_toast_not_the_debug_page(page, live_server):
    card = overview_with_card(page, live_server.url)
    page.route(CARD, lambda route: route.fulfill(status=500, body="<h1>Traceback</h1>"))
    card.get_by_role("link", name="Refresh Acme").click()
    expect(error_toast(page)).to_contain_text("The server failed to answer (500).")
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("All accounts")

    page.unroute(CARD)
    with page.expect_response(lambda r: "/a/acme/card/" in r.url and r.ok):
        error_toast(page).get_by_role("button", name="Retry").click()
    expect(error_toast(page)).to_have_count(0)


def test_a_request_that_times_out_is_a_toast_with_retry(page, live_server):
    card = overview_with_card(page, live_server.url)
    page.evaluate("htmx.config.timeout = 300")
    page.route(CARD, lambda route: None)  # never answered
    card.get_by_role("link", name="Refresh Acme").click()
    expect(error_toast(page)).to_contain_text("took too long")

    page.evaluate("htmx.config.timeout = 15000")
    page.unroute(CARD)
    with page.expect_response(lambda r: "/a/acme/card/" in r.url and r.ok):
        error_toast(page).get_by_role("button", name="Retry").click()
    expect(card.get_by_role("link", name="120 contacts")).to_be_visible()


def test_retry_sends_a_failed_save_again_with_its_values(chromium, server, editor):
    url = server[0].url
    acme = seeded_account(url)
    person = SandboxRecord.objects.filter(account__slug="acme", kind="contact").first()
    page = log_in(chromium, url, editor(acme))
    page.goto(f"{url}/a/acme/contacts/{person.rid}/")
    page.get_by_role("button", name="Edit details").click()
    editor_form = page.get_by_role("form", name="Edit details")
    expect(editor_form).to_be_visible()
    page.wait_for_load_state("networkidle")  # the lazy panels have loaded:
    htmx_settled(page)  # only the save will fail, and nothing swaps the editor meanwhile
    editor_form.get_by_label("Phone").fill("+1 555 0199")
    expect(editor_form.get_by_label("Phone")).to_have_value("+1 555 0199")

    server[0].stop()
    editor_form.get_by_role("button", name="Save").click()
    expect(error_toast(page)).to_contain_text("Could not reach acdash")
    expect(editor_form.get_by_label("Phone")).to_have_value("+1 555 0199")  # nothing lost

    server.append(StoppableServer(server[0].thread.port))
    error_toast(page).get_by_role("button", name="Retry").click()
    expect(page.locator("#toasts")).to_contain_text("Saved")
    expect(page.get_by_role("button", name="Edit details")).to_be_visible()
    client = client_for_account(acme)
    assert contacts.read_contact(client, person.rid).phone == "+1 555 0199"
