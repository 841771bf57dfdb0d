"""The API's authentication, permission class, token endpoint and scopes.

The permission class applies the same capability rule as the pages' mixin; company tokens
also carry scopes per endpoint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from typing import Any
from urllib.parse import unquote_plus

from django.contrib.auth.hashers import identify_hasher, make_password
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as oauth2_views
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from securityunion.lib.network import client_ip

from .hashers import ClientSecretSHA256Hasher
from .mixins import AUTHENTICATED
from .policy import has_capability

log = logging.getLogger(__name__)

#: Clients created before scopes per endpoint hold this one scope: it still grants every
#: registered scope, so no existing client breaks. The other scopes are registered by the apps
#: whose endpoints need them (``registry.register_api_scope``).
LEGACY_SCOPE = "reports"
LEGACY_SCOPE_DESCRIPTION = "All scopes (clients created before scopes per endpoint)"
CLIENT_SECRET_HASHER = ClientSecretSHA256Hasher.algorithm


def token_scopes(token: Any) -> set[str]:
    return set((getattr(token, "scope", "") or "").split())


def required_scopes_for(view: Any, method: str) -> tuple[str, ...] | None:
    """The scopes a token needs for ``method`` on ``view`` (any one suffices); ``()``: any
    valid token; ``None``: the view declares nothing and tokens are refused (deny by default)."""
    declared = getattr(view, "required_scopes", None)
    if declared is None:
        return None
    if isinstance(declared, dict):
        declared = declared.get(method.upper())
        if declared is None:
            return None
    return (declared,) if isinstance(declared, str) else tuple(declared)


class HasCapability(BasePermission):
    """Deny by default: an API view must declare ``required_capability``.

    Company clients authenticate as the service account of their OAuth application; staff may
    use the browsable session where a view allows it. A request made with a token must also
    carry one of the view's ``required_scopes`` for the method (``reports`` grants all).
    Object access is decided by the selectors (404 out of scope).
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        requirement = getattr(view, "required_capability", None)
        user = request.user
        if requirement is None or not (user and user.is_authenticated and user.is_active):
            return False
        token = getattr(request, "auth", None)
        if isinstance(token, AccessToken):
            needed = required_scopes_for(view, request.method)
            granted = token_scopes(token)
            if needed is None or (
                needed and LEGACY_SCOPE not in granted and not granted.intersection(needed)
            ):
                _audit_scope_refusal(user, request, needed or (), granted)
                raise InsufficientScope(needed or ())
        if requirement == AUTHENTICATED:
            return True
        options = (requirement,) if isinstance(requirement, str) else requirement
        return any(has_capability(user, option) for option in options)


class InsufficientScope(exceptions.PermissionDenied):
    default_code = "insufficient_scope"

    def __init__(self, needed: tuple[str, ...]) -> None:
        detail = (
            "The token lacks the scope this operation needs: " + " or ".join(needed) + "."
            if needed
            else "This operation is not open to API tokens."
        )
        super().__init__(detail, self.default_code)


def _client_scopes(application: Any) -> list[str] | None:
    """The scopes chosen for the application's API client; None: not restricted (a client
    created before scopes were chosen per client, or no client)."""
    if application is None:
        return None
    from securityunion.accounts.models import ApiClient

    scopes = (
        ApiClient.objects.filter(application_id=application.pk)
        .values_list("scopes", flat=True)
        .first()
    )
    return list(scopes) if scopes else None


class RegisteredScopes(BaseScopes):
    """The OAuth 2 scopes: those the apps registered, and the legacy all-scope. A client
    whose scopes were chosen may get only those; a token request without ``scope`` gets every
    scope the client may have."""

    def get_all_scopes(self) -> dict[str, Any]:
        from securityunion.casework.registry import api_scopes

        scopes = {name: str(api_scopes[name]) for name in sorted(api_scopes)}
        scopes[LEGACY_SCOPE] = LEGACY_SCOPE_DESCRIPTION
        return scopes

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        chosen = _client_scopes(application)
        return list(self.get_all_scopes()) if chosen is None else chosen

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        from securityunion.casework.registry import api_scopes

        chosen = _client_scopes(application)
        return sorted(api_scopes) if chosen is None else chosen


class _HeaderOnlyOAuthLibCore(OAuthLibCore):
    """Verifies a bearer token from the ``Authorization`` header alone.

    The stock backend hands oauthlib the request's form body, and reading ``request.POST`` on
    a REST framework request parses the whole body (JSON included): a request with no valid
    token had its body parsed before it was refused. Tokens are accepted in the header only
    (RFC 9700 transport rules), so the body is never needed to authenticate.
    """

    def extract_body(self, request):  # noqa: ANN001, ANN201
        return []


