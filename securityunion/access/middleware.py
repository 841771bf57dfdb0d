from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import JsonResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless its view says otherwise.

    API paths answer 401 in JSON instead of redirecting to the sign-in page.
    """

    def handle_no_permission(self, request, view_func):  # noqa: ANN001
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "status": 401,
                    "code": "not_authenticated",
                    "detail": "Authentication credentials were not provided.",
                },
                status=401,
            )
        return super().handle_no_permission(request, view_func)


class NoStoreMiddleware:
    """Nothing a signed-in user or an API client receives may be kept by a cache or proxy."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response


class UserTimeZoneMiddleware:
    """Show times in the signed-in user's own time zone (stored in UTC)."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        import zoneinfo

        from django.utils import timezone

        name = getattr(getattr(request, "user", None), "time_zone", "")
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
