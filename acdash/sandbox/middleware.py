"""The emulated API answers before acdash's own middleware runs.

Sessions, CSRF, messages, CSP and the rest serve acdash's pages; an API request needs none
of them, and on a machine the emulator shares with acdash their cost (about a fifth of an
emulated call) queues every concurrent call behind the others, which the real API does not.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

PREFIX = "/sandbox/"


class EmulatorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:  # not an emulated URL (or the sandbox is off): acdash answers
            return self.get_response(request)
        if match.namespace != "sandbox":
            return self.get_response(request)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        # As the API (and CommonMiddleware) does: a length, not a chunked body to parse.
        if not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
