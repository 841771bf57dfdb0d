"""The API's permission class: the same capability rule as the pages' mixin."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
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


class CompanyOAuth2Authentication(OAuth2Authentication):
    """Client-credentials tokens carry no user: act as the application's service account.

    Each company API client is an OAuth application whose ``user`` is a dedicated service
    account (role ``company``, the company's organisation), so capabilities and scoping work
    for companies exactly as for staff. A client without an active service account is refused.
    """

    def authenticate(self, request):  # noqa: ANN001, ANN201
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None:
            application = token.application
            user = application.user if application else None
            if user is None or not user.is_active:
                raise exceptions.AuthenticationFailed("This API client is not active.")
        return user, token
