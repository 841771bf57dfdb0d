"""The API's permission class: the same capability rule as the pages' mixin."""

from rest_framework.permissions import BasePermission

from .mixins import AUTHENTICATED
from .policy import has_capability


class HasCapability(BasePermission):
    """Deny by default: an API view must declare ``required_capability``.

    Company clients authenticate as the service account of their OAuth application; staff may
    use the browsable session. Object access is decided by the selectors (404 out of scope).
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        requirement = getattr(view, "required_capability", None)
        user = request.user
        if requirement is None or not (user and user.is_authenticated and user.is_active):
            return False
        if requirement == AUTHENTICATED:
            return True
        options = (requirement,) if isinstance(requirement, str) else requirement
        return any(has_capability(user, option) for option in options)
