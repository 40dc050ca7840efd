"""The demo accounts' setups differ on purpose (acdash/sandbox/seed/setups.py): compare,
over HTTP against the seeded accounts themselves, reports exactly the expected create /
update / identical / conflict rows of every part."""

import pytest
from django.core.cache import cache

from acdash.accounts.models import ConnectedAccount
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from tests.setup.test_compare import URL, _diff


def titles(kind: str, attribute: str, **filters) -> list[str]:
    found = SandboxRecord.objects.filter(account__slug="northwind", kind=kind, **filters)
    return [r.data[attribute] for r in found.order_by("rid")]


@pytest.fixture
def demo(live_server, transactional_db, monkeypatch):
    cache.clear()
    faults.reset()
    # The demo accounts as they are, with fewer contacts (setup does not depend on them).
    small = [
        seed.DemoAccount(d.slug, d.name, 20, d.seed, d.setup)
        for d in seed.DEMO_ACCOUNTS
        if d.slug in {"northwind", "globex"}
    ]
    monkeypatch.setattr(seed, "DEMO_ACCOUNTS", small)
    seed.seed_demo_accounts()
    for sandbox in SandboxAccount.objects.all():
        url = f"{live_server.url}/sandbox/{sandbox.slug}"
        account = ConnectedAccount(slug=sandbox.slug, name=sandbox.name, api_url=url)
        account.set_token(sandbox.api_token)
        account.save()
    yield
    faults.reset()


def expected(names: list[str], **statuses: set[str]) -> dict[str, set[str]]:
    rest = set(names) - set().union(*statuses.values())
    return {k: v for k, v in {**statuses, "identical": rest}.items() if v}


def test_compare_of_the_seeded_demo_accounts(demo, admin_client):
    page = admin_client.get(URL, {"source": "northwind", "targets": ["globex"], "compare": "1"})
    diff = _diff(page.content.decode())
    contact = titles("field", "title")
    assert diff.parts["contact_fields"] == expected(
        contact, create={"Birthday"}, update={"Industry"}, conflict={"City"}
    )
    deal = titles("dealCustomFieldMeta", "fieldLabel")
    assert diff.parts["deal_fields"] == expected(deal, create={deal[0]})
    accounts = titles("accountCustomFieldMeta", "fieldLabel")
    assert diff.parts["account_fields"] == expected(accounts, update={accounts[0]})
    assert "required: yes → no" in diff.changes[("account_fields", accounts[0])]
    boards = titles("dealGroup", "title")
    assert diff.parts["pipelines"] == expected(boards, conflict={boards[0]}, update={boards[1]})
    assert "is in the pipeline" in diff.changes[("pipelines", boards[0])]
    types = titles("dealTasktype", "title")
    assert diff.parts["task_types"] == expected(types, create={types[0]})
    tag_names = titles("tag", "tag")
    assert diff.parts["tags"] == expected(tag_names, create={tag_names[0]}, update={tag_names[1]})
    list_names = titles("list", "name")
    assert diff.parts["lists"] == expected(list_names, create={list_names[0]})
    assert diff.parts["branding"] == {"update": {"Branding"}}
