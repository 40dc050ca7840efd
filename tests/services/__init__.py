"""Tests of the typed service functions, over real HTTP against an empty sandbox account.

Helpers shared by the modules: a fast client and makers of the data the tests need, sent
through the API as any client would.
"""

from collections.abc import Sequence
from typing import Any

from acdash.activecampaign import Client
from acdash.activecampaign.ratelimit import FileStore, RateLimiter
from acdash.sandbox import seed


def make_client(sandbox: Any, tmp_path: Any) -> Client:
    """A client of the sandbox account; a generous limiter keeps the tests fast."""
    limiter = RateLimiter(FileStore(tmp_path), rate=1000)
    return Client(sandbox.api_url, sandbox.account.api_token, limiter=limiter, backoff_base=0.01)


def seed_demo(sandbox: Any, contacts: int) -> None:
    """Fill the test account with the deterministic demo data set."""
    seed.seed_account(sandbox.account.slug, sandbox.account.name, contacts, 7, reset=True)


def new_contact(sandbox: Any, email: str, **attributes: Any) -> int:
    body = sandbox.ok("POST", "/contacts", {"contact": {"email": email, **attributes}})
    return int(body["contact"]["id"])


def new_field(sandbox: Any, title: str, kind: str, options: Sequence[str] = (), **attrs) -> int:
    body = sandbox.ok("POST", "/fields", {"field": {"title": title, "type": kind, **attrs}})
    field_id = body["field"]["id"]
    if options:
        items = [
            {"orderid": n, "value": v, "label": v.title(), "isdefault": False, "field": field_id}
            for n, v in enumerate(options, start=1)
        ]
        sandbox.ok("POST", "/fieldOption/bulk", {"fieldOptions": items})
    return int(field_id)


def new_tag(sandbox: Any, name: str, tag_type: str = "contact") -> int:
    body = sandbox.ok("POST", "/tags", {"tag": {"tag": name, "tagType": tag_type}})
    return int(body["tag"]["id"])


def new_list(sandbox: Any, name: str) -> int:
    attributes = {
        "name": name,
        "stringid": name.lower().replace(" ", "-"),
        "sender_url": "https://example.com",
        "sender_reminder": "You signed up.",
    }
    return int(sandbox.ok("POST", "/lists", {"list": attributes})["list"]["id"])
