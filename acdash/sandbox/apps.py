from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "acdash.sandbox"
    label = "sandbox"
    verbose_name = "ActiveCampaign sandbox"

    def ready(self) -> None:
        # Importing the resource modules registers their routes.
        from . import resources  # noqa: F401
