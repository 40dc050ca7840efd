from django.urls import path

from . import board, detail, editors, listing, pipelines

app_name = "deals"

# Pipelines with their stages (pipelines.py, templates/deals/pipelines.html) and one
# pipeline's deal board (board.py, templates/deals/board.html).
P = "a/<slug:account>/pipelines/"
S = P + "<int:pipeline_id>/stages/<int:stage_id>/"
urlpatterns: list = [
    path(P, pipelines.pipeline_list, name="pipelines"),
    path(P + "new/", pipelines.create_pipeline, name="pipeline_create"),
    path(P + "<int:pipeline_id>/figures/", pipelines.figures, name="pipeline_figures"),
    path(P + "<int:pipeline_id>/rename/", pipelines.rename_pipeline, name="pipeline_rename"),
    path(P + "<int:pipeline_id>/delete/", pipelines.delete_pipeline, name="pipeline_delete"),
    path(P + "<int:pipeline_id>/stages/new/", pipelines.create_stage, name="stage_create"),
    path(S + "edit/", pipelines.edit_stage, name="stage_edit"),
    path(S + "move/", pipelines.move_stage, name="stage_move"),
    path(S + "delete/", pipelines.delete_stage, name="stage_delete"),
    path(P + "<int:pipeline_id>/", board.board, name="board"),
    path(S, board.column, name="column"),
    path(P + "<int:pipeline_id>/contacts/", board.board_contacts, name="board_contacts"),
    path(P + "<int:pipeline_id>/deals/<int:deal_id>/move/", board.move, name="move_deal"),
]

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
