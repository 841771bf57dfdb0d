"""Function-level checks for pages, built on the same capabilities as the API's permission class.

Every view declares what it needs with ``required_capability`` (a capability codename, a tuple
of codenames any of which suffices, or ``AUTHENTICATED`` for pages every signed-in user has,
such as the dashboard). The URLconf test fails on any route that declares nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from .policy import has_capability

AUTHENTICATED = "__authenticated__"
# Pages deliberately open to everyone (public complaint forms, the transparency page): they
# declare ``required_capability = PUBLIC`` and are marked ``login_not_required``.
PUBLIC = "__public__"


def user_meets(user: Any, requirement: str | tuple[str, ...] | None) -> bool:
    if requirement is None:
        raise ImproperlyConfigured("The view declares no required_capability.")
    if not (user and user.is_authenticated and user.is_active):
        return False
    if getattr(user, "is_api_client", False):
        return False
    if requirement == AUTHENTICATED:
        return True
    options = (requirement,) if isinstance(requirement, str) else requirement
    return any(has_capability(user, option) for option in options)


class CapabilityRequiredMixin:
    """Refuse (403, audited) a signed-in user who lacks the view's capability."""

    required_capability: str | tuple[str, ...] | None = None

    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if not user_meets(request.user, self.required_capability):
            if request.user.is_authenticated:
                from securityunion.audit import verbs
                from securityunion.audit.services import audit_record

                audit_record(
                    actor=request.user,
                    verb=verbs.PERMISSION_DENIED,
                    data={"path": request.path[:200], "requires": str(self.required_capability)},
                )
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
