from django.urls import path

from . import branding, compare, copy, field_edit, fields, lists, saved, tags
from .families import FAMILIES

app_name = "setup"

# Custom fields, one set of pages per family (fields.py, field_edit.py,
# templates/setup/field*.html): fixed paths, so that each is its own URL pattern.
urlpatterns = [path("a/<slug:account>/fields/", fields.field_list, name="fields_home")]
for _family in FAMILIES:
    _base, _kwargs = f"a/<slug:account>/fields/{_family}/", {"family": _family}
    urlpatterns += [
        path(_base, fields.field_list, _kwargs, name=f"fields_{_family}"),
        path(f"{_base}new/", fields.field_create, _kwargs, name=f"field_create_{_family}"),
        path(
            f"{_base}<int:field_id>/",
            field_edit.field_edit,
            _kwargs,
            name=f"field_edit_{_family}",
        ),
        path(
            f"{_base}<int:field_id>/delete/",
            fields.field_delete,
            _kwargs,
            name=f"field_delete_{_family}",
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

# Comparing accounts' setup (compare.py, snapshot.py, diff.py), copying the chosen items as
# a job per target (copy.py, copying.py) and saved templates (saved.py, models.py).
urlpatterns += [
    path("setup/compare/", compare.compare_page, name="compare"),
    path("setup/copy/", copy.copy_setup, name="copy"),
    path("setup/templates/", saved.template_list, name="templates"),
    path("setup/templates/<int:template_id>/rename/", saved.template_rename, name="tpl_rename"),
    path("setup/templates/<int:template_id>/delete/", saved.template_delete, name="tpl_delete"),
]
