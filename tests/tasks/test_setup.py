"""Task types and outcomes over HTTP: list, create, rename, delete (a type with tasks moves
them first, to the type chosen), outcomes with the types that offer them; 422s by the field;
every write audited; viewers change nothing."""

from acdash.audit.models import AuditEntry

from .conftest import records

SETUP = "/a/acme/tasks/types/"


def _types() -> dict[str, int]:
    return {r.data["title"]: r.rid for r in records("dealTasktype")}


def test_the_page_lists_types_with_their_outcomes_and_every_outcome(acme, admin_client):
    html = admin_client.get(SETUP).content.decode()
    for title, rid in _types().items():
        assert f'data-type-id="{rid}"' in html and title in html
    for outcome in records("taskOutcome"):
        assert f'data-outcome-id="{outcome.rid}"' in html
    assert "New task type" in html and "New outcome" in html


def test_create_and_rename_a_task_type(acme, admin_client):
    response = admin_client.post(SETUP + "new/", {"title": "Site visit"}, follow=True)
    assert "Created task type “Site visit”." in response.content.decode()
    rid = _types()["Site visit"]
    admin_client.post(f"{SETUP}{rid}/", {"title": "On-site visit"})
    assert "On-site visit" in _types() and "Site visit" not in _types()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["create", "update"]
    # The cached setup was invalidated: the task form offers the renamed type at once.
    assert "On-site visit" in admin_client.get("/a/acme/tasks/new/").content.decode()


def test_a_duplicate_title_is_refused_by_the_field(acme, admin_client):
    taken = next(iter(_types()))
    html = admin_client.post(SETUP + "new/", {"title": taken.upper()}).content.decode()
    assert "A task type with the same title already exists." in html.split('id="field-title"')[1]
    assert len(_types()) == len(records("dealTasktype"))
    assert not AuditEntry.objects.exists()


def test_deleting_a_type_with_tasks_moves_them_to_the_type_chosen(acme, admin_client):
    types = _types()
    source, target = types["Call"], types["Email"]
    moving = [r.rid for r in records("dealTask") if r.data["dealTasktype"] == str(source)]
    assert moving
    page = admin_client.get(f"{SETUP}{source}/delete/").content.decode()
    assert f"{len(moving)} task" in page and "must move to another type first" in page
    assert "Delete the task type <strong>“Call”</strong>" in page
    response = admin_client.post(f"{SETUP}{source}/delete/", {"move_to": target}, follow=True)
    assert f"after moving {len(moving)} tasks to “Email”" in response.content.decode()
    assert "Call" not in _types()
    moved = {r.rid: r.data["dealTasktype"] for r in records("dealTask") if r.rid in moving}
    assert set(moved.values()) == {str(target)}


def test_deleting_a_type_without_tasks(acme, admin_client):
    admin_client.post(SETUP + "new/", {"title": "Unused"})
    rid = _types()["Unused"]
    assert "No task has this type." in admin_client.get(f"{SETUP}{rid}/delete/").content.decode()
    admin_client.post(f"{SETUP}{rid}/delete/")
    assert "Unused" not in _types()


def test_create_edit_and_delete_an_outcome_with_the_types_offering_it(acme, admin_client):
    types = _types()
    payload = {"title": "Sent a quote", "sentiment": "positive", "task_types": [types["Lunch"]]}
    admin_client.post("/a/acme/tasks/outcomes/new/", payload)
    outcome = next(r for r in records("taskOutcome") if r.data["title"] == "Sent a quote")
    assert outcome.data["sentiment"] == "POSITIVE"
    offering = {r.parent for r in records("tasktypeOutcomeRel") if r.key == outcome.id_str}
    assert offering == {types["Lunch"]}
    changed = {**payload, "sentiment": "neutral", "task_types": [types["Demo"]], "disabled": "on"}
    admin_client.post(f"/a/acme/tasks/outcomes/{outcome.rid}/", changed)
    stored = next(r for r in records("taskOutcome") if r.rid == outcome.rid).data
    assert stored["sentiment"] == "NEUTRAL" and stored["disabled"] == "1"
    offering = {r.parent for r in records("tasktypeOutcomeRel") if r.key == outcome.id_str}
    assert offering == {types["Demo"]}
    page = admin_client.get(f"/a/acme/tasks/outcomes/{outcome.rid}/delete/").content.decode()
    assert "Delete the outcome <strong>“Sent a quote”</strong>" in page
    admin_client.post(f"/a/acme/tasks/outcomes/{outcome.rid}/delete/")
    assert all(r.rid != outcome.rid for r in records("taskOutcome"))
    assert AuditEntry.objects.filter(object_type="task_outcome").count() == 3


def test_an_unknown_type_for_an_outcome_is_refused_by_the_field(acme, admin_client):
    payload = {"title": "Whatever", "sentiment": "positive", "task_types": [99999]}
    html = admin_client.post("/a/acme/tasks/outcomes/new/", payload).content.decode()
    assert "Select a valid choice" in html.split('id="field-task_types"')[1]
    assert all(r.data["title"] != "Whatever" for r in records("taskOutcome"))


def test_viewers_see_the_setup_and_change_nothing(acme, as_role):
    client = as_role("viewer")
    html = client.get(SETUP).content.decode()
    assert "data-type-id" in html and "New task type" not in html and "Delete" not in html
    rid = next(iter(_types().values()))
    for url in (SETUP + "new/", f"{SETUP}{rid}/", f"{SETUP}{rid}/delete/"):
        assert client.post(url, {"title": "x"}).status_code == 403
    assert len(_types()) == len(records("dealTasktype"))
