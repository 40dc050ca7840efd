from django.urls import path

from . import actions, listing, mine

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
