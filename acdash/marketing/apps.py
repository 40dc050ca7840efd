from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "acdash.marketing"
    verbose_name = "Marketing: campaigns, automations, webhooks"
