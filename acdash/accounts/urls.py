from django.urls import path

from . import members, views

app_name = "accounts"

urlpatterns = [
    path("manage/accounts/", views.manage, name="manage"),
    path("manage/accounts/new/", views.connect, name="connect"),
    path("manage/accounts/<slug:slug>/", views.connect, name="edit"),
    path("manage/accounts/<slug:slug>/disconnect/", views.disconnect, name="disconnect"),
    path("a/<slug:account>/", views.home, name="home"),
    path("a/<slug:account>/members/", members.members, name="members"),
    path("a/<slug:account>/members/<int:member>/role/", members.change_role, name="change_role"),
    path(
        "a/<slug:account>/members/<int:member>/remove/",
        members.remove_member,
        name="remove_member",
    ),
]
