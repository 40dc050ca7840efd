"""Helpers of the contact screen tests: a seeded sandbox account connected in acdash, and
the rows of the contact table as a user reads them."""

from html.parser import HTMLParser

from acdash.accounts.models import ConnectedAccount
from acdash.sandbox import seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord

SLUG = "acme"
SIZE = 120  # more than the largest page (100), so every page size has a next page


def connect_seeded_account(live_server_url: str) -> ConnectedAccount:
    """Seed a small sandbox account (a generous rate limit) and connect it in acdash."""
    seed.seed_account(SLUG, "Acme", SIZE, 7)
    sandbox = SandboxAccount.objects.get(slug=SLUG)
    sandbox.rate_limit = 1000
    sandbox.save()
    account = ConnectedAccount(slug=SLUG, name="Acme", api_url=f"{live_server_url}/sandbox/{SLUG}")
    account.set_token(sandbox.api_token)
    account.save()
    return account


def sandbox_records(kind: str) -> list[SandboxRecord]:
    """The sandbox's own rows (the oracle the rendered pages are checked against)."""
    return list(SandboxRecord.objects.filter(account__slug=SLUG, kind=kind).order_by("rid"))


class _TableRows(HTMLParser):
    """Text of each body cell, by column (the cells' ``col-<name>`` class)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self._in_body = False
        self._column: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append({})
            self.links.append({})
        elif self._in_body and tag == "td":
            self._column = (attributes.get("class") or "").removeprefix("col-")
            self.rows[-1][self._column] = ""
        elif self._column and tag == "a":
            self.links[-1][self._column] = attributes.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td":
            self._column = None

    def handle_data(self, data: str) -> None:
        if self._column:
            self.rows[-1][self._column] += data.strip()


def table_rows(html: str) -> list[dict[str, str]]:
    parser = _TableRows()
    parser.feed(html)
    return parser.rows


def table_links(html: str) -> list[dict[str, str]]:
    parser = _TableRows()
    parser.feed(html)
    return parser.links


def emails(html: str) -> list[str]:
    return [row["email"] for row in table_rows(html)]
