from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirearmsConfig(AppConfig):
    name = "firearms"
    verbose_name = _("Firearms")

    def ready(self) -> None:
        from securityunion.casework.registry import register_navigation

        register_navigation(
            _("Firearms"),
            "firearms:index",
            ("firearms_view_all_countries", "firearms_view_own_country"),
            order=30,
        )
