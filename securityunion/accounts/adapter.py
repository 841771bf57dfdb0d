from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .network import client_ip
from .throttle import login_failure_record, login_throttled


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators only: no self-service sign-up.

    Failed sign-ins are throttled per account and per real client address (see ``throttle``);
    every refused attempt is audited.
    """

    def is_open_for_signup(self, request) -> bool:  # noqa: ANN001
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request) or super().get_client_ip(request)

    def authenticate(self, request: HttpRequest, **credentials: Any):  # noqa: ANN201
        username = str(credentials.get("username") or credentials.get("email") or "")[:150]
        ip = client_ip(request)
        throttled_by = login_throttled(username=username, ip=ip)
        if throttled_by:
            from securityunion.audit import verbs
            from securityunion.audit.services import audit_record

            audit_record(
                actor=None,
                verb=verbs.LOGIN_THROTTLED,
                data={"username": username, "by": throttled_by, "ip": ip},
            )
            raise self.validation_error("too_many_login_attempts")
        user = super().authenticate(request, **credentials)
        if user is None:
            login_failure_record(username=username, ip=ip)
        return user

    def pre_login(self, request, user, **kwargs):  # noqa: ANN001, ANN003
        """API service accounts never sign in to the pages."""
        if getattr(user, "is_api_client", False):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.error(request, _("This account is an API client and cannot sign in."))
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
