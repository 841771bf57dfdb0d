"""Project-level pages: the dashboard ("my work") and the error pages."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin
from securityunion.casework.registry import dashboard_panels

logger = logging.getLogger(__name__)


class DashboardView(CapabilityRequiredMixin, TemplateView):
    required_capability = AUTHENTICATED
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):  # noqa: ANN003, ANN201
        context = super().get_context_data(**kwargs)
        user = self.request.user
        panels = [panel for panel in (build(user) for build in dashboard_panels) if panel]
        context.update(title=_("My work"), panels=panels)
        return context


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout, rendered with no request context and no database
    (either may be what failed); plain text if even the template cannot be rendered."""
    try:
        body = loader.get_template("500.html").render(
            {"sensitivity_marking": settings.SENSITIVITY_MARKING}
        )
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        body = "<!DOCTYPE html><title>Server error</title><h1>Server error (500)</h1>"
    return HttpResponseServerError(body)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF check) in the site's layout, saying what to do; never the reason's
    technical text (``reason`` goes to the log)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
