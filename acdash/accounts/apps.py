from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "acdash.accounts"
    label = "accounts"
    verbose_name = "Connected accounts"
