from django.urls import path

from . import automations, campaigns, webhooks

app_name = "marketing"

# Recent campaigns and their figures (campaigns.py, templates/marketing/campaigns.html).
urlpatterns = [
    path("a/<slug:account>/campaigns/", campaigns.campaign_list, name="campaigns"),
]

# Automations with their contact counts, and the contacts in one (automations.py).
urlpatterns += [
    path("a/<slug:account>/automations/", automations.automation_list, name="automations"),
    path(
        "a/<slug:account>/automations/<int:automation_id>/",
        automations.automation_contacts,
        name="automation",
    ),
]

# The contact page's automations panel: add the contact to one, remove it from one.
urlpatterns += [
    path(
        "a/<slug:account>/contacts/<int:contact_id>/automations/",
        automations.contact_automations,
        name="contact_automations",
    ),
    path(
        "a/<slug:account>/contacts/<int:contact_id>/automations/<int:contact_automation_id>/remove/",
        automations.contact_automation_remove,
        name="contact_automation_remove",
    ),
]

# Webhooks: the list, create, edit, delete (webhooks.py, templates/marketing/webhook*.html).
urlpatterns += [
    path("a/<slug:account>/webhooks/", webhooks.webhook_list, name="webhooks"),
    path("a/<slug:account>/webhooks/new/", webhooks.webhook_create, name="webhook_create"),
    path("a/<slug:account>/webhooks/<int:webhook_id>/", webhooks.webhook_edit, name="webhook_edit"),
    path(
        "a/<slug:account>/webhooks/<int:webhook_id>/delete/",
        webhooks.webhook_delete,
        name="webhook_delete",
    ),
]
