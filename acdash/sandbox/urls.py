from django.urls import path

from . import views

app_name = "sandbox"

urlpatterns = [
    path("<slug:account>/_sandbox/log", views.request_log, name="request_log"),
    path("<slug:account>/api/3/<path:path>", views.api, name="api"),
]
