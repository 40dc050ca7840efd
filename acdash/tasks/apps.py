from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "acdash.tasks"
    verbose_name = "Deal tasks"
