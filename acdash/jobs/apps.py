from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "acdash.jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Each object type's kind registers itself in KINDS when its module loads.
        from . import kinds  # noqa: F401
