from django.urls import path

from . import csv_export, csv_import, detail, field_editors, listing, panels, tags_lists

app_name = "contacts"

# The contact list, creating and deleting contacts (listing.py, templates/contacts/list.html).
urlpatterns = [
    path("a/<slug:account>/contacts/", listing.contact_list, name="list"),
    path("a/<slug:account>/contacts/new/", listing.create_contact, name="create"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/delete/",
        listing.delete_contact,
        name="delete",
    ),
]

# The CSV round trip (csv_export.py, csv_import.py, templates/contacts/csv_*.html).
urlpatterns += [
    path("a/<slug:account>/contacts/export/", csv_export.contact_export, name="export"),
    path("a/<slug:account>/contacts/import/", csv_import.contact_import, name="import"),
]

# One contact's page (detail.py, templates/contacts/detail.html) and its inline-edited
# sections: core details and custom fields (field_editors.py), tags and lists
# (tags_lists.py), notes and recent activity (panels.py).
urlpatterns += [
    path("a/<slug:account>/contacts/<int:contact_id>/", detail.contact_page, name="detail"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/core/", field_editors.core_section, name="core"
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/fields/<int:field_id>/",
        field_editors.field_section,
        name="field",
    ),
    path("a/<slug:account>/contacts/<int:contact_id>/tags/", tags_lists.tag_add, name="tag_add"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/tags/suggest/",
        tags_lists.tag_suggestions,
        name="tag_suggestions",
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/tags/<int:contact_tag_id>/remove/",
        tags_lists.tag_remove,
        name="tag_remove",
    ),
    path("a/<slug:account>/contacts/<int:contact_id>/lists/", tags_lists.list_status, name="lists"),
    path("a/<slug:account>/contacts/<int:contact_id>/notes/", panels.notes_section, name="notes"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/activity/",
        panels.activity_section,
        name="activity",
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/notes/<int:note_id>/",
        panels.note_section,
        name="note",
    ),
]
