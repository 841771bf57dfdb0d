from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirearmsConfig(AppConfig):
    name = "firearms"
    verbose_name = _("Firearms")

    def ready(self) -> None:
        from securityunion.access.policy import CapabilityScope, register_scope
        from securityunion.casework.registry import (
            register_api_urls,
            register_case_model,
            register_demo,
            register_navigation,
        )

        from . import demo
        from .models import EuCategory, SeizedItem, SeizureCase
        from .pdf import register_pdf_builders
        from .selectors import ITEM_SCOPE, SEE_ANY, SEIZURE_SCOPE

        register_scope(SeizureCase, SEIZURE_SCOPE)
        register_scope(SeizedItem, ITEM_SCOPE)
        register_scope(EuCategory, CapabilityScope(see_all=SEE_ANY))
        register_case_model(SeizureCase)
        register_pdf_builders()
        register_demo(demo.load)
        register_api_urls("firearms.api_urls")
        register_navigation(
            _("Firearms"),
            "firearms:index",
            ("firearms_view_all_countries", "firearms_view_own_country"),
            order=30,
        )
