from django.urls import path

from . import views

app_name = "console"

# The API console (views.py, templates/console/console.html): every operation of the
# reference, and one operation's form and answer.
urlpatterns = [
    path("a/<slug:account>/api/", views.console_index, name="index"),
    path("a/<slug:account>/api/<slug:operation>/", views.operation_page, name="operation"),
]
