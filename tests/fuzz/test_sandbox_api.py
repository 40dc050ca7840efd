"""R8 for the sandbox (its URL patterns are the project's too): every operation it serves,
with hostile ids, query parameters (the reference's, for each operation) and request bodies
(the reference's example with each value hostile, wrong types, not JSON at all): never a
500, and a refused request (status ≥ 400) changes no record."""

import json
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount
from acdash.sandbox.routing import ROUTES as OPERATIONS
from tests.conformance import shapes

from . import HOSTILE, HUGE, fill, fingerprint, server_errors
from . import url_patterns as walk

SLUG = "acme"
PATTERNS = [r for r in walk() if r.startswith("sandbox/")]
API_PATTERN = "sandbox/<slug:account>/api/3/<path:path>"
IDS = ("1", "0", HUGE, "-5", "abc")
ROUNDS = 4  # of hostile query parameters per operation (each round shifts the values)
RAW_BODIES = ("", "not json", "[]", "null", '"text"', "1e400", '{"a": {"b": [null]}}')
WRONG_TYPES: tuple[Any, ...] = (None, [], {}, True, -5, 1e300, 10**30, "x" * 10_000, "\x00")

# The operations by the family of their path (first segment): one test each, fresh data.
FAMILIES: dict[str, list] = defaultdict(list)
for operation in OPERATIONS:
    FAMILIES[operation.template.split("/")[0]].append(operation)
ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


@pytest.fixture
def api(live_server, transactional_db) -> dict[str, Any]:
    faults.reset()
    seed.seed_account(SLUG, "Acme", 6, 7)
    SandboxAccount.objects.filter(slug=SLUG).update(rate_limit=100_000)
    token = SandboxAccount.objects.get(slug=SLUG).api_token
    yield {"client": Client(raise_request_exception=False), "token": token}
    faults.reset()


def _reference(operation_id: str) -> dict[str, Any]:
    found = [op for op in shapes.operations().values() if op["operationId"] == operation_id]
    return found[0] if found else {"params": [], "requests": {}}


def _hostile_leaves(example: Any, k: int) -> Any:
    """The example with every value replaced, in turn, by hostile strings and wrong types."""
    counter = iter(range(10_000))

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: replace(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replace(item) for item in node] or [None]
        i = next(counter) + k
        pool = HOSTILE + WRONG_TYPES
        return pool[i % len(pool)]

    return replace(example)


def _bodies(operation_id: str) -> list[str]:
    examples = list(_reference(operation_id)["requests"].values()) or [{}]
    bodies = list(RAW_BODIES)
    for example in examples:
        bodies += [json.dumps(_hostile_leaves(example, k)) for k in range(len(HOSTILE))]
        if isinstance(example, dict):  # the resource's key holding a wrong type
            bodies += [json.dumps({key: wrong}) for key in example for wrong in WRONG_TYPES]
    return bodies


def _queries(operation_id: str) -> list[dict[str, Any]]:
    names = [p["name"] for p in _reference(operation_id)["params"] if p["in"] == "query"]
    names += ["limit", "offset", "search", "ids", "orders[id]", "id_greater"]
    n = len(HOSTILE)
    return [{name: HOSTILE[(k + j) % n] for j, name in enumerate(names)} for k in range(ROUNDS)]


class Fuzzer:
    def __init__(self, api: dict[str, Any]) -> None:
        self.client, self.token = api["client"], api["token"]
        self.failures: dict[str, str] = {}
        self.state = fingerprint(SLUG)

    def send(self, method: str, path: str, *, query=None, body=None, token=True) -> None:
        headers = {"Api-Token": self.token} if token else {}
        send = getattr(self.client, method.lower())
        with server_errors() as errors:
            if body is None:
                response = send(f"{path}?{urlencode(query or {}, doseq=True)}", headers=headers)
            else:
                response = send(path, body, content_type="application/json", headers=headers)
        after = fingerprint(SLUG)
        what = f"{method} {path} {str(query or body)[:200]!r}"
        if response.status_code >= 500 or errors:
            for error in errors or [f"status {response.status_code}"]:
                self.failures.setdefault(error, f"{what} -> {response.status_code}")
        elif response.status_code >= 400 and after != self.state:
            self.failures.setdefault(f"refused {method} changed records", what)
        self.state = after

    def check(self) -> None:
        assert not self.failures, "\n".join(f"{e}\n  first: {r}" for e, r in self.failures.items())


def test_every_operation_is_in_a_family():
    assert API_PATTERN in PATTERNS
    assert sum(len(ops) for ops in FAMILIES.values()) == len(OPERATIONS) >= 257


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_operation_refuses_hostile_input_cleanly(family, api):
    fuzzer = Fuzzer(api)
    for operation in sorted(FAMILIES[family], key=lambda op: ORDER[op.method]):
        for id_value in IDS if "{" in operation.template else ("",):
            path = re.sub(r"\{\w+\}", id_value, operation.template)
            url = fill(API_PATTERN, {"account": SLUG, "path": path})
            if operation.method in {"GET", "DELETE"}:
                for query in _queries(operation.operation):
                    fuzzer.send(operation.method, url, query=query)
            else:
                for body in _bodies(operation.operation)[:: 1 if id_value == "1" else 6]:
                    fuzzer.send(operation.method, url, body=body)
    fuzzer.check()


@pytest.mark.parametrize("route", [r for r in PATTERNS if r != API_PATTERN])
def test_the_other_sandbox_urls_refuse_hostile_input_cleanly(route, api):
    fuzzer = Fuzzer(api)
    url = fill(route, {"account": SLUG})
    for method in ("GET", "POST", "DELETE"):
        for token in (False, True):
            for query in _queries("none"):
                fuzzer.send(method, url, query=query, token=token)
    fuzzer.check()
