from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = _("Drugs")

    def ready(self) -> None:
        from securityunion.casework.registry import register_navigation

        register_navigation(
            _("Drugs"), "drugs:index", ("drugs_view_all", "drugs_view_own"), order=40
        )
