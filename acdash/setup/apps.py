from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "acdash.setup"
    label = "setup"
    verbose_name = "Account setup"
