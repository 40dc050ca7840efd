"""Helpers of the overview tests: seeded or empty sandbox accounts connected in acdash, many
at once, and the rows of the accounts table as a user reads them."""

from acdash.accounts.models import ConnectedAccount
from acdash.sandbox import seed
from acdash.sandbox.models import SandboxAccount
from tests.contacts import table_rows

HTMX = {"HX-Request": "true"}


def connect(server_url: str, slug: str, name: str, size: int = 0, number: int = 1):
    """A sandbox account (seeded with ``size`` contacts, or empty) connected in acdash."""
    if size:
        seed.seed_account(slug, name, size, number)
        sandbox = SandboxAccount.objects.get(slug=slug)
        sandbox.rate_limit = 1000
        sandbox.save()
    else:
        sandbox = SandboxAccount.objects.create(slug=slug, name=name, rate_limit=1000)
    account = ConnectedAccount(slug=slug, name=name, api_url=f"{server_url}/sandbox/{slug}")
    account.set_token(sandbox.api_token)
    account.save()
    return account


def many_accounts(server_url: str, count: int, prefix: str = "client") -> list[ConnectedAccount]:
    """``count`` empty sandbox accounts, connected: real accounts (every call answers), cheap
    to create by the hundred."""
    sandboxes = SandboxAccount.objects.bulk_create(
        SandboxAccount(slug=f"{prefix}-{n:03d}", name=f"Client {n:03d}", rate_limit=1000)
        for n in range(1, count + 1)
    )
    accounts = []
    for sandbox in sandboxes:
        account = ConnectedAccount(
            slug=sandbox.slug, name=sandbox.name, api_url=f"{server_url}/sandbox/{sandbox.slug}"
        )
        account.set_token(sandbox.api_token)
        accounts.append(account)
    return ConnectedAccount.objects.bulk_create(accounts)


def account_rows(html: str) -> list[dict[str, str]]:
    """Each row's cells by column (name, health, contacts, …), as text."""
    return table_rows(html)


def names(html: str) -> list[str]:
    """The accounts' names in the table's order (the name cell holds name then slug)."""
    return [row["name"].split("client-")[0].strip() for row in account_rows(html)]
