from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .mixins import user_meets


def navigation(request):  # noqa: ANN001
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        from securityunion.casework.registry import navigation_areas

        for area in navigation_areas:  # each app registers its own area in its ready()
            if not user_meets(user, area.capabilities):
                continue
            try:
                url = reverse(area.url_name)
            except NoReverseMatch:
                continue  # the area's pages are not built yet
            items.append({"label": area.label, "url": url, "active": False})
        # The current area is the one whose address is the longest prefix of the page's
        # (/reports/statistics/ is Statistics, not Reports as well).
        current = max(
            (item for item in items if request.path.startswith(item["url"])),
            key=lambda item: len(item["url"]),
            default=None,
        )
        if current is not None:
            current["active"] = True
        if user.is_staff:
            items.append(
                {"label": _("Administration"), "url": "/" + settings.ADMIN_URL, "active": False}
            )
    return {
        "nav_items": items,
        "sensitivity_marking": settings.SENSITIVITY_MARKING,
    }
