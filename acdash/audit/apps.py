from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "acdash.audit"
    label = "audit"
    verbose_name = "Audit trail"
