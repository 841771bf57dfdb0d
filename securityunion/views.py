"""Project-level pages: the dashboard ("my work")."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin
from securityunion.casework.registry import dashboard_panels


class DashboardView(CapabilityRequiredMixin, TemplateView):
    required_capability = AUTHENTICATED
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):  # noqa: ANN003, ANN201
        context = super().get_context_data(**kwargs)
        user = self.request.user
        panels = [panel for panel in (build(user) for build in dashboard_panels) if panel]
        context.update(title=_("My work"), panels=panels)
        return context
