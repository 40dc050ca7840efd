"""The API console's door: any operation of the API reference, sent as the reference
documents it, through the account's ``Client`` (its limiter, deadline, URL guard, retries
and typed errors).

This is the only place that takes a method and a path from a user, so it takes neither:
the user picks an operation of ``reference.json`` and fills its parameters. The method and
the path's template come from the reference; a path parameter is checked (digits where the
reference types it integer; never a slash, a dot segment or a control character) and then
percent-encoded, so a request can only reach the account's own ``/api/3/`` and only the
operation chosen. No header is taken from the user (the reference's few header
parameters are not sent; see docs/api-notes.md).
"""

import json
import re
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from . import instrumentation
from .client import Client, normalise_api_url
from .errors import ApiError

REFERENCE = Path(__file__).with_name("reference.json")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_BODY = 400_000  # bytes: the API's own cap for its largest requests (bulk import)
MAX_VALUE = 2000  # characters of one path or query value
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
INTEGER = re.compile(r"^-?[0-9]{1,18}$")
# Paging the API documents for every list endpoint, offered where the reference omits it.
PAGING = ("limit", "offset")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str  # "path" or "query"
    type: str  # "string", "integer/int32", "string/date", "boolean", "array of string"
    required: bool
    default: str | None
    description: str

    @property
    def integer(self) -> bool:
        return self.type.startswith("integer")


@dataclass(frozen=True, slots=True)
class Operation:
    id: str  # the operationId; "-2" after a second operation that reuses one (six do)
    method: str
    path: str  # the template: "/webhooks/{id}"
    summary: str
    family: str
    params: tuple[Param, ...]
    example: Any  # the reference's first request example, or None

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    @property
    def has_body(self) -> bool:
        # A DELETE takes one where the reference gives an example (a group member's); a
        # GET never does (the one GET example copies its POST's).
        return self.method in BODY_METHODS or (self.method == "DELETE" and self.example is not None)

    @property
    def path_params(self) -> list[Param]:
        return [p for p in self.params if p.location == "path"]

    @property
    def query_params(self) -> list[Param]:
        return [p for p in self.params if p.location == "query"]

    def example_text(self) -> str:
        return json.dumps(self.example, indent=2, ensure_ascii=False) if self.example else ""


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    title: str
    operations: list[Operation]


class BadInput(Exception):
    """What the user filled in cannot be sent: messages per form field, nothing was sent."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Prepared:
    """One request ready to send: the operation, its filled path and query, its body."""

    operation: Operation
    path: str
    query: list[tuple[str, str]]
    body: Any = None
    has_body: bool = False

    @property
    def target(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")


@dataclass(frozen=True, slots=True)
class Result:
    """What the API answered: its status (None when no answer came), the time it took,
    its JSON body (None when it had none) and, for a failure, our account of it."""

    status: int | None
    ms: float
    body: Any
    error: str = ""
    calls: int = 1

    @property
    def ok(self) -> bool:
        return not self.error

    def pretty(self) -> str:
        return "" if self.body is None else json.dumps(self.body, indent=2, ensure_ascii=False)


def _family_name(segment: str, segments: set[str]) -> str:
    # "/webhook/events" belongs with "/webhooks", "/contact/sync" with "/contacts".
    return segment + "s" if segment + "s" in segments else segment


def _title(name: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


def _param(raw: dict[str, Any]) -> Param:
    return Param(
        name=str(raw["name"]),
        location=str(raw["in"]),
        type=str(raw.get("type") or "string"),
        required=bool(raw.get("required")) or raw["in"] == "path",
        default=raw.get("default"),
        description=str(raw.get("description") or "").removeprefix("(no description)"),
    )


def _operation(raw: dict[str, Any], key: str, family: str) -> Operation:
    params = [_param(p) for p in raw.get("params") or [] if p.get("in") in {"path", "query"}]
    names = {p.name for p in params}
    if raw["method"] == "GET" and not raw["path"].endswith("}"):
        params += [
            Param(name, "query", "integer/int32", False, None, "Paging (every list has it)")
            for name in PAGING
            if name not in names
        ]
    examples = [e for e in (raw.get("requests") or {}).values() if e is not None]
    return Operation(
        id=key,
        method=str(raw["method"]),
        path=str(raw["path"]),
        summary=str(raw.get("summary") or _title(str(raw["operationId"]).replace("_", " "))),
        family=family,
        params=tuple(params),
        example=examples[0] if examples else None,
    )


@cache
def operations() -> dict[str, Operation]:
    """Every operation of the reference, by ``Operation.id``, in the reference's order."""
    raw = json.loads(REFERENCE.read_text())
    segments = {op["path"].split("/")[1] for op in raw}
    found: dict[str, Operation] = {}
    for op in raw:
        key, n = str(op["operationId"]), 1
        while key in found:
            n += 1
            key = f"{op['operationId']}-{n}"
        found[key] = _operation(op, key, _family_name(op["path"].split("/")[1], segments))
    return found


