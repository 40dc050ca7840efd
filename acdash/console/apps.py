from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "acdash.console"
    verbose_name = "API console"
