from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("manage/accounts/", views.manage, name="manage"),
    path("manage/accounts/new/", views.connect, name="connect"),
    path("manage/accounts/<slug:slug>/", views.connect, name="edit"),
    path("manage/accounts/<slug:slug>/disconnect/", views.disconnect, name="disconnect"),
    path("a/<slug:account>/", views.home, name="home"),
    path("a/<slug:account>/members/", views.members, name="members"),
    path(
        "a/<slug:account>/members/<int:member>/remove/", views.remove_member, name="remove_member"
    ),
]
