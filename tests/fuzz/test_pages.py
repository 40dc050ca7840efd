"""R8 for acdash's own pages: every URL pattern (walked, so a new view is fuzzed by itself),
every field and query parameter its pages send there, hostile values, as GET and POST, as
an editor and a viewer of the account (and the superuser and a visitor where they go):
never a 500, and a refused request (status ≥ 400 or a form shown again with its errors)
changes nothing in the sandbox or in acdash."""

import re
from collections import deque
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.test import Client

from acdash.sandbox.models import SandboxRecord

from . import (
    HOSTILE,
    HOSTILE_IDS,
    controls,
    fill,
    fingerprint,
    placeholders,
    route_of,
    server_errors,
)
from . import url_patterns as walk
from .conftest import SLUG, World

ROUTES = [r for r in walk() if not r.startswith("sandbox/")]  # test_sandbox_api.py
ACCOUNT_ROUTE = "a/<slug:account>/"
DJANGO_ADMIN = "admin/"  # Django's own forms: fewer rounds
REFUSED_MARKERS = (b'role="alert"', b'class="errorlist', b'aria-invalid="true"', b"toast-error")
# Names views read that the crawl cannot see: the tag suggestions' buttons land inside the
# tag form when picked.
READ_BY_VIEWS = {"a/<slug:account>/contacts/<int:contact_id>/tags/": {"tag_id"}}
LINK_WITH_QUERY = re.compile(r'(?:href|hx-get)="(/[^"]*\?[^"]*)"')
CRAWL_LIMIT = 3 * len(ROUTES)  # pages read to find the controls

# The controls found by crawling, per route: the same in every test (the seed is fixed).
_discovered: dict[str, dict[str, Any]] = {}


def _object_ids(route: str, ids: dict[str, list[str]]) -> dict[str, list[str]]:
    """An admin route's object id: a row of the model it names."""
    parts = route.split("/")
    if len(parts) > 3 and "<path:object_id>" in parts and parts[1] != "r":
        model = apps.get_model(parts[1], parts[2])
        return {**ids, "object_id": [str(model.objects.order_by("pk").first().pk)]}
    return {**ids, "object_id": ids["id"]}


def _guessed_id(converter: str, name: str) -> str:
    """A parameter the fuzz test was not told about (a new view): the first record of the
    sandbox kind it names (``deal_id`` → deal, ``task_id`` → dealTask), else 1 (the first
    id of every seeded kind), or the account's slug."""
    if converter in {"slug", "str"}:
        return SLUG
    if converter == "uuid":
        return "0" * 32
    stem = name.removesuffix("_id")
    kinds = {kind.lower(): kind for kind in SandboxRecord.objects.values_list("kind", flat=True)}
    kind = kinds.get(stem.lower()) or kinds.get(f"deal{stem}".lower())
    records = SandboxRecord.objects.filter(account__slug=SLUG, kind=kind)
    found = records.order_by("rid").first() if kind else None
    return str(found.rid) if found else "1"


