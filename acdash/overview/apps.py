from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "acdash.overview"
    label = "overview"
    verbose_name = "Overview and cross-account search"
