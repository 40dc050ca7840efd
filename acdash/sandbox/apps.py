from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "acdash.sandbox"
    label = "sandbox"
    verbose_name = "ActiveCampaign sandbox"

    def ready(self) -> None:
        from django.core.servers.basehttp import WSGIRequestHandler

        # Importing the resource modules registers their routes.
        from . import resources  # noqa: F401

        # The development and test servers answer in several writes; with Nagle's
        # algorithm on, each keep-alive request then waits ~40 ms for a delayed ACK.
        WSGIRequestHandler.disable_nagle_algorithm = True
