from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "acdash.deals"
    label = "deals"
    verbose_name = "Deals & pipelines"
