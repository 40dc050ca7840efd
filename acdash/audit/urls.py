from django.urls import path

from . import views

app_name = "audit"

# The trail of every account the user reads, and its CSV (views.py, templates/audit/trail.html).
urlpatterns = [
    path("audit/", views.all_trail, name="all"),
    path("audit/export/", views.all_export, name="export"),
]

# One account's trail and its CSV, for its admins.
urlpatterns += [
    path("a/<slug:account>/audit/", views.account_trail, name="account"),
    path("a/<slug:account>/audit/export/", views.account_export, name="account_export"),
]

# The history panels of the contact and deal pages (templates/audit/history.html).
urlpatterns += [
    path(
        "a/<slug:account>/audit/contacts/<int:contact_id>/",
        views.contact_history,
        name="contact_history",
    ),
    path("a/<slug:account>/audit/deals/<int:deal_id>/", views.deal_history, name="deal_history"),
]