def urls(route: str, ids: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The route filled with real ids (every value of a multi-valued one), and with each
    integer parameter in turn hostile (0, huge) and the others real."""
    ids = _object_ids(route, ids)
    params = placeholders(route)
    for converter, name in params:
        if converter != "regex" and name not in ids:
            ids[name] = [_guessed_id(converter, name)]
    first = {name: ids[name][0] for _, name in params if name in ids}
    real = [fill(route, first)]
    for name in {n for _, n in params if len(ids.get(n, ())) > 1}:
        real += [fill(route, {**first, name: value}) for value in ids[name][1:]]
    hostile = [
        fill(route, {**first, name: value})
        for converter, name in params
        if converter == "int"
        for value in HOSTILE_IDS
    ]
    return real, hostile


def _crawl(client: Client, world: World) -> None:
    """Read every page (and fragment) and follow their links, noting which names each
    route receives and the values the pages fill in. A link is read once per route and
    set of query names (the 20 rows of a list lead to one contact page)."""
    client.force_login(world.users["superuser"])
    queue = deque(u for route in ROUTES for u in urls(route, world.ids)[0])
    seen: set[tuple] = set()
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        kind = (route_of(parts.path), frozenset(k for k, _ in parse_qsl(parts.query)))
        if kind in seen or "logout" in url:
            continue
        seen.add(kind)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = controls(url, response.content.decode())
            for route, names in found.names.items():
                entry = _discovered.setdefault(route, {"names": set(), "defaults": {}})
                entry["names"] |= names
                entry["defaults"] = {**found.defaults[route], **entry["defaults"]}
            queue.extend(_links(response.content.decode()))
    # The pages talked to the sandbox (a guard refusing its URL would make all this moot).
    contact = world.ids["contact_id"][0]
    email = SandboxRecord.objects.get(account__slug=SLUG, kind="contact", rid=contact).key
    assert email in client.get(f"/a/{SLUG}/contacts/{contact}/").content.decode()


def _links(html: str) -> list[str]:
    """Links with a query string (e.g. ``?edit=1``): they reveal more controls."""
    return [link.replace("&amp;", "&") for link in LINK_WITH_QUERY.findall(html)]


def _fields(route: str) -> tuple[list[str], dict[str, str]]:
    entry = _discovered.get(route, {"names": set(), "defaults": {}})
    names = sorted(entry["names"] | READ_BY_VIEWS.get(route, set()) | {"junk"})
    # The starting point of the one-hostile-field requests: what the page fills in, and
    # a harmless word where it leaves a field empty (so a required one does not stop them).
    defaults = {
        k: v or ("fuzz@example.com" if "email" in k else "fuzz")
        for k, v in entry["defaults"].items()
        if k != "csrfmiddlewaretoken"
    }
    return [n for n in names if n != "csrfmiddlewaretoken"], defaults


def _refused(response) -> bool:
    if response.status_code >= 400 or response.get("HX-Reswap") == "none":
        return True
    return any(marker in response.content for marker in REFUSED_MARKERS)


def _send(client: Client, world: World, role: str, method: str, url: str, data, htmx: bool):
    user = world.users[role]
    if user is None:
        client.logout()
    elif role != world.role or "log" in url or "password" in url:  # they end the session
        client.force_login(user)
    world.role = role
    headers = {"HX-Request": "true"} if htmx else {}
    with server_errors() as errors:
        response = getattr(client, method)(url, data, headers=headers)
    after = fingerprint(SLUG)
    what = f"{role} {method.upper()} {url} {_short(data)}"
    if response.status_code >= 500 or errors:
        for error in errors or [f"status {response.status_code}"]:
            world.failures.setdefault(error, f"{what} -> {response.status_code}")
    elif (method == "get" or _refused(response)) and after != world.state:
        world.failures.setdefault(f"{method.upper()} refused but changed data", what)
    world.state = after
    return response


def _short(data: dict) -> str:
    return repr(
        {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in data.items()}
    )[:300]


# A 403 is only ever a refusal of the user's role: every PermissionDenied in acdash checks
# it (viewers' writes on every account URL, tests/accounts/test_authorization.py; editors'
# setup writes, tests/setup/test_access.py). So once two rounds of different hostile values
# are both refused so, the role cannot use that view, and more rounds would only be refused.
FORBIDDEN = 403


def _rounds(route: str, role: str) -> int:
    """Every hostile value in every field for the roles that use the page; a few rounds
    for a reader's or stranger's writes, refused at once. Django's admin sees editors and
    viewers alike (neither is staff), and its own forms get fewer rounds."""
    if route.startswith(DJANGO_ADMIN):
        return 6 if role == "superuser" else 2
    return len(HOSTILE) if role in {"editor", "superuser"} else 2


def _roles(route: str) -> list[str]:
    if route.startswith(ACCOUNT_ROUTE):
        return ["editor", "viewer"]
    return ["editor", "viewer", "superuser", "visitor"]


def test_every_url_pattern_is_fuzzed():
    assert len(ROUTES) >= 25 and any("contacts/<int:contact_id>/tags/" in r for r in ROUTES)


def _id(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"\1", route).replace("(?P", "").strip("/") or "root"


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_hostile_input_never_fails_and_refusals_change_nothing(route, world):
    client = Client(raise_request_exception=False)  # a 500 is a response, noted below
    if not _discovered:
        _crawl(client, world)
    names, defaults = _fields(route)
    real, hostile = urls(route, world.ids)
    world.state = fingerprint(SLUG)
    n = len(HOSTILE)
    forbidden: set[tuple[str, str, str]] = set()  # (role, method, url) its role may not use
    for role in _roles(route):
        for url in real:
            for method in ("get", "post"):
                answers = []
                for k in range(_rounds(route, role)):
                    data = {name: HOSTILE[(k + j) % n] for j, name in enumerate(names)}
                    answers.append(_send(client, world, role, method, url, data, htmx=k % 2 == 1))
                    if k == 1 and all(a.status_code == FORBIDDEN for a in answers):
                        forbidden.add((role, method, url))  # see FORBIDDEN
                        break
        for url in hostile:
            for method in ("get", "post"):
                _send(client, world, role, method, url, {}, htmx=False)
                _send(client, world, role, method, url, dict(defaults), htmx=True)
    # One field hostile at a time, the others as the page fills them: each value then
    # reaches the check of its own field.
    writer = "editor" if route.startswith(ACCOUNT_ROUTE) else "superuser"
    for url in real:
        for i, name in enumerate(names):
            for m in range(1 if route.startswith(DJANGO_ADMIN) else 2):
                value = HOSTILE[(i + 9 * m) % n]
                for method in ("get", "post"):
                    if (writer, method, url) in forbidden:
                        continue
                    data = {**defaults, name: value}
                    _send(client, world, writer, method, url, data, htmx=m % 2 == 0)
    assert not world.failures, "\n".join(f"{e}\n  first: {r}" for e, r in world.failures.items())
