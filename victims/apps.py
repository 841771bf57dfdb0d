from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Victims")

    def ready(self) -> None:
        from securityunion.access.policy import RuleScope, register_scope
        from securityunion.casework.registry import (
            register_case_model,
            register_demo,
            register_navigation,
        )
        from securityunion.casework.visibility import register_case_view

        from . import demo
        from .event_labels import register_event_labels
        from .models import VictimCase
        from .pdf import register_pdf_builders
        from .selectors import SEE_ALL, SEE_ASSIGNED, assigned_to_me, victim_case_view

        # Need to know: the lead and auditors see every case, an officer only those assigned
        # to them (the case's assignee), everyone else none.
        register_scope(
            VictimCase, RuleScope(see_all=SEE_ALL, rules=((SEE_ASSIGNED, assigned_to_me),))
        )
        register_case_model(VictimCase)
        register_case_view(VictimCase, victim_case_view)
        register_pdf_builders()
        register_demo(demo.load)
        register_event_labels()
        register_navigation(
            _("Victims"), "victims:index", ("victims_view_all", "victims_view_assigned"), order=20
        )
