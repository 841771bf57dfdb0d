from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "securityunion.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from securityunion.casework.jobs import register_job

        from . import checks  # noqa: F401  (registers the key checks)

        register_job(
            "audit-seal",
            "securityunion.audit.tasks.seal_audit_log",
            every=60,
            description="Seal the audit events below the watermark.",
        )
