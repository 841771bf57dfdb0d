from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "securityunion.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from securityunion.casework.registry import register_navigation

        from . import signals  # noqa: F401

        register_navigation(
            _("API clients"),
            "accounts:api_client_list",
            ("manage_api_clients", "audit_view_log"),
            order=95,
        )
