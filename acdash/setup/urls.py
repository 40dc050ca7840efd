from django.urls import path

from . import branding, field_edit, fields, lists, tags

app_name = "setup"

# Custom fields in three families (fields.py, field_edit.py, templates/setup/field*.html).
urlpatterns = [
    path("a/<slug:account>/fields/", fields.field_list, name="fields_home"),
    path("a/<slug:account>/fields/<str:family>/", fields.field_list, name="fields"),
    path("a/<slug:account>/fields/<str:family>/new/", fields.field_create, name="field_create"),
    path(
        "a/<slug:account>/fields/<str:family>/<int:field_id>/",
        field_edit.field_edit,
        name="field_edit",
    ),
    path(
        "a/<slug:account>/fields/<str:family>/<int:field_id>/delete/",
        fields.field_delete,
        name="field_delete",
    ),
]

# Tags: counts, rename, merge, delete (tags.py, templates/setup/tag*.html).
urlpatterns += [
    path("a/<slug:account>/tags/", tags.tag_list, name="tags"),
    path("a/<slug:account>/tags/<int:tag_id>/rename/", tags.tag_rename, name="tag_rename"),
    path("a/<slug:account>/tags/<int:tag_id>/merge/", tags.tag_merge, name="tag_merge"),
    path("a/<slug:account>/tags/<int:tag_id>/delete/", tags.tag_delete, name="tag_delete"),
]

# Lists: counts, create, rename (lists.py, templates/setup/list*.html).
urlpatterns += [
    path("a/<slug:account>/lists/", lists.list_list, name="lists"),
    path("a/<slug:account>/lists/new/", lists.list_form, name="list_create"),
    path("a/<slug:account>/lists/<int:list_id>/rename/", lists.list_form, name="list_rename"),
]

# Branding and its sandboxed preview (branding.py, templates/setup/branding*.html).
urlpatterns += [
    path("a/<slug:account>/branding/", branding.branding_page, name="branding"),
    path("a/<slug:account>/branding/preview/", branding.branding_preview, name="branding_preview"),
]
