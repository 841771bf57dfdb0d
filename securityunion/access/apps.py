from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "securityunion.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import schema  # noqa: F401  (OpenAPI description of the company token)
        from .roles import ensure_capabilities

        post_migrate.connect(ensure_capabilities, dispatch_uid="access_ensure_capabilities")