class CompanyOAuth2Authentication(OAuth2Authentication):
    """Client-credentials tokens carry no user: act as the application's service account.

    Each company API client is an OAuth application whose ``user`` is a dedicated service
    account (role ``company``, the company's organisation), so capabilities and scoping work
    for companies exactly as for staff. A client without an active service account is refused.
    A request without ``Authorization: Bearer ...`` is not looked at further.
    """

    def authenticate(self, request):  # noqa: ANN001, ANN201
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() != "bearer ":
            return None
        valid, oauth_request = _HeaderOnlyOAuthLibCore().verify_request(request, scopes=[])
        if not valid:
            request.oauth2_error = getattr(oauth_request, "oauth2_error", {})
            return None
        user, token = oauth_request.user, oauth_request.access_token
        if user is None:
            application = token.application
            user = application.user if application else None
            if user is None or not user.is_active:
                raise exceptions.AuthenticationFailed("This API client is not active.")
        if token.application_id:
            from securityunion.accounts.services import api_client_mark_used

            api_client_mark_used(application_id=token.application_id)
        return user, token


# --- the token endpoint -------------------------------------------------------------------


class CompanyOAuth2Validator(OAuth2Validator):
    """Client secrets are checked with a cheap hash (see ``hashers``); a secret stored by the
    slow default hasher before is re-hashed on its next successful use."""

    _verified_secret: str | None = None

    def _check_secret(self, provided_secret, stored_secret):  # noqa: ANN001, ANN202
        ok = super()._check_secret(provided_secret, stored_secret)
        self._verified_secret = provided_secret if ok else None
        return ok

    def authenticate_client(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        ok = super().authenticate_client(request, *args, **kwargs)
        client = getattr(request, "client", None)
        if ok and self._verified_secret and isinstance(client, Application):
            try:
                algorithm = identify_hasher(client.client_secret).algorithm
            except ValueError:
                algorithm = ""
            if algorithm != CLIENT_SECRET_HASHER:
                Application.objects.filter(pk=client.pk).update(
                    client_secret=make_password(self._verified_secret, hasher=CLIENT_SECRET_HASHER)
                )
        self._verified_secret = None
        return ok


def requested_client_id(request: HttpRequest) -> str:
    """The client id a token request names (HTTP Basic, else the form body)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
        return unquote_plus(decoded.split(":", 1)[0])
    return request.POST.get("client_id", "")


class _TokenThrottle(SimpleRateThrottle):
    def __init__(self, ident: str) -> None:
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view):  # noqa: ANN001, ANN201
        digest = hashlib.sha256(self.ident.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class TokenAddressThrottle(_TokenThrottle):
    scope = "token_address"


class TokenClientThrottle(_TokenThrottle):
    scope = "token_client"


@method_decorator(csrf_exempt, name="dispatch")
class ThrottledTokenView(oauth2_views.TokenView):
    """``/o/token/``: throttled per client address and per client id *before* the secret is
    checked; a refused client authentication is audited."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = client_ip(request)
        client_id = requested_client_id(request)[:200]
        throttles = [TokenAddressThrottle(address)]
        if client_id:
            throttles.append(TokenClientThrottle(client_id))
        for throttle in throttles:
            if not throttle.allow_request(request, self):
                wait = throttle.wait()
                log.warning("Token endpoint throttled (%s) for %s", throttle.scope, address)
                response = HttpResponse(
                    json.dumps(
                        {
                            "error": "slow_down",
                            "status": 429,
                            "code": "throttled",
                            "detail": "Too many token requests; try again later.",
                        }
                    ),
                    status=429,
                    content_type="application/json",
                )
                if wait is not None:
                    response["Retry-After"] = str(max(1, int(wait)))
                return response
        response = super().post(request, *args, **kwargs)
        if response.status_code == 401 and client_id:
            _audit_failed_token_request(client_id)
        elif response.status_code == 200 and client_id:
            _record_client_use(client_id)
        return response


def _audit_scope_refusal(user: Any, request: Any, needed: tuple, granted: set) -> None:
    from securityunion.audit import verbs
    from securityunion.audit.services import audit_record

    audit_record(
        actor=user,
        verb=verbs.PERMISSION_DENIED,
        data={
            "via": "api",
            "path": request.path[:200],
            "method": request.method,
            "scope_needed": list(needed),
            "scopes": sorted(granted),
        },
    )


def _record_client_use(client_id: str) -> None:
    from securityunion.accounts.services import api_client_mark_used

    application_id = (
        Application.objects.filter(client_id=client_id).values_list("pk", flat=True).first()
    )
    if application_id is not None:
        api_client_mark_used(application_id=application_id)


def _audit_failed_token_request(client_id: str) -> None:
    from securityunion.accounts.models import ApiClient
    from securityunion.audit import verbs
    from securityunion.audit.services import audit_record

    client = ApiClient.objects.filter(application__client_id=client_id).first()
    audit_record(
        actor=None,
        verb=verbs.LOGIN_FAILED,
        target=client,
        data={"via": "oauth2_token", "client_id": client_id if client else "(unknown)"},
    )