def find(operation_id: str) -> Operation | None:
    return operations().get(operation_id)


def families(query: str = "") -> list[Family]:
    """The operations grouped by family (the path's first segment), in reference order;
    with ``query``, only those whose summary, path, method or operationId contain it."""
    words = query.lower().split()
    grouped: dict[str, list[Operation]] = {}
    for op in operations().values():
        text = f"{op.summary} {op.method} {op.path} {op.id} {op.family}".lower()
        if all(word in text for word in words):
            grouped.setdefault(op.family, []).append(op)
    return [Family(name, _title(name), ops) for name, ops in grouped.items()]


def _path_value(param: Param, value: str) -> str:
    """The percent-encoded value of a path parameter, or why it cannot be one."""
    if not value:
        raise ValueError(f"{param.name} is required: the path needs it.")
    if len(value) > MAX_VALUE or CONTROL.search(value):
        raise ValueError(f"{param.name} must be one line of at most {MAX_VALUE} characters.")
    if param.integer and not INTEGER.match(value):
        raise ValueError(f"{param.name} must be a whole number (the path needs an id).")
    if value in {".", ".."} or "/" in value or "\\" in value:
        raise ValueError(f"{param.name} must not contain a slash or be “.” or “..”.")
    return quote(value, safe="")


def _query_value(param: Param, value: str) -> str:
    if len(value) > MAX_VALUE or CONTROL.search(value):
        raise ValueError(f"{param.name} must be one line of at most {MAX_VALUE} characters.")
    if param.integer and not INTEGER.match(value):
        raise ValueError(f"{param.name} must be a whole number.")
    return value


def _body(text: str) -> Any:
    if len(text.encode()) > MAX_BODY:
        raise ValueError(f"The body is larger than {MAX_BODY:,} bytes.")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"The body is not valid JSON: {exc}.") from None


def prepare(
    operation: Operation, path_values: dict[str, str], query_values: dict[str, str], body: str
) -> Prepared:
    """The request the user filled in, checked against the operation's reference entry;
    BadInput (messages by ``path:<name>``, ``query:<name>``, ``body``) when it cannot be
    sent. Empty query values are left out."""
    errors: dict[str, str] = {}
    path = operation.path
    for param in operation.path_params:
        try:
            value = _path_value(param, path_values.get(param.name, "").strip())
        except ValueError as exc:
            errors[f"path:{param.name}"] = str(exc)
        else:
            path = path.replace("{" + param.name + "}", value)
    query = []
    for param in operation.query_params:
        value = query_values.get(param.name, "").strip()
        if not value:
            if param.required:
                errors[f"query:{param.name}"] = f"{param.name} is required."
            continue
        try:
            query.append((param.name, _query_value(param, value)))
        except ValueError as exc:
            errors[f"query:{param.name}"] = str(exc)
    parsed, has_body = None, False
    if operation.has_body and body.strip():
        try:
            parsed, has_body = _body(body), True
        except ValueError as exc:
            errors["body"] = str(exc)
    if errors:
        raise BadInput(errors)
    return Prepared(operation, path, query, parsed, has_body)


def send(client: Client, request: Prepared) -> Result:
    """Send the request (one call; the client's retries of a 429 or a failed connection
    count as more); the API's answer, its errors included, as a Result: never raises."""
    started = time.monotonic()
    with instrumentation.count_api_calls() as stats:
        try:
            body = client.request(
                request.operation.method,
                request.path,
                params=request.query or None,
                json=request.body if request.has_body else None,
            )
        except ApiError as exc:
            ms = (time.monotonic() - started) * 1000
            return Result(exc.status, ms, exc.body, exc.message, stats.count)
    ms = (time.monotonic() - started) * 1000
    status = stats.calls[-1].status if stats.calls else None
    return Result(status, ms, body, "", stats.count)


def curl(api_url: str, request: Prepared) -> str:
    """The request as a curl command, the token left to the shell as ``$AC_TOKEN``."""
    url = f"{normalise_api_url(api_url)}/api/3{request.target}"
    lines = [f"curl -X {request.operation.method} '{_single_quoted(url)}'"]
    lines.append('  -H "Api-Token: $AC_TOKEN"')
    if request.has_body:
        text = json.dumps(request.body, ensure_ascii=False)
        lines += ["  -H 'Content-Type: application/json'", f"  -d '{_single_quoted(text)}'"]
    return " \\\n".join(lines)


def _single_quoted(text: str) -> str:
    return text.replace("'", "'\\''")
