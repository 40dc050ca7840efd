from django.urls import path

from . import actions, listing, mine, setup

app_name = "tasks"

# One account's task list and deleting a task (listing.py, templates/tasks/list.html).
urlpatterns = [
    path("a/<slug:account>/tasks/", listing.task_list, name="list"),
    path("a/<slug:account>/tasks/<int:task_id>/delete/", listing.delete_task, name="delete"),
]

# Creating, editing, completing and reopening a task (actions.py, templates/tasks/form.html,
# complete.html, reopen.html).
urlpatterns += [
    path("a/<slug:account>/tasks/new/", actions.create_task, name="create"),
    path("a/<slug:account>/tasks/<int:task_id>/", actions.edit_task, name="edit"),
    path("a/<slug:account>/tasks/<int:task_id>/complete/", actions.complete_task, name="complete"),
    path("a/<slug:account>/tasks/<int:task_id>/reopen/", actions.reopen_task, name="reopen"),
]

# My tasks across every accessible account (mine.py, templates/tasks/mine.html).
urlpatterns += [
    path("tasks/", mine.my_tasks, name="mine"),
]

# Task types and outcomes (setup.py, templates/tasks/setup*.html).
urlpatterns += [
    path("a/<slug:account>/tasks/types/", setup.setup_page, name="setup"),
    path("a/<slug:account>/tasks/types/new/", setup.task_type_form, name="type_create"),
    path(
        "a/<slug:account>/tasks/types/<int:task_type_id>/", setup.task_type_form, name="type_edit"
    ),
    path(
        "a/<slug:account>/tasks/types/<int:task_type_id>/delete/",
        setup.delete_task_type,
        name="type_delete",
    ),
    path("a/<slug:account>/tasks/outcomes/new/", setup.outcome_form, name="outcome_create"),
    path(
        "a/<slug:account>/tasks/outcomes/<int:outcome_id>/", setup.outcome_form, name="outcome_edit"
    ),
    path(
        "a/<slug:account>/tasks/outcomes/<int:outcome_id>/delete/",
        setup.delete_outcome,
        name="outcome_delete",
    ),
]
