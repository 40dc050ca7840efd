"""Fuzzing every URL (R8): the hostile values, the walk over the URL patterns, what a page's
controls send where, and a fingerprint of everything a refused request must leave alone."""

import hashlib
import re
import sys
import traceback
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.core.signals import got_request_exception
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.sandbox.models import SandboxAccount, SandboxRecord

HUGE = "99999999999999999999"  # beyond any 64-bit integer

# A list is sent as a repeated key where the view expects one value.
Value = str | list[str]
HOSTILE: tuple[Value, ...] = (
    "",
    "x" * 10_000,
    "nul\x00byte",
    "😀🚀👩‍👩‍👧",
    "\u202eשלום عليكم",
    "9999-12-31",
    "0001-01-01",
    "-5",
    "1e400",
    HUGE,
    "0",
    "abc",
    "null",
    '{"a": [1]}',
    "line\r\nInjected: header",
    " \t ",
    ["1", "2"],
    ["", "x" * 300],
)
HOSTILE_IDS = ("0", HUGE)  # for <int:…> path parameters

_PLACEHOLDER = re.compile(r"(?<!\?P)<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def url_patterns(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every URL pattern of the project, as its full route (a new view is found by itself)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def placeholders(route: str) -> list[tuple[str, str]]:
    """(converter, name) of each path parameter, regex groups included."""
    found = [(m.group(1) or "str", m.group(2)) for m in _PLACEHOLDER.finditer(route)]
    return found + [("regex", m.group(1)) for m in _REGEX_GROUP.finditer(route)]


def fill(route: str, values: dict[str, str]) -> str:
    """The route as a path, each parameter replaced by ``values[name]`` (a regex group
    without one by its first alternative)."""
    path = _PLACEHOLDER.sub(lambda m: values[m.group(2)], route)
    path = _REGEX_GROUP.sub(
        lambda m: values.get(m.group(1)) or m.group(2).split("|")[0].strip(".*") or "x", path
    )
    return "/" + path.replace("^", "").replace("$", "")


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


class Controls(HTMLParser):
    """The names each form control, link and htmx attribute of a page sends, by the route
    it sends them to, and the values the page fills in (a valid starting point)."""

    TARGETS = ("hx-post", "hx-get", "hx-put", "hx-patch", "hx-delete")

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.names: dict[str, set[str]] = defaultdict(set)
        self.defaults: dict[str, dict[str, str]] = defaultdict(dict)
        self._form: str | None = None
        self._loose: list[tuple[str, str | None]] = []
        self._textarea: tuple[str, str] | None = None
        self._select: tuple[str, str] | None = None

    def _send(self, target: str, name: str, value: str | None) -> None:
        route = route_of(urlsplit(target).path or urlsplit(self.page).path)
        if route is not None:
            self.names[route].add(name)
            if value is not None:
                self.defaults[route].setdefault(name, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "option":
            self._option(a)
            return
        own = next((a[t] for t in self.TARGETS if a.get(t)), None)
        for link in (a.get("href"), a.get("action"), own):
            if link and link.startswith(("/", "?")):
                for key, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
                    self._send(link, key, value)
        if tag == "form":
            self._form = own or a.get("action") or self.page
        target = own or self._form or self.page
        if a.get("hx-vals", "").startswith("{"):
            for key in re.findall(r'"(\w+)"\s*:', a["hx-vals"]):
                self._send(target, key, None)
        if own and a.get("hx-include"):  # the controls around it, outside any form
            for loose in self._loose:
                self._send(own, *loose)
            self._loose = []
        name = a.get("name")
        if not name or tag not in {"input", "select", "textarea", "button"}:
            return
        if own and self._form:  # sent by its own request and with its form
            self._send(self._form, name, a.get("value"))
        if self._form is None and not own and not a.get("form"):
            self._loose.append((name, a.get("value")))  # sent only where hx-include'd
            return
        if tag == "textarea":
            self._textarea = (target, name)
        elif tag == "select":
            self._select = (target, name)
        checkable = a.get("type") in {"checkbox", "radio"}
        value = a.get("value") if not checkable or "checked" in a else None
        self._send(target, name, value if tag in {"input", "button"} else None)

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._send(*self._textarea, data.removeprefix("\n"))
            self._textarea = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def _option(self, attrs: dict[str, str]) -> None:
        """The selected option (else the first) is the select's value."""
        if self._select is None:
            return
        route = route_of(urlsplit(self._select[0]).path or urlsplit(self.page).path)
        if route and ("selected" in attrs or self._select[1] not in self.defaults[route]):
            self.defaults[route][self._select[1]] = attrs.get("value", "")


def controls(page: str, html: str) -> Controls:
    parser = Controls(page)
    parser.feed(html)
    return parser


# The last fingerprint, and the SQLite state it was read at (see _unchanged_since).
_last: dict[str, tuple] = {}


def _sqlite_state() -> tuple | None:
    """The database file's version as this connection sees it (SQLite bumps it when any
    other connection commits) and the rows this connection has changed: both the same
    means nothing was written since, so the rows are the same."""
    if connection.vendor != "sqlite" or connection.connection is None:
        return None
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        return (raw, cursor.fetchone()[0], raw.total_changes)


def fingerprint(slug: str) -> str:
    """Every sandbox record of the account, and acdash's accounts and memberships (not
    their health timestamps, which reading pages updates). Raw rows: it runs per request,
    and is read again only when something was written since it was last read."""
    state = _sqlite_state()
    cached = _last.get(slug)
    if state is not None and cached is not None and cached[0] == state:
        return cached[1]
    digest = _read_fingerprint(slug)
    if state is not None:
        _last[slug] = (state, digest)
    return digest


def _read_fingerprint(slug: str) -> str:
    records, accounts = SandboxRecord._meta.db_table, ConnectedAccount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.kind, r.rid, r.parent, r.key, r.data FROM {records} r "
            f"JOIN {SandboxAccount._meta.db_table} a ON a.id = r.account_id "
            "WHERE a.slug = %s ORDER BY r.id",
            [slug],
        )
        rows = cursor.fetchall()
        cursor.execute(f"SELECT slug, name, api_url, token_encrypted FROM {accounts} ORDER BY id")
        rows += cursor.fetchall()
        cursor.execute(f"SELECT * FROM {Membership._meta.db_table} ORDER BY id")
        rows += cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@contextmanager
def server_errors() -> Iterator[list[str]]:
    """The exceptions views raise meanwhile, each as its last traceback lines."""
    found: list[str] = []

    def record(sender, request=None, **kwargs) -> None:
        error = sys.exc_info()[1]
        frames = traceback.extract_tb(error.__traceback__) if error else []
        ours = [f for f in frames if "/acdash/" in f.filename][-3:] or frames[-2:]
        where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours)
        found.append(f"{type(error).__name__}: {error} (at {where})")

    got_request_exception.connect(record)
    try:
        yield found
    finally:
        got_request_exception.disconnect(record)
