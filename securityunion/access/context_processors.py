from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .mixins import user_meets

# (label, url name, capabilities any of which shows the area)
AREAS = (
    (_("Reports"), "reports:index", ("reports_view_all", "reports_view_forwarded")),
    (_("Victims"), "victims:index", ("victims_view_all", "victims_view_assigned")),
    (_("Firearms"), "firearms:index", ("firearms_view_all_countries", "firearms_view_own_country")),
    (_("Drugs"), "drugs:index", ("drugs_view_all", "drugs_view_own")),
    (_("Prevention"), "prevention:index", ("prevention_view_all", "prevention_view_published")),
    (_("Audit log"), "audit:event_list", ("audit_view_log",)),
)


def navigation(request):  # noqa: ANN001
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name, capabilities in AREAS:
            if not user_meets(user, capabilities):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue  # the area's pages are not built yet
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
        if user.is_staff:
            items.append(
                {"label": _("Administration"), "url": "/" + settings.ADMIN_URL, "active": False}
            )
    return {
        "nav_items": items,
        "sensitivity_marking": settings.SENSITIVITY_MARKING,
    }
