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
]
