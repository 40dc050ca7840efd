from django.urls import path

from . import listing, new, progress, undo

app_name = "jobs"

# Jobs per account and across accounts (listing.py, templates/jobs/list.html).
urlpatterns = [
    path("jobs/", listing.all_jobs, name="list"),
    path("a/<slug:account>/jobs/", listing.account_jobs, name="account_list"),
]

# Starting a job: the preview and confirmation of a bulk action (bulkui's new.py).
urlpatterns += [path("a/<slug:account>/jobs/new/", new.new_job, name="new")]

# One job: its progress, cancel, retry of failures, result file (progress.py,
# templates/jobs/detail.html) and undo (undo.py, templates/jobs/undo.html).
urlpatterns += [
    path("a/<slug:account>/jobs/<int:job_id>/", progress.job_detail, name="detail"),
    path("a/<slug:account>/jobs/<int:job_id>/cancel/", progress.cancel_job, name="cancel"),
    path("a/<slug:account>/jobs/<int:job_id>/retry/", progress.retry_job, name="retry"),
    path("a/<slug:account>/jobs/<int:job_id>/results.csv", progress.result_csv, name="results"),
    path("a/<slug:account>/jobs/<int:job_id>/undo/", undo.undo_job, name="undo"),
]
