# ruff: noqa: F401, F811 (fixtures imported from deal_fixtures)
"""Fixtures of the bulk action tests (imported by their modules): the seeded sandbox account
"acme" connected in acdash (120 contacts, 200 deals, tasks, every field type), an editor's
and a viewer's client, and running a started job as the worker would."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from acdash.accounts.models import Membership
from acdash.jobs import runner
from acdash.jobs.models import Job
from acdash.sandbox.models import SandboxRecord
from tests.contacts import SLUG
from tests.deals.deal_fixtures import ac, acme, api, viewer_client


@pytest.fixture
def editor_client(acme, client, django_user_model):
    editor = django_user_model.objects.create_user("eddie", password="pw")
    Membership.objects.create(user=editor, account=acme, role="editor")
    client.force_login(editor)
    return client


def new_url(**params) -> str:
    """The preview page of a bulk action (``ids`` a list: sent comma separated)."""
    if isinstance(params.get("ids"), list | tuple):
        params["ids"] = ",".join(str(i) for i in params["ids"])
    return f"{reverse('jobs:new', args=[SLUG])}?{urlencode(params)}"


def run_started(response) -> Job:
    """The job a confirming POST started (its redirect names it), run to the end in this
    process, as the worker runs it."""
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    runner.run(job.pk)
    job.refresh_from_db()
    return job


def records(kind: str) -> dict[int, SandboxRecord]:
    return {r.rid: r for r in SandboxRecord.objects.filter(account__slug=SLUG, kind=kind)}


def writes_sent(api) -> list[str]:
    """The sandbox's log of the requests that could change something (not GETs)."""
    return [f"{e['method']} {e['path']}" for e in api.log()["recent"] if e["method"] != "GET"]
