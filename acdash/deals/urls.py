from django.urls import path

from . import detail, editors, listing

app_name = "deals"

# Pipelines with their stages (pipelines.py, templates/deals/pipelines.html) and one
# pipeline's deal board (board.py, templates/deals/board.html).
urlpatterns: list = []

# The deals list (listing.py, templates/deals/list.html) and one deal's page (detail.py,
# templates/deals/detail.html) with its inline editors (editors.py) and lazy panels.
urlpatterns += [
    path("a/<slug:account>/deals/", listing.deal_list, name="list"),
    path("a/<slug:account>/deals/new/", listing.create_deal, name="create"),
    path("a/<slug:account>/deals/<int:deal_id>/", detail.deal_page, name="detail"),
    path("a/<slug:account>/deals/<int:deal_id>/delete/", listing.delete_deal, name="delete"),
    path("a/<slug:account>/deals/<int:deal_id>/core/", editors.core_section, name="core"),
    path(
        "a/<slug:account>/deals/<int:deal_id>/fields/<int:field_id>/",
        editors.field_section,
        name="field",
    ),
    path(
        "a/<slug:account>/deals/<int:deal_id>/contacts/",
        detail.contacts_section,
        name="contacts",
    ),
    path("a/<slug:account>/deals/<int:deal_id>/notes/", detail.notes_section, name="notes"),
    path(
        "a/<slug:account>/deals/<int:deal_id>/notes/<int:note_id>/",
        detail.note_section,
        name="note",
    ),
    path("a/<slug:account>/deals/<int:deal_id>/tasks/", detail.tasks_section, name="tasks"),
]
