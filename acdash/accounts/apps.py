from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "acdash.accounts"
    label = "accounts"
    verbose_name = "Connected accounts"

    def ready(self) -> None:
        from acdash import lookups  # noqa: F401  (registers the safe integer ``__in``)
