"""The fuzz tests' world: a small seeded sandbox account connected in acdash, an admin, an
editor and a viewer of it, a superuser, and the real ids to put in URLs."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.jobs.models import Job
from acdash.jobs.tasks import run_job
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from acdash.setup.models import SetupTemplate

SLUG = "acme"
CONTACTS = 25  # more than a page (20): the list shows its pager, whose links are fuzzed too


@dataclass
class World:
    ids: dict[str, list[str]]
    users: dict[str, Any]
    failures: dict[str, str] = field(default_factory=dict)  # each error, its first request
    state: str = ""
    role: str = ""


def _real_ids(membership: Membership) -> dict[str, list[str]]:
    """Path parameters filled with ids that exist: a contact with tags and notes, every
    custom field (each type has its own editor), and one of each of the rest."""
    records = SandboxRecord.objects.filter(account__slug=SLUG)
    tagged = set(records.filter(kind="contactTag").values_list("parent", flat=True))
    noted = records.filter(kind="note", parent__in=tagged).order_by("rid").first()
    contact = noted.parent if noted else min(tagged)
    admin_user = get_user_model().objects.get(username="root")
    automation = records.filter(kind="contactAutomation", data__contact=str(contact)).first()
    return {
        "account": [SLUG],
        "slug": [SLUG],
        "contact_id": [str(contact)],
        "field_id": [str(r) for r in records.filter(kind="field").values_list("rid", flat=True)],
        "contact_tag_id": [str(records.filter(kind="contactTag", parent=contact).first().rid)],
        "note_id": [str(noted.rid if noted else 1)],
        "member": [str(membership.pk)],
        "id": [str(admin_user.pk)],
        "content_type_id": [str(ContentType.objects.get_for_model(ConnectedAccount).pk)],
        "url": ["nope"],
        "contact_automation_id": [str(automation.rid if automation else 1)],
        # API console operations: a read by id, a list with query parameters, a write.
        "operation": ["Tag_getTag", "List_webhooks", "Webhook_updateExisting"],
    }


def _finished_job(account: ConnectedAccount, user: Any, contact_id: str) -> int:
    """A job that set a contact's first custom field, and its task row (for the admin)."""
    job = Job.objects.create(
        account=account,
        created_by=user,
        kind="contact",
        description="Set a field",
        target={"field:1": "Fuzzed"},
        state=Job.State.DONE,
        total=1,
        done=1,
    )
    job.items.create(
        position=0,
        object_id=contact_id,
        state="done",
        before={"field:1": ""},
        after={"field:1": "Fuzzed"},
    )
    run_job.enqueue(job.pk)
    return job.pk


@pytest.fixture
def world(live_server, transactional_db) -> World:
    faults.reset()
    seed.seed_account(SLUG, "Acme", CONTACTS, 7)
    SandboxAccount.objects.filter(slug=SLUG).update(rate_limit=100_000)
    sandbox = SandboxAccount.objects.get(slug=SLUG)
    account = ConnectedAccount(slug=SLUG, name="Acme", api_url=f"{live_server.url}/sandbox/{SLUG}")
    account.set_token(sandbox.api_token)
    account.save()
    users = get_user_model().objects
    editor, viewer = users.create_user("editor"), users.create_user("viewer")
    membership = Membership.objects.create(user=editor, account=account, role="editor")
    Membership.objects.create(user=viewer, account=account, role="viewer")
    admin = users.create_user("admin")  # the account's own admin: setup, members, console
    Membership.objects.create(user=admin, account=account, role="admin")
    root = users.create_superuser("root", "root@example.com", None)
    Group.objects.create(name="Staff")  # every admin page has a row to show
    roles = {"admin": admin, "editor": editor, "viewer": viewer, "superuser": root, "visitor": None}
    ids = _real_ids(membership)
    ids["job_id"] = [str(_finished_job(account, editor, ids["contact_id"][0]))]
    saved = SetupTemplate.objects.create(name="Fuzz", source_name="Acme", parts={})
    ids["template_id"] = [str(saved.pk)]
    yield World(ids, roles)
    faults.reset()
