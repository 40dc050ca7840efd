from django.urls import path

from . import new

app_name = "jobs"

urlpatterns = [
    # The preview of a bulk action, and where its job starts.
    path("a/<slug:account>/jobs/new/", new.new_job, name="new"),
]
