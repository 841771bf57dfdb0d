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


class MfaRequiredMiddleware:
    """With ``MFA_REQUIRED``, a signed-in user without a second factor enrols before anything.

    Only the two-factor pages, re-authentication (enrolment asks for it), sign-out and static
    files stay open; API paths answer 403 in JSON. With the setting off, every page carries a
    banner saying so (``request.mfa_not_enforced``).
    """

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        from django.conf import settings
        from django.urls import reverse

        return (
            reverse("mfa_index"),
            reverse("account_reauthenticate"),
            reverse("account_logout"),
            settings.STATIC_URL,
        )

    def __call__(self, request):  # noqa: ANN001
        from django.conf import settings

        required = settings.MFA_REQUIRED
        request.mfa_not_enforced = not required
        user = getattr(request, "user", None)
        if (
            required
            and user is not None
            and user.is_authenticated
            and not getattr(user, "is_api_client", False)
            and not request.path.startswith(self._open_paths())
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "status": 403,
                            "code": "mfa_required",
                            "detail": "Enrol a second factor before using the back office.",
                        },
                        status=403,
                    )
                from django.shortcuts import redirect

                return redirect("mfa_activate_totp")
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Sessions end after ``SESSION_ABSOLUTE_SECONDS`` however active they are.

    The idle timeout is the session cookie's age (renewed on every request); this is the hard
    ceiling from sign-in. It also keeps the user's session record (``UserSession``) current:
    last seen (at most once a minute) and the key, which a password change rotates.
    """

    TOUCH_SECONDS = 60

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        import time

        from django.conf import settings
        from django.contrib.auth import logout

        from securityunion.accounts.services import SESSION_STARTED_KEY

        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        started = session.get(SESSION_STARTED_KEY)
        if started is None:
            session[SESSION_STARTED_KEY] = now
        elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
            from securityunion.audit import verbs
            from securityunion.audit.services import audit_record

            audit_record(
                actor=user,
                verb=verbs.SESSION_ENDED,
                target=user,
                data={"sessions": 1, "why": "absolute lifetime reached"},
            )
            logout(request)
            return self.get_response(request)
        response = self.get_response(request)
        self._touch(request, now)
        return response

    def _touch(self, request, now: float) -> None:  # noqa: ANN001
        from django.utils import timezone

        from securityunion.accounts.models import UserSession
        from securityunion.accounts.services import SESSION_RECORD_KEY

        session = request.session
        user = getattr(request, "user", None)
        record = session.get(SESSION_RECORD_KEY)
        if not record or user is None or not user.is_authenticated:
            return
        key = session.session_key
        if now - float(session.get("_user_session_seen", 0)) < self.TOUCH_SECONDS and key == (
            session.get("_user_session_key")
        ):
            return
        UserSession.objects.filter(pk=record, user_id=user.pk).update(
            last_seen_at=timezone.now(), session_key=key
        )
        session["_user_session_seen"] = now
        session["_user_session_key"] = key
