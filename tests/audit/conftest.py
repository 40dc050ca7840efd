"""The audit tests' world: two connected accounts with a trail, an owner (admin), a member
(editor), a viewer, a stranger (an admin of another account) and a superuser.

The trail pages read only acdash's database, so these accounts need no sandbox; the history
tests (test_history.py) make real edits over HTTP against a seeded sandbox account."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.audit.log import record
from acdash.audit.models import AuditEntry

HTMX = {"HX-Request": "true"}


def connect(slug: str, name: str) -> ConnectedAccount:
    account = ConnectedAccount(slug=slug, name=name, api_url=f"https://{slug}.api-us1.com")
    account.set_token(f"token-of-{slug}")
    account.save()
    return account


def entry(
    account: ConnectedAccount, user, *, at: datetime | None = None, **fields: Any
) -> AuditEntry:
    """An entry as a write makes it, made at ``at`` (the hook stamps the current time)."""
    fields = {"object_type": "contact", "object_id": 1, "action": "update", **fields}
    made = record(user=user, account=account, **fields)
    if at is not None:
        AuditEntry.objects.filter(pk=made.pk).update(at=at)
        made.refresh_from_db()
    return made


@dataclass
class World:
    acme: ConnectedAccount
    globex: ConnectedAccount
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    acme, globex = connect("acme", "Acme"), connect("globex", "Globex")
    users = get_user_model().objects
    made = {
        name: users.create_user(name, password="pw", first_name=name.title())
        for name in ("owner", "member", "viewer", "stranger")
    }
    made["root"] = users.create_superuser("root", "root@example.com", "pw")
    for name, role in (("owner", "admin"), ("member", "editor"), ("viewer", "viewer")):
        Membership.objects.create(user=made[name], account=acme, role=role)
    Membership.objects.create(user=made["stranger"], account=globex, role="admin")
    return World(acme, globex, made)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def trail(world) -> list[AuditEntry]:
    """A small trail over four days: edits of contacts and deals in Acme, one in Globex."""
    owner, member, stranger = (world.users[n] for n in ("owner", "member", "stranger"))
    return [
        entry(
            world.acme,
            member,
            at=at(1),
            object_id=7,
            before={"email": "ada@example.com", "first_name": "Ada"},
            after={"email": "ada.king@example.com", "first_name": "Ada"},
            summary="Edited Email",
        ),
        entry(
            world.acme,
            owner,
            at=at(2),
            object_id=7,
            action="tag.add",
            after={"tag_id": 3, "tag": "VIP", "contact_tag_id": 40},
            summary="Added tag VIP",
        ),
        entry(
            world.acme,
            member,
            at=at(3),
            object_type="deal",
            object_id=12,
            action="move",
            before={"id": 12, "title": "Big one", "stage_id": 1},
            after={"id": 12, "title": "Big one", "stage_id": 2},
            job=31,
        ),
        entry(
            world.acme,
            owner,
            at=at(4),
            object_id=8,
            action="delete",
            before={"id": 8, "email": "gone@example.com"},
            summary="Deleted contact gone@example.com",
        ),
        entry(
            world.globex,
            stranger,
            at=at(4, 15),
            object_id=99,
            before={"phone": ""},
            after={"phone": "+1 555 0100"},
        ),
    ]
