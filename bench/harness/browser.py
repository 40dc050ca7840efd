"""A browser as the bench scripts use it: one user's cookies and up to six kept-alive
connections, each response's Server-Timing read (``api``, ``app``, calls), and the
fragments a page requests by htmx as soon as it loads or as it is scrolled through, with
the headers htmx sends."""

import html
import json
import re
import time
from dataclasses import dataclass

import requests

BROWSER_CONNECTIONS = 6  # per host, HTTP/1.1, in every mainstream browser
HTTP_TIMEOUT = (3.0, 30.0)  # connect, read
# Fragments requested as the page loads: hx-trigger "load", and "revealed" (the overview's
# batches of rows, all taken as in view: a page of 20 accounts has two).
LAZY_TAG = re.compile(r'<[^>]*\bhx-trigger="(?:load|revealed)"[^>]*>')
# Fragments requested when they come into view (the contact page's notes and activity
# panels, below the fold on most screens): loaded once the user scrolls to them.
IN_VIEW_TAG = re.compile(r'<[^>]*\bhx-trigger="intersect once"[^>]*>')
HX_GET = re.compile(r'\bhx-get="([^"]+)"')
API_TIMING = re.compile(r'\bapi;dur=([\d.]+);desc="(\d+) calls?"')
APP_TIMING = re.compile(r"\bapp;dur=([\d.]+)")
BODY_HEADERS = re.compile(r"<body\b[^>]*\bhx-headers='([^']*)'")


@dataclass
class Answer:
    wall_ms: float
    api_ms: float
    calls: int
    app_ms: float
    app_in_header: bool


class Browser:
    """One user's browser: its cookies and up to BROWSER_CONNECTIONS kept-alive connections
    to the server (HTTP/1.1), reused from load to load as a browser tab does."""

    def __init__(self, base_url: str, cookies: dict) -> None:
        self.base_url = base_url
        self.connections = []
        for _ in range(BROWSER_CONNECTIONS):
            session = requests.Session()
            session.cookies.update(cookies)
            self.connections.append(session)

    def close(self) -> None:
        for session in self.connections:
            session.close()

    def fetch(
        self, connection: int, path: str, htmx: bool, headers: dict[str, str] | None = None
    ) -> tuple[Answer, str]:
        """GET ``path``; ``htmx``: with htmx's HX-Request, and ``headers`` (htmx_headers)."""
        headers = {"HX-Request": "true", **(headers or {})} if htmx else {}
        url = self.base_url + path
        started = time.perf_counter()
        response = self.connections[connection].get(
            url, headers=headers, timeout=HTTP_TIMEOUT, allow_redirects=False
        )
        wall = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
        if 'role="alert"' in response.text or 'class="card error"' in response.text:
            raise RuntimeError(f"GET {url}: the page shows an error; see the server log")
        timing = response.headers.get("Server-Timing", "")
        api = API_TIMING.search(timing)
        api_ms, calls = (float(api[1]), int(api[2])) if api else (float("nan"), -1)
        app = APP_TIMING.search(timing)
        app_ms = float(app[1]) if app else wall - api_ms
        return Answer(wall, api_ms, calls, app_ms, app is not None), response.text


def _urls(tags: list[str]) -> list[str]:
    return [html.unescape(found[1]) for tag in tags if (found := HX_GET.search(tag))]


def lazy_fragments(page: str) -> list[str]:
    """The URLs a page's htmx requests on load."""
    return _urls(LAZY_TAG.findall(page))


def scrolled_fragments(page: str) -> list[str]:
    """The URLs a page's htmx requests as the user scrolls through all of it."""
    return _urls(IN_VIEW_TAG.findall(page))


def htmx_headers(page: str, url: str) -> dict[str, str]:
    """The headers htmx 2 sends with a request from ``page`` (loaded from ``url``) for an
    element with no id whose target has none: HX-Request, HX-Current-URL, and those of
    the body's ``hx-headers`` (the CSRF token), which every element inherits."""
    found = BODY_HEADERS.search(page)
    inherited = json.loads(html.unescape(found[1])) if found else {}
    return {"HX-Request": "true", "HX-Current-URL": url, **inherited}
