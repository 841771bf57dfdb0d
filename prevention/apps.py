from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prevention")

    def ready(self) -> None:
        from securityunion.casework.registry import register_navigation

        register_navigation(
            _("Prevention"),
            "prevention:index",
            ("prevention_view_all", "prevention_view_published"),
            order=50,
        )
