from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Victims")

    def ready(self) -> None:
        from securityunion.casework.registry import register_navigation

        register_navigation(
            _("Victims"), "victims:index", ("victims_view_all", "victims_view_assigned"), order=20
        )
