from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = _("Drugs")

    def ready(self) -> None:
        from securityunion.access.policy import CapabilityScope, RuleScope, register_scope
        from securityunion.casework.registry import (
            register_demo,
            register_navigation,
            register_workflow_model,
        )

        from . import demo
        from .models import Action, Actor, Framework, Heading, Priority, ProgressUpdate
        from .selectors import (
            SEE_PLAN,
            _my_organisations_actions,
            _updates_of_my_organisations_actions,
        )

        # The plan itself (frameworks, headings, priorities, actors) is read by everyone who
        # works on it; actions and their updates only by coordinators and, for reporters, those
        # of their organisation's actor.
        for model in (Framework, Heading, Priority, Actor):
            register_scope(model, CapabilityScope(see_all=SEE_PLAN))
        register_scope(
            Action,
            RuleScope(
                see_all=("drugs_view_all",),
                rules=(("drugs_view_own", _my_organisations_actions),),
            ),
        )
        register_scope(
            ProgressUpdate,
            RuleScope(
                see_all=("drugs_view_all",),
                rules=(("drugs_view_own", _updates_of_my_organisations_actions),),
            ),
        )
        register_workflow_model(Action)
        register_workflow_model(ProgressUpdate)
        register_demo(demo.load)
        register_navigation(_("Drugs"), "drugs:index", SEE_PLAN, order=40)
