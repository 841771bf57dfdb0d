from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "securityunion.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from securityunion.access.policy import CapabilityScope, register_scope
        from securityunion.audit.models import AuditEvent

        from . import checks, notices, panels  # noqa: F401

        register_scope(AuditEvent, CapabilityScope(see_all=("audit_view_log",)))
