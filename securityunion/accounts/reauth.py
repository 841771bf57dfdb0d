"""Recent authentication before sensitive actions (case data exports, role changes).

A user must have entered their password or second factor within
``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (sign-in or re-authentication both count);
otherwise allauth's re-authentication page is shown and the request resumes afterwards.
``SENSITIVE_ACTIONS_NEED_REAUTHENTICATION`` switches the check off (the test settings do, and
dedicated tests switch it on).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.http import HttpRequest


def recently_authenticated(request: HttpRequest) -> bool:
    if not getattr(settings, "SENSITIVE_ACTIONS_NEED_REAUTHENTICATION", True):
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def require_recent_authentication(request: HttpRequest) -> None:
    """Raise allauth's ``ReauthenticationRequired`` (its middleware shows the page) unless the
    user authenticated recently; for a view that decides late, e.g. on ``?export=csv``."""
    if request.user.is_authenticated and not recently_authenticated(request):
        raise ReauthenticationRequired


_check = require_recent_authentication


def reauthentication_required(view_func: Callable) -> Callable:
    """Decorator for function views: recent authentication first."""

    @wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        _check(request)
        return view_func(request, *args, **kwargs)

    return wrapper


class ReauthenticationRequiredMixin:
    """Class-based views: recent authentication first (put it after the capability check)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        _check(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
