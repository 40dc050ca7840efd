"""Users of the account (staff of the ActiveCampaign account, not acdash users)."""

from dataclasses import dataclass
from typing import Any

from . import metadata
from .client import Client
from .paging import iter_all

MAX_USERS = 2000
CACHE_NAME = "users"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def name(self) -> str:
        """The full name, or the username when the user has none."""
        return f"{self.first_name} {self.last_name}".strip() or self.username


def _user(raw: dict[str, Any]) -> User:
    return User(
        id=int(raw["id"]),
        username=str(raw.get("username") or ""),
        first_name=str(raw.get("firstName") or ""),
        last_name=str(raw.get("lastName") or ""),
        email=str(raw.get("email") or ""),
        phone=str(raw.get("phone") or ""),
    )


def _load_users(client: Client) -> list[User]:
    raw = iter_all(client, "/users", "users", max_items=MAX_USERS, overflow="stop")
    return sorted((_user(item) for item in raw), key=lambda u: (u.name.lower(), u.id))


def list_users(client: Client) -> list[User]:
    """The account's users by name (cached; one call per 100 users on a miss)."""
    return metadata.cached(client, CACHE_NAME, lambda: _load_users(client))


def users_by_id(client: Client) -> dict[int, User]:
    return {user.id: user for user in list_users(client)}


def me(client: Client) -> User:
    """The user the API token belongs to (one call, not cached). A bad token: AuthError."""
    return _user(client.get("/users/me")["user"])
