from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samkalk.apps.audit"
    label = "audit"
    verbose_name = "Audit trail"
