"""Route table, request context and error helpers of the emulator."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, QueryDict

from .models import SandboxAccount

Body = dict[str, Any] | list[Any]
Handler = Callable[..., Body | tuple[int, Body]]


class ApiError(Exception):
    """An error response, with the status and body the real API gives."""

    def __init__(self, status: int, body: Body):
        super().__init__(status)
        self.status = status
        self.body = body


def not_found(entity: str, rid: object) -> ApiError:
    """The API's usual 404 body, e.g. ``No Result found for Subscriber with id 1``."""
    return ApiError(404, {"message": f"No Result found for {entity} with id {rid}"})


def not_found_errors() -> ApiError:
    """The 404 body of the custom-field endpoints."""
    return ApiError(404, {"errors": [{"status": 404, "title": "Not Found"}]})


def field_error(
    title: str, attribute: str, code: str = "field_invalid", detail: str = "", status: int = 422
) -> dict[str, Any]:
    return {
        "title": title,
        "detail": detail,
        "code": code,
        "source": {"pointer": f"/data/attributes/{attribute}"},
    }


def invalid(title: str, attribute: str, code: str = "field_invalid", detail: str = "") -> ApiError:
    """A 422 with one ``errors[]`` entry pointing at the attribute."""
    return ApiError(422, {"errors": [field_error(title, attribute, code, detail)]})


def missing(title: str, attribute: str) -> ApiError:
    return invalid(title, attribute, code="field_missing")


@dataclass
class Ctx:
    """What a handler gets: the account, the query, the parsed JSON body, link building."""

    account: SandboxAccount
    request: HttpRequest
    base_url: str
    query: QueryDict
    raw_body: bytes
    _body: Any = field(default=None, init=False)
    _parsed: bool = field(default=False, init=False)

    @property
    def body(self) -> Any:
        if not self._parsed:
            self._parsed = True
            if self.raw_body.strip():
                try:
                    self._body = json.loads(self.raw_body)
                except ValueError as exc:
                    raise ApiError(400, {"message": "The request body is not valid JSON."}) from exc
        return self._body

    def envelope(self, key: str) -> dict[str, Any]:
        """The object under ``key`` in the body (``{"contact": {...}}``), or 400."""
        body = self.body
        obj = body.get(key) if isinstance(body, dict) else None
        if not isinstance(obj, dict):
            raise ApiError(400, {"message": f"The request body must contain a '{key}' object."})
        return obj

    def link(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.account.timezone)

    def param(self, name: str, default: str | None = None) -> str | None:
        value = self.query.get(name)
        return default if value in (None, "") else value

    def int_param(self, name: str) -> int | None:
        value = self.param(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise ApiError(400, {"message": f"'{name}' must be an integer."}) from exc

    def id_list(self, name: str) -> list[int]:
        """``ids[]=1&ids[]=2`` or ``ids=1,2``."""
        raw = self.query.getlist(f"{name}[]") + ",".join(self.query.getlist(name)).split(",")
        # An id past 64 bits names no record: -1 stands for it (the database's integers
        # would overflow).
        return [int(v) if int(v) < 2**63 else -1 for v in raw if v.strip().isdigit()]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    template: str
    operation: str
    handler: Handler


ROUTES: list[Route] = []


def route(method: str, template: str, operation: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``METHOD /template`` (``{name}`` segments become kwargs)."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template.strip("/"))
    pattern = re.compile(f"^{regex}$")

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, pattern, template, operation, handler))
        return handler

    return register


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """Find the route; literal segments win over placeholders (``users/me`` over ``users/{id}``)."""
    path = path.strip("/")
    matches = []
    for candidate in ROUTES:
        if candidate.method == method and (match := candidate.pattern.match(path)):
            matches.append((candidate.template.count("{"), candidate, match.groupdict()))
    if not matches:
        return None
    _, best, kwargs = min(matches, key=lambda m: m[0])
    return best, kwargs


def path_allows_other_method(path: str) -> bool:
    path = path.strip("/")
    return any(r.pattern.match(path) for r in ROUTES)
