from datetime import timedelta

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
        from .event_labels import register_shared_event_keys
        from .jobs import register_job
        from .registry import register_api_scope, register_navigation

        register_scope(AuditEvent, CapabilityScope(see_all=("audit_view_log",)))
        register_shared_event_keys()
        # the notice inbox's scopes (the company API's own are registered by their apps)
        register_api_scope("notices:read", _("Read the company's notice inbox"))
        register_api_scope("notices:write", _("Acknowledge, answer and confirm notices"))
        register_navigation(_("Audit log"), "audit:event_list", ("audit_view_log",), order=90)
        register_job(
            "retention",
            "securityunion.casework.retention.retention_job",
            every=timedelta(hours=1),
            description="Delete or anonymise records past their retention period.",
        )
