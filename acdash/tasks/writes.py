"""What the task views share around the API: the account's task metadata in one step, and
showing the API's refusal of a write by the form field it names. Audit is the contacts
area's helper (one audit hook for every area)."""

from dataclasses import dataclass

from django import forms

from acdash.activecampaign import NON_FIELD, Client, ValidationError, users
from acdash.activecampaign import tasks as task_api
from acdash.activecampaign.concurrency import gather
from acdash.contacts.writes import audit, confirm_delete

from .forms import API_FIELDS

__all__ = ["Metadata", "audit", "confirm_delete", "load_metadata", "show_refusal"]


@dataclass(frozen=True)
class Metadata:
    setup: task_api.TaskSetup
    users: list[users.User]

    @property
    def user_choices(self) -> list[tuple[int, str]]:
        return [(u.id, u.name) for u in self.users]

    @property
    def type_names(self) -> dict[int, str]:
        return {t.id: t.title for t in self.setup.types}

    @property
    def user_names(self) -> dict[int, str]:
        return {u.id: u.name for u in self.users}


def load_metadata(client: Client) -> Metadata:
    """Task types, outcomes and users: cached, else their calls at once (4 on a cold cache)."""
    setup, account_users = gather(
        lambda: task_api.task_setup(client), lambda: users.list_users(client)
    )
    return Metadata(setup=setup, users=account_users)


def show_refusal(form: forms.Form, error: ValidationError) -> None:
    """Each of the API's 422 messages by the field it names; the others above the form."""
    for attribute, messages in error.field_errors.items():
        name = API_FIELDS.get(attribute) if attribute != NON_FIELD else None
        form.add_error(name if name in form.fields else None, messages)
