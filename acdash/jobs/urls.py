app_name = "jobs"

urlpatterns = [
    # bulkui: path("a/<slug:account>/jobs/new/", new.new_job, name="new"),
]
