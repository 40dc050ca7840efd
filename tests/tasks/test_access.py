"""Viewers see every task and change none: no edit controls, 403 on every write; editors
get the controls. Non-members get 404 (the authorization walker covers every URL too)."""

import pytest

from acdash.audit.models import AuditEntry

from .conftest import records

LIST = "/a/acme/tasks/"


def test_viewers_see_the_tasks_without_edit_controls(acme, as_role):
    html = as_role("viewer").get(LIST).content.decode()
    assert 'data-task-id="' in html
    for control in ("New task", "/complete/", "/reopen/", "/delete/", 'class="col-actions"'):
        assert control not in html


def test_editors_see_the_edit_controls(acme, as_role):
    html = as_role("editor").get(LIST + "?status=open").content.decode()
    for control in ("New task", "/complete/", "/delete/", 'class="col-actions"'):
        assert control in html


WRITES = ["new/", "{id}/", "{id}/complete/", "{id}/reopen/", "{id}/delete/"]


@pytest.mark.parametrize("path", WRITES)
def test_viewers_get_403_on_every_write_and_nothing_changes(acme, as_role, path):
    client = as_role("viewer")
    task = records("dealTask")[0]
    before = [(r.rid, r.data) for r in records("dealTask")]
    url = LIST + path.format(id=task.rid)
    response = client.post(url, {"title": "x", "outcome": "", "due_date": "2026-01-01"})
    assert response.status_code == 403
    assert [(r.rid, r.data) for r in records("dealTask")] == before
    assert not AuditEntry.objects.exists()


def test_a_viewer_reads_a_task_without_a_form(acme, as_role):
    task = next(r for r in records("dealTask") if r.data["title"])
    html = as_role("viewer").get(f"{LIST}{task.rid}/").content.decode()
    assert task.data["title"] in html and 'method="post" class="stacked' not in html
    assert "Save task" not in html


@pytest.mark.parametrize("path", [w for w in WRITES if w != "{id}/"])
def test_viewers_are_not_offered_the_forms_of_writes(acme, as_role, path):
    task = records("dealTask")[0]
    assert as_role("viewer").get(LIST + path.format(id=task.rid)).status_code == 403


def test_non_members_get_404(acme, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    assert client.get(LIST).status_code == 404
