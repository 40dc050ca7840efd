from django.urls import path

from . import detail, listing

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

# One contact's page and its inline-edited sections (detail.py, templates/contacts/detail.html).
urlpatterns += [
    path("a/<slug:account>/contacts/<int:contact_id>/", detail.contact_page, name="detail"),
    path("a/<slug:account>/contacts/<int:contact_id>/core/", detail.core_section, name="core"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/fields/<int:field_id>/",
        detail.field_section,
        name="field",
    ),
    path("a/<slug:account>/contacts/<int:contact_id>/tags/", detail.tag_add, name="tag_add"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/tags/suggest/",
        detail.tag_suggestions,
        name="tag_suggestions",
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/tags/<int:contact_tag_id>/remove/",
        detail.tag_remove,
        name="tag_remove",
    ),
    path("a/<slug:account>/contacts/<int:contact_id>/lists/", detail.list_status, name="lists"),
    path("a/<slug:account>/contacts/<int:contact_id>/notes/", detail.notes_section, name="notes"),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/activity/",
        detail.activity_section,
        name="activity",
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/notes/<int:note_id>/",
        detail.note_section,
        name="note",
    ),
]
