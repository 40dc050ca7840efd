from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "acdash.health"
    label = "health"
