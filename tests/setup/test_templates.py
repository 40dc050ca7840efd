"""Setup templates over HTTP: save an account's setup, rename, delete; compare an account
with a template and apply it with the copy job, also after the source account changed or
was disconnected. Applied to a fresh account, the account then compares identical."""

import random

import pytest
from django.core.cache import cache
from django.utils import timezone

from acdash.accounts.models import ConnectedAccount
from acdash.jobs.models import Job
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount
from acdash.sandbox.seed.context import Seeding
from acdash.sandbox.seed.users import add_branding, add_users
from acdash.sandbox.seed.writer import Writer
from acdash.setup.models import SetupTemplate
from acdash.setup.snapshot import PARTS
from tests.jobs.conftest import work
from tests.setup.test_compare import URL, _diff, _rec
from tests.tasks.conftest import connect


def fresh(live_server_url: str, slug: str = "fresh") -> ConnectedAccount:
    """A new sandbox account with only what every account has: its users and branding."""
    sandbox = SandboxAccount.objects.create(slug=slug, name="Fresh", rate_limit=1000)
    writer = Writer(sandbox)
    seeding = Seeding(sandbox, writer, random.Random(1), timezone.localdate())
    add_users(seeding)
    add_branding(seeding)
    writer.close()
    account = ConnectedAccount(slug=slug, name="Fresh", api_url=f"{live_server_url}/sandbox/{slug}")
    account.set_token(sandbox.api_token)
    account.save()
    return account


@pytest.fixture
def acme(live_server, transactional_db):
    cache.clear()
    faults.reset()
    yield connect(live_server.url, "acme", "Acme", size=20)
    faults.reset()


def save(client, name="Agency standard", source="acme"):
    return client.post("/setup/templates/", {"name": name, "source": source})


def compare(client, source, target):
    page = client.get(URL, {"source": source, "targets": [target], "compare": "1"})
    return _diff(page.content.decode())


def apply(client, source, target):
    parts = [f"{target}|{part}" for part in PARTS]
    return client.post("/setup/copy/", {"source": source, "part": parts})


def test_save_rename_delete(acme, admin_client):
    assert save(admin_client).status_code == 302
    template = SetupTemplate.objects.get()
    assert template.source_name == "Acme"
    assert any(i["name"] == "City" for i in template.parts["contact_fields"])
    page = admin_client.get("/setup/templates/").content.decode()
    assert "Agency standard" in page and f"source=template:{template.pk}" in page
    assert save(admin_client, name="agency STANDARD").status_code == 400  # name taken
    admin_client.post(f"/setup/templates/{template.pk}/rename/", {"name": "Clients"})
    assert SetupTemplate.objects.get().name == "Clients"
    admin_client.post(f"/setup/templates/{template.pk}/rename/", {"name": ""})
    assert SetupTemplate.objects.get().name == "Clients"
    admin_client.post(f"/setup/templates/{template.pk}/delete/")
    assert not SetupTemplate.objects.exists()
    assert admin_client.post(f"/setup/templates/{template.pk}/delete/").status_code == 404


def test_a_template_applied_to_a_fresh_account_makes_it_compare_identical(
    acme, live_server, admin_client
):
    save(admin_client)
    template = SetupTemplate.objects.get()
    source = f"template:{template.pk}"
    fresh(live_server.url)
    before = compare(admin_client, source, "fresh")
    assert before.parts["contact_fields"]["create"]
    # The source account changes, then is disconnected: the template is what it was.
    _rec("acme", "field", title="City").delete()
    acme.delete()
    assert apply(admin_client, source, "fresh").status_code == 302
    job = Job.objects.get(account__slug="fresh")
    work()
    job.refresh_from_db()
    assert job.failed == 0, list(job.items.filter(state="failed").values("object_id", "reason"))
    after = compare(admin_client, source, "fresh")
    for part, statuses in after.parts.items():
        assert set(statuses) == {"identical"}, (part, statuses)
    assert "City" in after.parts["contact_fields"]["identical"]
